-- What happens around one helper's visit: asked to confirm, confirmed, coordinators alerted,
-- checked in and out, or how it stopped (withdrew, withdrew late, did not come, never confirmed).
CREATE TABLE visits (
    request_id TEXT NOT NULL REFERENCES help_requests (id),
    helper_id TEXT NOT NULL REFERENCES users (id),
    confirm_asked_at TIMESTAMP,
    confirmed_at TIMESTAMP,
    alerted_at TIMESTAMP,
    checked_in_at TIMESTAMP,
    checked_out_at TIMESTAMP,
    ended TEXT CHECK (ended IN ('withdrew', 'withdrew_late', 'no_show', 'unconfirmed')),
    ended_at TIMESTAMP,
    note TEXT,
    PRIMARY KEY (request_id, helper_id)
);
CREATE INDEX visits_helper ON visits (helper_id, ended);
CREATE INDEX visits_ended ON visits (ended, ended_at);
CREATE INDEX help_requests_scheduled ON help_requests (status, scheduled_start);
