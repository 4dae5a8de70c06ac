DROP TABLE delegates;
DELETE FROM users WHERE role = 'delegate';
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '''coordinator'', ''delegate''))', '''coordinator''))')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
