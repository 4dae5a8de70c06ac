ALTER TABLE visits DROP COLUMN member_reminded_at;
