ALTER TABLE visits DROP COLUMN no_check_in_alerted_at;
ALTER TABLE visits DROP COLUMN late_note;
ALTER TABLE visits DROP COLUMN eta;
