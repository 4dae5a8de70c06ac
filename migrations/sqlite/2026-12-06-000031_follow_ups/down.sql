DROP INDEX person_notes_call_backs;
ALTER TABLE person_notes DROP COLUMN done_by;
ALTER TABLE person_notes DROP COLUMN done_at;
ALTER TABLE person_notes DROP COLUMN due_on;
ALTER TABLE concern_history DROP COLUMN review_on;
ALTER TABLE concern_history DROP COLUMN owner_id;
