DROP INDEX help_requests_scheduled;
DROP TABLE visits;
