//! Forget what is no longer needed: old idempotency keys, old failed logins, expired refresh tokens,
//! and emails sent long ago with their attempt logs.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{idempotency_keys, login_failures, outbox, outbox_attempts, refresh_tokens};
use super::DbConnection;

/// How long each kind of row is kept.
pub const IDEMPOTENCY_KEYS_KEPT: Duration = Duration::hours(24);
pub const SENT_EMAILS_KEPT: Duration = Duration::days(90);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub idempotency_keys: usize,
    pub login_failures: usize,
    pub refresh_tokens: usize,
    pub emails: usize,
}

/// Delete rows past their keeping time. `login_window` is the failed-login window.
pub fn prune(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_window: Duration,
) -> QueryResult<Pruned> {
    let idempotency_keys = diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.lt(now - IDEMPOTENCY_KEYS_KEPT))
            .filter(idempotency_keys::status_code.is_not_null()),
    )
    .execute(conn)?;
    let login_failures = diesel::delete(
        login_failures::table.filter(login_failures::failed_at.lt(now - login_window)),
    )
    .execute(conn)?;
    let refresh_tokens =
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(now)))
            .execute(conn)?;
    let old: Vec<String> = outbox::table
        .filter(outbox::status.eq("sent"))
        .filter(outbox::sent_at.lt(now - SENT_EMAILS_KEPT))
        .filter(outbox::dedup_key.is_null())
        .select(outbox::id)
        .limit(10_000)
        .load(conn)?;
    diesel::delete(outbox_attempts::table.filter(outbox_attempts::outbox_id.eq_any(&old)))
        .execute(conn)?;
    let emails = diesel::delete(outbox::table.filter(outbox::id.eq_any(&old))).execute(conn)?;
    Ok(Pruned {
        idempotency_keys,
        login_failures,
        refresh_tokens,
        emails,
    })
}
