-- Every email is first a row here, written in the same transaction as the event that causes it.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- Set for messages that must go out once only (the weekly report, vetting reminders).
    dedup_key TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE outbox_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    outbox_id TEXT NOT NULL REFERENCES outbox (id),
    attempt INTEGER NOT NULL,
    worker TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    error TEXT
);
CREATE INDEX outbox_attempts_message ON outbox_attempts (outbox_id);

-- For the weekly report: distance at assignment, and range scans by time.
ALTER TABLE help_requests ADD COLUMN assigned_distance_km DOUBLE;
CREATE INDEX help_requests_created ON help_requests (created_at);
CREATE INDEX help_requests_assigned ON help_requests (assigned_at);
CREATE INDEX help_requests_completed ON help_requests (completed_at);
CREATE INDEX help_requests_cancelled ON help_requests (cancelled_at);
CREATE INDEX help_requests_window_end ON help_requests (window_end, created_at);
CREATE INDEX help_requests_helper_schedule ON help_requests (helper_id, scheduled_start);
CREATE INDEX feedback_created ON feedback (created_at);
CREATE INDEX users_created ON users (role, created_at);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX outbox_sent ON outbox (status, sent_at);
