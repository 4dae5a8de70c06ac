-- A coordinator may cancel an event before it starts: when, and why (told to everyone going or
-- waiting). A cancelled event takes no sign-ups.
ALTER TABLE events ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE events ADD COLUMN cancel_reason TEXT;
