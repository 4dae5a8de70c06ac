DROP TRIGGER memberships_append_only ON memberships;
CREATE TRIGGER memberships_append_only BEFORE UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
DROP TRIGGER ledger_movements_append_only ON ledger_movements;
CREATE TRIGGER ledger_movements_append_only BEFORE UPDATE OR DELETE ON ledger_movements
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
DROP FUNCTION ledger_erasure_only();
