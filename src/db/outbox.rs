//! The outbox: emails, and the Web Push messages that go with them, waiting to be sent, claimed by
//! one worker at a time. Each email queued for a person with push subscriptions also queues one
//! push row per subscription (`kind` `push`, `recipient` the subscription), in the same statement
//! batch and transaction.
//!
//! A worker claims due rows for a lease (`sending`, `claimed_by`, `claimed_until`). On PostgreSQL the
//! claim is one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`, so workers in
//! several processes never take the same row; on SQLite the claim runs in a `BEGIN IMMEDIATE`
//! transaction, which no other writer can interleave with. A worker that dies mid-send leaves its
//! rows claimed until the lease runs out; then another worker takes them and sends them again.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use super::schema::{outbox, outbox_attempts};
use super::DbConnection;
use crate::domain::push::PushNote;
use crate::domain::{MessageKind, OutboxStatus};

// `None` is inserted as NULL, not DEFAULT, so that several rows go in one statement on SQLite
// (which has no DEFAULT keyword, and for which diesel would insert them one by one).
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct OutboxRow {
    pub id: String,
    pub kind: MessageKind,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub dedup_key: Option<String>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// A text's delivery report, as the gateway gave it.
    pub delivery: Option<String>,
    pub delivery_at: Option<NaiveDateTime>,
}

/// A message to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEmail {
    pub kind: MessageKind,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub dedup_key: Option<String>,
    /// What the recipient's phones are told; without one, only that there is news.
    pub push: Option<PushNote>,
}

/// The push rows that go with these emails: one per subscription of each recipient.
fn pushes(
    conn: &mut DbConnection,
    emails: &[&NewEmail],
    now: NaiveDateTime,
) -> QueryResult<Vec<OutboxRow>> {
    let emails: Vec<&NewEmail> = emails
        .iter()
        .copied()
        .filter(|e| e.kind != MessageKind::Text)
        .collect();
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    let to: Vec<&str> = emails.iter().map(|e| e.recipient.as_str()).collect();
    let subscriptions = super::push_subscriptions::of_addresses(conn, &to)?;
    let mut rows = Vec::new();
    for email in &emails {
        for (_, sub) in subscriptions.iter().filter(|(a, _)| *a == email.recipient) {
            let note = email.push.clone().unwrap_or_else(PushNote::generic);
            rows.push(OutboxRow {
                kind: MessageKind::Push,
                recipient: sub.id.clone(),
                subject: note.title.clone(),
                text_body: serde_json::to_string(&note).unwrap_or_default(),
                html_body: String::new(),
                dedup_key: email
                    .dedup_key
                    .as_ref()
                    .map(|k| format!("{k}/push/{}", sub.id)),
                ..pending(email, now)
            });
        }
    }
    Ok(rows)
}

fn insert_rows(conn: &mut DbConnection, rows: &[OutboxRow]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    insert_rows!(conn, outbox::table, rows).map(|_| ())
}

pub fn enqueue(
    conn: &mut DbConnection,
    email: &NewEmail,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let row = pending(email, now);
    diesel::insert_into(outbox::table)
        .values(&row)
        .execute(conn)?;
    let pushes = pushes(conn, &[email], now)?;
    insert_rows(conn, &pushes)?;
    Ok(row.id)
}

/// Queue these messages in one statement.
pub fn enqueue_all(
    conn: &mut DbConnection,
    emails: &[NewEmail],
    now: NaiveDateTime,
) -> QueryResult<()> {
    enqueue_all_due(conn, emails, now, now)
}

/// Queue these messages (made at `now`) to be sent from `due`: a message that waits for the
/// end of the Circle's quiet hours.
pub fn enqueue_all_due(
    conn: &mut DbConnection,
    emails: &[NewEmail],
    now: NaiveDateTime,
    due: NaiveDateTime,
) -> QueryResult<()> {
    if emails.is_empty() {
        return Ok(());
    }
    let due = due.max(now);
    let mut rows: Vec<OutboxRow> = emails.iter().map(|e| pending(e, now)).collect();
    rows.extend(pushes(conn, &emails.iter().collect::<Vec<_>>(), now)?);
    for row in &mut rows {
        row.next_attempt_at = due;
    }
    insert_rows(conn, &rows)
}

/// A message waiting for its first attempt, due now.
fn pending(email: &NewEmail, now: NaiveDateTime) -> OutboxRow {
    OutboxRow {
        id: super::new_id(),
        kind: email.kind,
        recipient: email.recipient.clone(),
        subject: email.subject.clone(),
        text_body: email.text_body.clone(),
        html_body: email.html_body.clone(),
        dedup_key: email.dedup_key.clone(),
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: now,
        claimed_by: None,
        claimed_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
        delivery: None,
        delivery_at: None,
    }
}

/// Queue a message that must exist once only; false when its key was already queued.
pub fn enqueue_once(
    conn: &mut DbConnection,
    email: &NewEmail,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    if let Some(key) = &email.dedup_key {
        let seen: i64 = outbox::table
            .filter(outbox::dedup_key.eq(key))
            .count()
            .get_result(conn)?;
        if seen > 0 {
            return Ok(false);
        }
    }
    // Another transaction may queue the same key at once: its insert then fails here, inside a
    // savepoint, so that on PostgreSQL the caller's transaction goes on.
    match super::savepoint(conn, |c| enqueue(c, email, now)) {
        Ok(_) => Ok(true),
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Claim up to `limit` due messages for `worker` until `lease_until`.
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    match conn {
        DbConnection::Pg(pg) => diesel::sql_query(
            "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_until = $2 \
             WHERE id IN (SELECT id FROM outbox \
                 WHERE (status = 'pending' AND next_attempt_at <= $3) \
                    OR (status = 'sending' AND claimed_until < $3) \
                 ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
        )
        .bind::<Text, _>(worker)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load(pg),
        DbConnection::Sqlite(_) => super::write_tx(conn, |conn| {
            let due: Vec<String> = outbox::table
                .filter(
                    outbox::status
                        .eq(OutboxStatus::Pending)
                        .and(outbox::next_attempt_at.le(now))
                        .or(outbox::status
                            .eq(OutboxStatus::Sending)
                            .and(outbox::claimed_until.lt(now))),
                )
                .order(outbox::next_attempt_at.asc())
                .limit(limit)
                .select(outbox::id)
                .load(conn)?;
            diesel::update(outbox::table.filter(outbox::id.eq_any(&due)))
                .set((
                    outbox::status.eq(OutboxStatus::Sending),
                    outbox::claimed_by.eq(worker),
                    outbox::claimed_until.eq(lease_until),
                ))
                .execute(conn)?;
            outbox::table
                .filter(outbox::id.eq_any(&due))
                .select(OutboxRow::as_select())
                .load(conn)
        }),
    }
}

fn record_attempt(
    conn: &mut DbConnection,
    row: &OutboxRow,
    worker: &str,
    at: NaiveDateTime,
    error: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(outbox_attempts::table)
        .values((
            outbox_attempts::id.eq(super::new_id()),
            outbox_attempts::outbox_id.eq(&row.id),
            outbox_attempts::attempt.eq(row.attempts + 1),
            outbox_attempts::worker.eq(worker),
            outbox_attempts::at.eq(at),
            outbox_attempts::error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The message went out.
pub fn mark_sent(
    conn: &mut DbConnection,
    row: &OutboxRow,
    worker: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    record_attempt(conn, row, worker, at, None)?;
    diesel::update(
        outbox::table
            .find(&row.id)
            .filter(outbox::claimed_by.eq(worker)),
    )
    .set((
        outbox::status.eq(OutboxStatus::Sent),
        outbox::attempts.eq(row.attempts + 1),
        outbox::sent_at.eq(at),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
        outbox::last_error.eq(None::<String>),
    ))
    .execute(conn)
    .map(|_| ())
}

/// The send failed: try again at `retry_at`, or give up (`failed`) when `retry_at` is None.
pub fn mark_failed(
    conn: &mut DbConnection,
    row: &OutboxRow,
    worker: &str,
    at: NaiveDateTime,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    record_attempt(conn, row, worker, at, Some(error))?;
    diesel::update(
        outbox::table
            .find(&row.id)
            .filter(outbox::claimed_by.eq(worker)),
    )
    .set((
        outbox::status.eq(if retry_at.is_some() {
            OutboxStatus::Pending
        } else {
            OutboxStatus::Failed
        }),
        outbox::attempts.eq(row.attempts + 1),
        outbox::next_attempt_at.eq(retry_at.unwrap_or(at)),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
        outbox::last_error.eq(error),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Emails in one state, newest first (coordinators look at `failed`); push messages are not
/// listed (a phone that stopped listening is not a coordinator's to ring about).
pub fn list(
    conn: &mut DbConnection,
    status: OutboxStatus,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::status.eq(status))
        .filter(outbox::kind.ne(MessageKind::Push))
        .order(outbox::created_at.desc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// All messages for one recipient, oldest first (for tests and support).
pub fn for_recipient(conn: &mut DbConnection, recipient: &str) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::recipient.eq(recipient))
        .order(outbox::created_at.asc())
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Has any message with a dedup key starting `prefix` been queued?
pub fn any_with_key_prefix(conn: &mut DbConnection, prefix: &str) -> QueryResult<bool> {
    let n: i64 = outbox::table
        .filter(outbox::dedup_key.like(format!("{prefix}%")))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// How many emails are in each status.
pub fn count_by_status(conn: &mut DbConnection) -> QueryResult<Vec<(OutboxStatus, i64)>> {
    outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)
}
