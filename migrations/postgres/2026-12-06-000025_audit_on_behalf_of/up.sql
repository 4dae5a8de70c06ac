-- A line of the audit log may be done for someone: a coordinator withdrawing a helper who rang
-- to say they cannot come. Whom it was done for has its own column (it was the second word of
-- the detail, "withdrew_late {helper}").
ALTER TABLE audit_log ADD COLUMN on_behalf_of TEXT;
UPDATE audit_log
SET on_behalf_of = split_part(detail, ' ', 2),
    detail = split_part(detail, ' ', 1)
WHERE action = 'visit.withdrawn' AND position(' ' in detail) > 0;
CREATE INDEX audit_log_on_behalf_of ON audit_log (on_behalf_of, created_at);
