DROP TRIGGER concern_history_never_deleted;
DROP TRIGGER concern_history_never_edited;
DROP TRIGGER concerns_never_deleted;
DROP TRIGGER concerns_never_edited;
DROP TABLE concern_history;
DROP TABLE concerns;
