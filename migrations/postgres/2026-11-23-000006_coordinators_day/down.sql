DROP INDEX helpers_home;
DROP INDEX helpers_vetting;
DROP INDEX audit_log_created;
DROP INDEX audit_log_actor;
DROP TABLE password_resets;
ALTER TABLE users DROP COLUMN deactivated_at;
ALTER TABLE users DROP COLUMN token_version;
