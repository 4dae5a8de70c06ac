-- A helper's photo, as the service re-encoded it: a square JPEG of at most 512 pixels, with
-- none of the original's metadata (place, camera).
CREATE TABLE helper_photos (
    helper_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    jpeg BLOB NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
