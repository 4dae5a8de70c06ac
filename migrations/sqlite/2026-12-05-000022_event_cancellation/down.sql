ALTER TABLE events DROP COLUMN cancel_reason;
ALTER TABLE events DROP COLUMN cancelled_at;
