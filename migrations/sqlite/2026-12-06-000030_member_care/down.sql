ALTER TABLE members DROP COLUMN emergency_relation;
ALTER TABLE members DROP COLUMN emergency_phone;
ALTER TABLE members DROP COLUMN emergency_name;
ALTER TABLE members DROP COLUMN access_needs;
