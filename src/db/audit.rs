//! The audit log: who did what, including every time a member's address was shown to a helper.

use diesel::prelude::*;

use super::schema::audit_log;
use super::DbConnection;
use crate::domain::AuditAction;

pub fn record(
    conn: &mut DbConnection,
    actor_id: Option<&str>,
    action: AuditAction,
    subject_id: &str,
    detail: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(super::new_id()),
            audit_log::actor_id.eq(actor_id),
            audit_log::action.eq(action),
            audit_log::subject_id.eq(subject_id),
            audit_log::detail.eq(detail),
            audit_log::created_at.eq(super::now()),
        ))
        .execute(conn)
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
