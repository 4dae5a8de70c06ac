//! The audit log as coordinators read it: who did what to whom, newest first.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::{page, Page, Paging};
use super::views::utc;
use super::{Result, Services};
use crate::db::{self, audit::AuditQuery};
use crate::domain::Parsed;
use crate::domain::{AuditAction, Caller, UserId};

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: DateTime<Utc>,
    /// Who did it; none for the service itself (a sweep).
    pub actor_id: Option<String>,
    pub action: AuditAction,
    pub subject_id: String,
    pub detail: Option<String>,
    /// Whom the actor did it for (a coordinator withdrawing a helper who rang).
    pub on_behalf_of: Option<String>,
}

/// Lines of the log, optionally about one subject or by one actor.
pub fn read_log(
    svc: &Services,
    caller: &Caller,
    subject_id: Option<String>,
    actor_id: Option<UserId>,
    paging: impl Into<Parsed<Paging>>,
) -> Result<Page<AuditEntryView>> {
    super::coordinators_only(caller)?;
    let paging = paging.into().take()?;
    let rows = svc.read(|c| {
        Ok(db::audit::list(
            c,
            &AuditQuery {
                subject_id: subject_id.as_deref(),
                actor_id: actor_id.as_ref().map(|a| a.as_str()),
                after: paging.after.clone(),
                limit: paging.limit,
            },
        )?)
    })?;
    Ok(page(
        rows,
        paging.limit,
        |r| (r.created_at, r.id.clone()),
        |r| AuditEntryView {
            id: r.id,
            at: utc(r.created_at),
            actor_id: r.actor_id,
            action: r.action,
            subject_id: r.subject_id,
            detail: r.detail,
            on_behalf_of: r.on_behalf_of,
        },
    ))
}

/// Record what `caller` did: by them, or, for a delegate acting for a member, by the delegate on
/// behalf of the member.
pub(crate) fn by(
    c: &mut db::DbConnection,
    caller: &Caller,
    at: chrono::NaiveDateTime,
    action: AuditAction,
    subject: &str,
    detail: Option<&str>,
) -> Result<()> {
    match caller.actor() {
        (actor, Some(member)) => {
            db::audit::record_for(c, at, (actor, member), action, subject, detail)?
        }
        (actor, None) => db::audit::record(c, at, Some(actor), action, subject, detail)?,
    }
    Ok(())
}
