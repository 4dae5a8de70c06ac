ALTER TABLE help_requests DROP COLUMN address;
DROP INDEX login_failures_email;
ALTER TABLE login_failures DROP COLUMN address;
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
DROP TABLE service_secrets;
