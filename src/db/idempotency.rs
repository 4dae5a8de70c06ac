//! Idempotency keys: the first answer to a key is kept and replayed for retries. The claim, the
//! work and the answer share one transaction (see `service::idempotency`).

use diesel::prelude::*;

use super::schema::idempotency_keys;
use super::DbConnection;

pub enum Claim {
    /// The key is new: it is ours until the transaction ends; do the work, then `complete` it.
    Fresh,
    /// Seen before with the same body: answer this again.
    Replay { status: u16, body: String },
    /// Seen before with another body.
    Mismatch,
}

/// Insert the key if it is new. Another transaction holding the same key makes this wait for it
/// (PostgreSQL's unique index; SQLite's single writer), so a concurrent retry replays the answer
/// the first one commits.
pub fn claim(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> QueryResult<Claim> {
    let row = (
        idempotency_keys::scope.eq(scope),
        idempotency_keys::idem_key.eq(key),
        idempotency_keys::request_hash.eq(request_hash),
        idempotency_keys::created_at.eq(super::now()),
    );
    let inserted = insert_or_ignore!(conn, idempotency_keys::table, row)?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let (hash, status, body): (String, Option<i32>, Option<String>) = idempotency_keys::table
        .find((scope, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status_code,
            idempotency_keys::response_body,
        ))
        .first(conn)?;
    if hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    match (status, body) {
        (Some(status), Some(body)) => Ok(Claim::Replay {
            status: status as u16,
            body,
        }),
        // A key without an answer: only a claim from before claims and answers were written
        // together can look like this. Take it over and do the work.
        _ => Ok(Claim::Fresh),
    }
}

pub fn complete(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    status: u16,
    body: &str,
) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((scope, key)))
        .set((
            idempotency_keys::status_code.eq(i32::from(status)),
            idempotency_keys::response_body.eq(body),
        ))
        .execute(conn)
        .map(|_| ())
}
