-- Secrets the service makes for itself and keeps (the signing key for access tokens when none is
-- configured), so that a default install never signs with a published placeholder and every
-- process on one database signs alike.
CREATE TABLE service_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Wrong passwords are counted per account and client address: a stranger's guesses limit the
-- stranger, never the account holder at their own desk.
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
DROP INDEX login_failures_email;
CREATE INDEX login_failures_email ON login_failures (email, address, failed_at);

-- The address a visit was asked for, kept with the request: a helper is shown where the visit
-- is, not wherever the member lives now.
ALTER TABLE help_requests ADD COLUMN address TEXT;
