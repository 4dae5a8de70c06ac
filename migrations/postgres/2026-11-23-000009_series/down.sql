DROP INDEX help_requests_series_day;
ALTER TABLE help_requests DROP COLUMN occurs_on;
ALTER TABLE help_requests DROP COLUMN series_id;
DROP TABLE series;
