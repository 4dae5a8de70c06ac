//! Idempotency-Key: the same key and body replay the first answer; the same key with another body
//! is refused. Keys are kept per caller, and claimed, used and answered in the one transaction of
//! the use case, so that a crash leaves either the whole answer or nothing.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Error, Result};
use crate::db::idempotency::{self, Claim};
use crate::db::DbConnection;
use crate::domain::Caller;

/// A key as a caller sent it, bound to who sent it and what they sent.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    scope: String,
    key: String,
    request_hash: String,
}

impl IdempotencyKey {
    /// `route` names the operation (`"POST /requests"`), `body` is the request body as sent.
    pub fn new(caller: Option<&Caller>, key: String, route: &str, body: &[u8]) -> Self {
        let scope = match caller {
            Some(c) => format!("user:{}", c.id),
            None => "anonymous".to_string(),
        };
        let mut hasher = Sha256::new();
        hasher.update(route.as_bytes());
        hasher.update([0]);
        hasher.update(body);
        let request_hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        IdempotencyKey {
            scope,
            key,
            request_hash,
        }
    }
}

/// A use case's answer under a key: done now, or the stored answer of the first time.
#[derive(Debug)]
pub enum Once<T> {
    Fresh(T),
    Replay { status: u16, body: String },
}

/// Claim the key, do the work, store the answer; all in the caller's transaction.
pub(super) fn run<T: Serialize>(
    c: &mut DbConnection,
    key: Option<&IdempotencyKey>,
    status: u16,
    work: impl FnOnce(&mut DbConnection) -> Result<T>,
) -> Result<Once<T>> {
    let Some(k) = key else {
        return work(c).map(Once::Fresh);
    };
    match idempotency::claim(c, &k.scope, &k.key, &k.request_hash)? {
        Claim::Replay { status, body } => return Ok(Once::Replay { status, body }),
        Claim::Mismatch => {
            return Err(Error::Unprocessable(
                "This Idempotency-Key was already used with a different request body.".into(),
            ))
        }
        Claim::Fresh => {}
    }
    let value = work(c)?;
    let body = serde_json::to_string(&value)?;
    idempotency::complete(c, &k.scope, &k.key, status, &body)?;
    Ok(Once::Fresh(value))
}
