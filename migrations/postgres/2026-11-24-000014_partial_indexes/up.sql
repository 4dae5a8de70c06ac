-- Indexes on columns a new row leaves empty cover only the rows that have a value, so that
-- inserting a request (or queueing an email) does not write an entry into each of them. Every
-- query on these columns compares them with a value, which tells the planner the column is set.
DROP INDEX help_requests_helper;
CREATE INDEX help_requests_helper ON help_requests (helper_id, created_at)
    WHERE helper_id IS NOT NULL;
DROP INDEX help_requests_helper_schedule;
CREATE INDEX help_requests_helper_schedule ON help_requests (helper_id, scheduled_start)
    WHERE scheduled_start IS NOT NULL;
DROP INDEX help_requests_scheduled;
CREATE INDEX help_requests_scheduled ON help_requests (status, scheduled_start)
    WHERE scheduled_start IS NOT NULL;
DROP INDEX help_requests_assigned;
CREATE INDEX help_requests_assigned ON help_requests (assigned_at) WHERE assigned_at IS NOT NULL;
DROP INDEX help_requests_completed;
CREATE INDEX help_requests_completed ON help_requests (completed_at)
    WHERE completed_at IS NOT NULL;
DROP INDEX help_requests_cancelled;
CREATE INDEX help_requests_cancelled ON help_requests (cancelled_at)
    WHERE cancelled_at IS NOT NULL;
DROP INDEX outbox_sent;
CREATE INDEX outbox_sent ON outbox (status, sent_at) WHERE sent_at IS NOT NULL;
