-- Memberships, and the time ledger: double-entry and append-only. Every movement is entries that
-- sum to zero across the member's account and the Circle's; nothing here is ever changed or
-- deleted, and a balance is the sum of an account's entries.
CREATE TABLE memberships (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES users (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    fee_pence INTEGER NOT NULL CHECK (fee_pence >= 0),
    paid_by TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_on > starts_on)
);
CREATE INDEX memberships_member ON memberships (member_id, ends_on);

CREATE TABLE ledger_movements (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('credit', 'adjustment', 'debit')),
    request_id TEXT REFERENCES help_requests (id),
    amount_pence INTEGER CHECK (amount_pence >= 0),
    paid_by TEXT,
    note TEXT,
    created_by TEXT REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_movements_member ON ledger_movements (member_id, at);
CREATE UNIQUE INDEX ledger_movements_debit ON ledger_movements (request_id, kind);

CREATE TABLE ledger_entries (
    id TEXT PRIMARY KEY NOT NULL,
    movement_id TEXT NOT NULL REFERENCES ledger_movements (id),
    account TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries (account);
CREATE INDEX ledger_entries_movement ON ledger_entries (movement_id);

CREATE TRIGGER memberships_never_changed BEFORE UPDATE ON memberships
BEGIN SELECT RAISE(ABORT, 'memberships are never changed; add a new one'); END;
CREATE TRIGGER memberships_never_deleted BEFORE DELETE ON memberships
BEGIN SELECT RAISE(ABORT, 'memberships are never deleted'); END;
CREATE TRIGGER ledger_movements_never_changed BEFORE UPDATE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'the ledger is never changed'); END;
CREATE TRIGGER ledger_movements_never_deleted BEFORE DELETE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'the ledger is never deleted from'); END;
CREATE TRIGGER ledger_entries_never_changed BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is never changed'); END;
CREATE TRIGGER ledger_entries_never_deleted BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is never deleted from'); END;
