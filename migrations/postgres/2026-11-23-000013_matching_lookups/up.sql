-- Lookups made while matching every new request, which read whole tables without these.
--
-- A request's open offers are counted on every new request, decline and lapse. With the expiry in
-- the request's index the count is read from the index alone; without it SQLite's planner took
-- the (status, expires_at) index and read every open offer of every request.
DROP INDEX offers_request;
CREATE INDEX offers_request ON offers (request_id, status, expires_at);
-- Ratings of the helpers being weighed, and those the member gave, were read from every row of
-- feedback ever given.
CREATE INDEX feedback_helper ON feedback (helper_id, rating);
CREATE INDEX feedback_member ON feedback (member_id, helper_id, rating);
