DROP TABLE ledger_entries;
DROP TABLE ledger_movements;
DROP TABLE memberships;
DROP FUNCTION ledger_is_append_only();
