-- What a coordinator, and a helper at the door, need to know of a member: who to ring in an
-- emergency (name, phone, how they are related), and their access needs ("deaf in the left ear,
-- knock loudly"; "key safe by the door"). The access needs are shown to the assigned helper only
-- while the visit is theirs.
ALTER TABLE members ADD COLUMN access_needs TEXT;
ALTER TABLE members ADD COLUMN emergency_name TEXT;
ALTER TABLE members ADD COLUMN emergency_phone TEXT;
ALTER TABLE members ADD COLUMN emergency_relation TEXT;
