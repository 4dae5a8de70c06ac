-- Where a person is signed in: each refresh-token family is one signed-in phone or browser, named
-- in words from the browser that signed in ("Chrome on Android"); one kept signed in
-- ("Keep me signed in on this phone") lives in a cookie and lasts auth.remember_days.
ALTER TABLE refresh_tokens ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_tokens ADD COLUMN remember BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, expires_at);
