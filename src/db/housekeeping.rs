//! Forget what is no longer needed: old idempotency keys, old failed logins, expired refresh tokens,
//! password-reset links once used or expired, the bodies of emails sent or given up on (they hold
//! addresses, phones and links) after `email.keep_sent_days`, and emails sent long ago with their
//! attempt logs, one-tap action links a week after they ended.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    idempotency_keys, login_failures, outbox, outbox_attempts, password_resets, refresh_tokens,
};
use super::DbConnection;
use crate::domain::OutboxStatus;

/// How long each kind of row is kept.
pub const IDEMPOTENCY_KEYS_KEPT: Duration = Duration::hours(24);
pub const SENT_EMAILS_KEPT: Duration = Duration::days(90);
/// An ended action link answers "run out" for this long, then it is forgotten.
pub const ENDED_LINKS_KEPT: Duration = Duration::days(7);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub idempotency_keys: usize,
    pub login_failures: usize,
    pub refresh_tokens: usize,
    pub emails: usize,
    pub email_bodies: usize,
    pub password_resets: usize,
    pub sign_in_codes: usize,
    pub action_links: usize,
}

/// Delete rows past their keeping time. `login_window` is the failed-login window; the bodies of
/// emails sent or failed more than `keep_bodies` ago are emptied (the subject, recipient and
/// status stay, for the outbox's list).
pub fn prune(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_window: Duration,
    keep_bodies: Duration,
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
        .filter(outbox::status.eq(OutboxStatus::Sent))
        .filter(outbox::sent_at.lt(now - SENT_EMAILS_KEPT))
        .filter(outbox::dedup_key.is_null())
        .select(outbox::id)
        .limit(10_000)
        .load(conn)?;
    diesel::delete(outbox_attempts::table.filter(outbox_attempts::outbox_id.eq_any(&old)))
        .execute(conn)?;
    let emails = diesel::delete(outbox::table.filter(outbox::id.eq_any(&old))).execute(conn)?;
    let before = now - keep_bodies;
    let email_bodies = diesel::update(
        outbox::table
            .filter(
                (outbox::status
                    .eq(OutboxStatus::Sent)
                    .and(outbox::sent_at.lt(before)))
                .or(outbox::status
                    .eq(OutboxStatus::Failed)
                    .and(outbox::created_at.lt(before))),
            )
            .filter(outbox::text_body.ne("").or(outbox::html_body.ne(""))),
    )
    .set((outbox::text_body.eq(""), outbox::html_body.eq("")))
    .execute(conn)?;
    // A link ends within the hour, used or not; its row is kept until then only to count the
    // links sent in the hour.
    let password_resets =
        diesel::delete(password_resets::table.filter(password_resets::expires_at.lt(now)))
            .execute(conn)?;
    let action_links = super::action_links::delete_ended(conn, now - ENDED_LINKS_KEPT)?;
    let sign_in_codes = super::sign_in_codes::delete_ended(conn, now - ENDED_LINKS_KEPT)?;
    Ok(Pruned {
        sign_in_codes,
        action_links,
        idempotency_keys,
        login_failures,
        refresh_tokens,
        emails,
        email_bodies,
        password_resets,
    })
}
