-- Standing requests: the same help on a rhythm. Occurrences are ordinary requests with the
-- series' id and their day; one per series and day, however many processes make them.
CREATE TABLE series (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES users (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    every_weeks INTEGER NOT NULL CHECK (every_weeks IN (1, 2, 4)),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    timezone TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    helper_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX series_member ON series (member_id, created_at);
CREATE INDEX series_helper ON series (helper_id);
CREATE INDEX series_status ON series (status);

ALTER TABLE help_requests ADD COLUMN series_id TEXT REFERENCES series (id);
ALTER TABLE help_requests ADD COLUMN occurs_on DATE;
CREATE UNIQUE INDEX help_requests_series_day ON help_requests (series_id, occurs_on);
