DROP INDEX help_requests_member_status;
DROP INDEX offers_request;
