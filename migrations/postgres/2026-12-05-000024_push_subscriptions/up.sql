-- A person's phones and browsers that asked for Web Push: where to post (the push service's
-- endpoint) and the keys to encrypt for it. Each email queued for the person is also queued, in
-- the outbox, as one push message per subscription.
CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
