DROP TRIGGER memberships_never_changed;
CREATE TRIGGER memberships_never_changed BEFORE UPDATE ON memberships
BEGIN SELECT RAISE(ABORT, 'memberships are never changed; add a new one'); END;
DROP TRIGGER ledger_movements_never_changed;
CREATE TRIGGER ledger_movements_never_changed BEFORE UPDATE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'the ledger is never changed'); END;
