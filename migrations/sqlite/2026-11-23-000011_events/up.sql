-- Social events and who signs up. A sign-up is going or waiting (in `seq` order) until the member
-- leaves; the event's row is locked (PostgreSQL) or the writer held (SQLite) while places are
-- counted, so that never more are going than the capacity.
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    place TEXT NOT NULL,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_starts ON events (starts_at, id);

CREATE TABLE event_signups (
    event_id TEXT NOT NULL REFERENCES events (id),
    member_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('going', 'waiting', 'left')),
    seq INTEGER NOT NULL,
    needs_lift BOOLEAN NOT NULL,
    lift_request_id TEXT REFERENCES help_requests (id),
    signed_up_by TEXT NOT NULL REFERENCES users (id),
    signed_up_at TIMESTAMP NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    attended_at TIMESTAMP,
    PRIMARY KEY (event_id, member_id)
);
CREATE UNIQUE INDEX event_signups_order ON event_signups (event_id, seq);
CREATE INDEX event_signups_member ON event_signups (member_id);
