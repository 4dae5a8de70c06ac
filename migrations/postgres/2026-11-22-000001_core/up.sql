CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'helper', 'coordinator')),
    name TEXT NOT NULL,
    email TEXT UNIQUE,
    phone TEXT,
    password_hash TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE members (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    created_by TEXT REFERENCES users (id)
);

CREATE TABLE helpers (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    home_lat DOUBLE PRECISION NOT NULL,
    home_lon DOUBLE PRECISION NOT NULL,
    max_distance_km DOUBLE PRECISION NOT NULL,
    skills TEXT NOT NULL,
    vetting_status TEXT NOT NULL CHECK (vetting_status IN ('pending', 'approved', 'rejected', 'suspended')),
    vetting_expires_on DATE,
    vetting_note TEXT,
    vetted_by TEXT REFERENCES users (id),
    vetted_at TIMESTAMP,
    availability TEXT NOT NULL,
    -- The box (in degrees) the helper's reach covers, for an indexed candidate search.
    reach_min_lat DOUBLE PRECISION NOT NULL,
    reach_max_lat DOUBLE PRECISION NOT NULL,
    reach_min_lon DOUBLE PRECISION NOT NULL,
    reach_max_lon DOUBLE PRECISION NOT NULL
);
CREATE INDEX helpers_reach ON helpers (reach_min_lat, reach_max_lat);

CREATE TABLE help_requests (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES users (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'offered', 'assigned', 'completed', 'cancelled', 'expired')),
    window_start TIMESTAMP NOT NULL,
    window_end TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    helper_id TEXT REFERENCES users (id),
    -- When the assigned helper is due to start.
    scheduled_start TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    assigned_at TIMESTAMP,
    completed_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    cancel_reason TEXT,
    minutes_spent INTEGER
);
CREATE INDEX help_requests_member ON help_requests (member_id, created_at);
CREATE INDEX help_requests_helper ON help_requests (helper_id, created_at);
CREATE INDEX help_requests_status ON help_requests (status, created_at);

CREATE TABLE feedback (
    request_id TEXT PRIMARY KEY NOT NULL REFERENCES help_requests (id),
    member_id TEXT NOT NULL REFERENCES users (id),
    helper_id TEXT NOT NULL REFERENCES users (id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);

CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_id, created_at);
