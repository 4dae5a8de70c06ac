-- The ledger and memberships stay append-only, with one exception: erasing a person (UK GDPR)
-- clears who paid and the note, the only free text in them, and changes nothing else; the
-- minutes, the amounts and the sums stay as they were.
CREATE FUNCTION ledger_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND (to_jsonb(NEW) ->> 'paid_by') IS NULL
        AND (to_jsonb(NEW) ->> 'note') IS NULL
        AND (to_jsonb(NEW) - 'paid_by' - 'note') = (to_jsonb(OLD) - 'paid_by' - 'note') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the ledger and memberships are never changed or deleted (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$;
DROP TRIGGER memberships_append_only ON memberships;
CREATE TRIGGER memberships_append_only BEFORE UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION ledger_erasure_only();
DROP TRIGGER ledger_movements_append_only ON ledger_movements;
CREATE TRIGGER ledger_movements_append_only BEFORE UPDATE OR DELETE ON ledger_movements
    FOR EACH ROW EXECUTE FUNCTION ledger_erasure_only();
