-- The ledger and memberships stay append-only, with one exception: erasing a person (UK GDPR)
-- clears who paid and the note, the only free text in them, and changes nothing else; the
-- minutes, the amounts and the sums stay as they were.
DROP TRIGGER memberships_never_changed;
CREATE TRIGGER memberships_never_changed BEFORE UPDATE ON memberships
WHEN NOT (NEW.paid_by IS NULL AND NEW.id IS OLD.id AND NEW.member_id IS OLD.member_id
    AND NEW.starts_on IS OLD.starts_on AND NEW.ends_on IS OLD.ends_on
    AND NEW.fee_pence IS OLD.fee_pence AND NEW.created_by IS OLD.created_by
    AND NEW.created_at IS OLD.created_at)
BEGIN SELECT RAISE(ABORT, 'memberships are never changed; add a new one'); END;
DROP TRIGGER ledger_movements_never_changed;
CREATE TRIGGER ledger_movements_never_changed BEFORE UPDATE ON ledger_movements
WHEN NOT (NEW.paid_by IS NULL AND NEW.note IS NULL AND NEW.id IS OLD.id
    AND NEW.member_id IS OLD.member_id AND NEW.kind IS OLD.kind
    AND NEW.request_id IS OLD.request_id AND NEW.amount_pence IS OLD.amount_pence
    AND NEW.created_by IS OLD.created_by AND NEW.at IS OLD.at)
BEGIN SELECT RAISE(ABORT, 'the ledger is never changed'); END;
