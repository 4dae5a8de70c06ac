-- One-tap links in emails: accept or decline an offer, confirm a visit. Only a hash of each token
-- is kept (a copy of the database gives no working link); a link names one action, one offer or
-- visit and one helper, ends when the offer or visit does, and works once.
CREATE TABLE action_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    action TEXT NOT NULL,
    offer_id TEXT REFERENCES offers (id),
    request_id TEXT NOT NULL REFERENCES help_requests (id),
    helper_id TEXT NOT NULL REFERENCES users (id),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX action_links_expiry ON action_links (expires_at);
