DROP TABLE delegates;
DELETE FROM users WHERE role = 'delegate';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('member', 'helper', 'coordinator'));
