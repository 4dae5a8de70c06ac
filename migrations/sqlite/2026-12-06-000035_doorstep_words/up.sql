-- Two plain words for each assigned visit, said by the helper at the door: new at every
-- assignment (a later helper, or the same helper again, gets new words).
CREATE TABLE doorstep_words (
    request_id TEXT PRIMARY KEY NOT NULL REFERENCES help_requests (id),
    helper_id TEXT NOT NULL REFERENCES users (id),
    words TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
