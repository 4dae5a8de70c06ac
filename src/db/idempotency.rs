//! Idempotency keys: the first response to a key is kept and replayed for retries.

use diesel::prelude::*;

use super::schema::idempotency_keys;
use super::DbConnection;

pub enum Claim {
    /// The key is new: go ahead, then `complete` or `release` it.
    Fresh,
    /// Seen before with the same body: answer this again.
    Replay { status: u16, body: String },
    /// Seen before with another body.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

pub fn claim(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> QueryResult<Claim> {
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::scope.eq(scope),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::created_at.eq(super::now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => return Ok(Claim::Fresh),
        Err(e) if super::is_unique_violation(&e) => {}
        Err(e) => return Err(e),
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
    Ok(match (status, body) {
        (Some(status), Some(body)) => Claim::Replay {
            status: status as u16,
            body,
        },
        _ => Claim::InProgress,
    })
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

/// Forget a key whose request failed, so that a retry can run.
pub fn release(conn: &mut DbConnection, scope: &str, key: &str) -> QueryResult<()> {
    diesel::delete(idempotency_keys::table.find((scope, key)))
        .execute(conn)
        .map(|_| ())
}
