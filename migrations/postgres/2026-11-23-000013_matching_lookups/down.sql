DROP INDEX feedback_member;
DROP INDEX feedback_helper;
DROP INDEX offers_request;
CREATE INDEX offers_request ON offers (request_id, status);
