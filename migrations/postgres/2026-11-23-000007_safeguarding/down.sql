DROP TABLE concern_history;
DROP TABLE concerns;
DROP FUNCTION safeguarding_is_append_only();
