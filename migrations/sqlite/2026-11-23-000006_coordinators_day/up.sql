-- Deactivated accounts, access tokens that stop at once, password resets, and what finding
-- people and reading the audit log look rows up by.
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN deactivated_at TIMESTAMP;

CREATE TABLE password_resets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX helpers_vetting ON helpers (vetting_status, vetted_at);
CREATE INDEX helpers_home ON helpers (home_lat, home_lon);
