-- A helper running late: when they now expect to arrive (said in one tap, and again if it
-- changes), with a note if they like; and when coordinators were alerted that a visit had
-- started with no check-in (once).
ALTER TABLE visits ADD COLUMN eta TIMESTAMP;
ALTER TABLE visits ADD COLUMN late_note TEXT;
ALTER TABLE visits ADD COLUMN no_check_in_alerted_at TIMESTAMP;
