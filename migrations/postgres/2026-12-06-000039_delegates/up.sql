-- A delegate's own account has the role `delegate`.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('member', 'helper', 'coordinator', 'delegate'));

-- A member's family delegates: someone the member (or a coordinator) invited to arrange help for
-- them, with the rights given (`can`: words from ask, see, account, space-separated). A row is an
-- invitation until someone accepts it (`delegate_id` then names their account and the token's
-- hash is gone); revoking deletes the row, so access ends at the delegate's next call.
CREATE TABLE delegates (
    id TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES users (id),
    delegate_id TEXT REFERENCES users (id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    can TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    invited_by TEXT NOT NULL REFERENCES users (id),
    invited_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP
);
CREATE INDEX delegates_of_member ON delegates (member_id);
CREATE INDEX delegates_by_account ON delegates (delegate_id);
CREATE UNIQUE INDEX delegates_one_each ON delegates (member_id, delegate_id);
CREATE UNIQUE INDEX delegates_email_once ON delegates (member_id, email);
