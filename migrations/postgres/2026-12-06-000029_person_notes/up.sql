-- A person's record, as coordinators keep it: notes, and calls logged ("rang Edith: she is
-- managing, will ring on Friday"), each with who wrote it and when. Coordinators only; in the
-- person's export; erased with them.
CREATE TABLE person_notes (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX person_notes_person ON person_notes (person_id, created_at);
CREATE INDEX person_notes_written_by ON person_notes (written_by);
