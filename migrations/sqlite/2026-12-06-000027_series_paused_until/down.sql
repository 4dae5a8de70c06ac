ALTER TABLE series DROP COLUMN paused_until;
