-- Safeguarding concerns and their history: written once, never changed or deleted. A concern's
-- status is its latest history entry's.
CREATE TABLE concerns (
    id TEXT PRIMARY KEY NOT NULL,
    raised_by TEXT NOT NULL REFERENCES users (id),
    about_id TEXT REFERENCES users (id),
    request_id TEXT REFERENCES help_requests (id),
    category TEXT NOT NULL CHECK (category IN ('neglect', 'self_neglect', 'financial', 'physical', 'emotional', 'helper_conduct', 'other')),
    description TEXT NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX concerns_raised_by ON concerns (raised_by, created_at);
CREATE INDEX concerns_created ON concerns (created_at);

CREATE TABLE concern_history (
    id TEXT PRIMARY KEY NOT NULL,
    concern_id TEXT NOT NULL REFERENCES concerns (id),
    seq INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    by_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'investigating', 'referred', 'closed')),
    note TEXT NOT NULL,
    referred_to TEXT,
    reference TEXT,
    closure_reason TEXT,
    UNIQUE (concern_id, seq)
);

CREATE FUNCTION safeguarding_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'safeguarding records are never edited or deleted (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER concerns_append_only BEFORE UPDATE OR DELETE ON concerns
    FOR EACH ROW EXECUTE FUNCTION safeguarding_is_append_only();
CREATE TRIGGER concerns_never_truncated BEFORE TRUNCATE ON concerns
    FOR EACH STATEMENT EXECUTE FUNCTION safeguarding_is_append_only();
CREATE TRIGGER concern_history_append_only BEFORE UPDATE OR DELETE ON concern_history
    FOR EACH ROW EXECUTE FUNCTION safeguarding_is_append_only();
CREATE TRIGGER concern_history_never_truncated BEFORE TRUNCATE ON concern_history
    FOR EACH STATEMENT EXECUTE FUNCTION safeguarding_is_append_only();
