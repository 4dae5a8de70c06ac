CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES help_requests (id),
    helper_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'lapsed', 'withdrawn')),
    score DOUBLE NOT NULL,
    distance_km DOUBLE NOT NULL,
    reasons TEXT NOT NULL,
    start_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    responded_at TIMESTAMP,
    UNIQUE (request_id, helper_id)
);
CREATE INDEX offers_helper ON offers (helper_id, status, created_at);
CREATE INDEX offers_open ON offers (status, expires_at);

CREATE TABLE member_blocks (
    member_id TEXT NOT NULL REFERENCES users (id),
    helper_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (member_id, helper_id)
);
