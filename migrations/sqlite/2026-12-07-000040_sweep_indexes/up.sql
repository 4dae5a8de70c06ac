-- The daily sweep's reminders find what falls due without reading every helper or member:
-- approved helpers whose vetting ends within the notice days, memberships ending within theirs.
CREATE INDEX helpers_vetting_expires ON helpers (vetting_status, vetting_expires_on);
CREATE INDEX memberships_ends ON memberships (ends_on);
