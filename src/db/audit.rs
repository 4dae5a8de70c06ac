//! The audit log: who did what, including every time a member's address was shown to a helper.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::DbConnection;
use crate::domain::AuditAction;

pub fn record(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    actor_id: Option<&str>,
    action: AuditAction,
    subject_id: &str,
    detail: Option<&str>,
) -> QueryResult<()> {
    insert(conn, at, (actor_id, None), action, subject_id, detail)
}

/// A line for something `actor_id` did on behalf of `for_id`.
pub fn record_for(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    (actor_id, for_id): (&str, &str),
    action: AuditAction,
    subject_id: &str,
    detail: Option<&str>,
) -> QueryResult<()> {
    insert(
        conn,
        at,
        (Some(actor_id), Some(for_id)),
        action,
        subject_id,
        detail,
    )
}

fn insert(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    (actor_id, for_id): (Option<&str>, Option<&str>),
    action: AuditAction,
    subject_id: &str,
    detail: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(super::new_id()),
            audit_log::actor_id.eq(actor_id),
            audit_log::on_behalf_of.eq(for_id),
            audit_log::action.eq(action),
            audit_log::subject_id.eq(subject_id),
            audit_log::detail.eq(detail),
            audit_log::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The same line about each of these subjects, in one statement.
pub fn record_each(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    actor_id: Option<&str>,
    action: AuditAction,
    subject_ids: &[&str],
    detail: Option<&str>,
) -> QueryResult<()> {
    if subject_ids.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = subject_ids
        .iter()
        .map(|subject| {
            (
                audit_log::id.eq(super::new_id()),
                audit_log::actor_id.eq(actor_id),
                audit_log::action.eq(action),
                audit_log::subject_id.eq(*subject),
                audit_log::detail.eq(detail),
                audit_log::created_at.eq(at),
            )
        })
        .collect();
    // One statement however many rows: a list read by a coordinator records each item it shows,
    // and its statements must not grow with the page.
    let insert = diesel::insert_into(audit_log::table).values(rows);
    match conn {
        DbConnection::Sqlite(c) => insert.execute(c),
        DbConnection::Pg(c) => insert.execute(c),
    }
    .map(|_| ())
}

/// One line of the audit log: `(actor_id, action, detail)`.
pub type AuditEntry = (Option<String>, AuditAction, Option<String>);

/// The audit log for one subject, oldest first.
pub fn for_subject(conn: &mut DbConnection, subject_id: &str) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::subject_id.eq(subject_id))
        .order(audit_log::created_at.asc())
        .select((audit_log::actor_id, audit_log::action, audit_log::detail))
        .load(conn)
}

/// Whether the log already holds this action about this subject with this detail.
pub fn has(
    conn: &mut DbConnection,
    action: AuditAction,
    subject_id: &str,
    detail: &str,
) -> QueryResult<bool> {
    let n: i64 = audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::subject_id.eq(subject_id))
        .filter(audit_log::detail.eq(detail))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: String,
    pub actor_id: Option<String>,
    pub action: AuditAction,
    pub subject_id: String,
    pub detail: Option<String>,
    pub created_at: NaiveDateTime,
    /// Whom the actor did it for (a coordinator withdrawing a helper who rang).
    pub on_behalf_of: Option<String>,
}

/// Which lines of the log, newest first, after the keyset `after` (created_at, id).
pub struct AuditQuery<'a> {
    pub subject_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub after: Option<(NaiveDateTime, String)>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConnection, q: &AuditQuery<'_>) -> QueryResult<Vec<AuditRow>> {
    let mut query = audit_log::table
        .select(AuditRow::as_select())
        .into_boxed::<super::MultiBackend>();
    if let Some(subject) = q.subject_id {
        query = query.filter(audit_log::subject_id.eq(subject.to_string()));
    }
    if let Some(actor) = q.actor_id {
        query = query.filter(audit_log::actor_id.eq(actor.to_string()));
    }
    if let Some((at, id)) = &q.after {
        query = query.filter(
            audit_log::created_at.lt(*at).or(audit_log::created_at
                .eq(*at)
                .and(audit_log::id.lt(id.clone()))),
        );
    }
    query
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(q.limit + 1)
        .load(conn)
}

/// The log lines about a request, oldest first: those with it as their subject, and each time its
/// member's address was shown to a helper for it.
pub fn for_request(conn: &mut DbConnection, request_id: &str) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(
            audit_log::subject_id.eq(request_id).or(audit_log::action
                .eq(AuditAction::MemberAddressRevealed)
                .and(audit_log::detail.eq(request_id))),
        )
        .order((audit_log::created_at.asc(), audit_log::id.asc()))
        .select(AuditRow::as_select())
        .load(conn)
}
