-- A person's secret calendar address: only the hash of its token is kept; a new address
-- replaces the old, which then answers 404.
CREATE TABLE calendar_feeds (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
