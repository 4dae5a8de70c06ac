DROP INDEX helper_checks_recorded_by;
DROP INDEX helper_checks_helper;
DROP TABLE helper_checks;
