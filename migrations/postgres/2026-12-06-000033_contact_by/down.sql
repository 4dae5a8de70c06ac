ALTER TABLE users DROP COLUMN contact_by;
