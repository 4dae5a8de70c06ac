DROP TABLE ledger_entries;
DROP TABLE ledger_movements;
DROP TABLE memberships;
