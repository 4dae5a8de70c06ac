-- The member is reminded the day before a visit ("Hal is coming tomorrow"), once however many
-- processes sweep: the moment it was queued.
ALTER TABLE visits ADD COLUMN member_reminded_at TIMESTAMP;
