-- The checks behind a helper's vetting, as a coordinator records them: a DBS certificate (its
-- number and date), each reference taken up (the referee), proof of identity seen. Coordinators
-- and the helper read them; in the helper's export; deleted when the helper is erased.
CREATE TABLE helper_checks (
    id TEXT PRIMARY KEY NOT NULL,
    helper_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    reference TEXT,
    checked_on DATE NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX helper_checks_helper ON helper_checks (helper_id, checked_on);
CREATE INDEX helper_checks_recorded_by ON helper_checks (recorded_by);
