-- Text messages. A person's phone in E.164 ("+447700900123"), kept beside the number as typed
-- and filled whenever the number is written, so that a text from a number finds its person.
ALTER TABLE users ADD COLUMN phone_e164 TEXT;
CREATE INDEX users_phone_e164 ON users (phone_e164);

-- What the gateway's delivery report said of a text ("delivered", "failed", ...), and when.
ALTER TABLE outbox ADD COLUMN delivery TEXT;
ALTER TABLE outbox ADD COLUMN delivery_at TIMESTAMP;

-- Numbers that texted STOP: nothing more is texted to them until they text START.
CREATE TABLE texts_stopped (
    phone TEXT PRIMARY KEY NOT NULL,
    stopped_at TIMESTAMP NOT NULL
);

-- Codes sent by text to sign in with, held hashed: valid for minutes, a few tries, used once.
CREATE TABLE sign_in_codes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    used_at TIMESTAMP
);
CREATE INDEX sign_in_codes_phone ON sign_in_codes (phone, created_at);
