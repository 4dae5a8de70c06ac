-- What needs a coordinator today. A concern's owner and review date travel with its history:
-- each entry says who owns it from then on and when it is next to be looked at (history is never
-- edited, so the latest entry is the concern's). A call-back is a line of a person's record with
-- a day to ring them on, done once a coordinator says so.
ALTER TABLE concern_history ADD COLUMN owner_id TEXT REFERENCES users (id);
ALTER TABLE concern_history ADD COLUMN review_on DATE;
ALTER TABLE person_notes ADD COLUMN due_on DATE;
ALTER TABLE person_notes ADD COLUMN done_at TIMESTAMP;
ALTER TABLE person_notes ADD COLUMN done_by TEXT REFERENCES users (id);
CREATE INDEX person_notes_call_backs ON person_notes (due_on) WHERE done_at IS NULL AND due_on IS NOT NULL;
