-- Offers are looked up by their request on every new request, decline and lapse (open ones, who
-- had a turn); without this index each lookup reads every offer ever made.
CREATE INDEX offers_request ON offers (request_id, status);
-- A member's history with helpers (continuity) reads only their completed jobs.
CREATE INDEX help_requests_member_status ON help_requests (member_id, status, helper_id);
