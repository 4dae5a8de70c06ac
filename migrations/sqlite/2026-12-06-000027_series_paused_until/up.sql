-- A standing request may be paused until a day: visits from that day on are made and offered as
-- before (so that helpers hear in good time), and on that day it is active again by itself.
ALTER TABLE series ADD COLUMN paused_until DATE;
