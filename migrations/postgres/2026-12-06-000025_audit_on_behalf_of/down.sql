UPDATE audit_log SET detail = detail || ' ' || on_behalf_of
WHERE action = 'visit.withdrawn' AND on_behalf_of IS NOT NULL;
DROP INDEX audit_log_on_behalf_of;
ALTER TABLE audit_log DROP COLUMN on_behalf_of;
