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

CREATE TRIGGER concerns_never_edited BEFORE UPDATE ON concerns
BEGIN SELECT RAISE(ABORT, 'safeguarding concerns are never edited'); END;
CREATE TRIGGER concerns_never_deleted BEFORE DELETE ON concerns
BEGIN SELECT RAISE(ABORT, 'safeguarding concerns are never deleted'); END;
CREATE TRIGGER concern_history_never_edited BEFORE UPDATE ON concern_history
BEGIN SELECT RAISE(ABORT, 'safeguarding history is never edited'); END;
CREATE TRIGGER concern_history_never_deleted BEFORE DELETE ON concern_history
BEGIN SELECT RAISE(ABORT, 'safeguarding history is never deleted'); END;
