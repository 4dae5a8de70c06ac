//! Safeguarding concerns: anyone signed in raises one (a coordinator for someone on the phone);
//! coordinators work the queue (open → investigating → referred → closed), every change a history
//! entry with who, when and a note. Nothing is ever edited or deleted. The person a concern is
//! about never sees it; its raiser sees their own without the coordinators' notes; every read by a
//! coordinator is in the audit log. An urgent concern emails every coordinator at once.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::{page, Page, Paging};
use super::views::utc;
use super::{Error, IdempotencyKey, Once, Result, Services};
use crate::db::{
    self,
    concerns::{ConcernQuery, ConcernRow, HistoryRow},
    DbConnection,
};
use crate::domain::Parsed;
use crate::domain::{
    AuditAction, Caller, ConcernCategory, ConcernId, ConcernStatus, RequestId, Role, Urgency,
    UserId,
};

/// A new concern, checked.
pub struct NewConcern {
    pub about_id: Option<UserId>,
    pub request_id: Option<RequestId>,
    pub category: ConcernCategory,
    pub description: String,
    pub urgency: Urgency,
}

/// A coordinator's step on a concern, checked: `referred` has `referred_to`, `closed` has a
/// `closure_reason`.
pub struct StatusChange {
    pub status: ConcernStatus,
    pub note: String,
    pub referred_to: Option<String>,
    pub reference: Option<String>,
    pub closure_reason: Option<String>,
    /// The coordinator who owns it from now on, when named.
    pub owner_id: Option<UserId>,
    /// When it is next to be looked at, when given.
    pub review_on: Option<NaiveDate>,
}

/// How long until a concern is looked at again when no one says: an urgent one the next day,
/// any other a week on.
fn next_review(urgency: Urgency, today: NaiveDate) -> NaiveDate {
    let days = if urgency == Urgency::Urgent { 1 } else { 7 };
    today + chrono::Days::new(days)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    #[schema(value_type = String, format = DateTime)]
    pub at: DateTime<Utc>,
    /// Who made the change.
    pub by: String,
    pub by_name: Option<String>,
    pub status: ConcernStatus,
    /// Coordinators' notes; left out for the person who raised the concern.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closure_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernView {
    pub id: String,
    pub raised_by: String,
    pub raised_by_name: Option<String>,
    pub about_id: Option<String>,
    pub about_name: Option<String>,
    pub request_id: Option<String>,
    pub category: ConcernCategory,
    pub description: String,
    pub urgency: Urgency,
    pub status: ConcernStatus,
    /// The coordinator who owns it (coordinators only; `null` until someone takes it on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
    /// When it is next to be looked at (coordinators only; none once closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub review_on: Option<NaiveDate>,
    pub history: Vec<HistoryEntry>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
}

/// Build views of `rows` with their histories and people's names; `full` keeps the notes.
fn views(c: &mut DbConnection, rows: Vec<ConcernRow>, full: bool) -> Result<Vec<ConcernView>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut histories: HashMap<String, Vec<HistoryRow>> = HashMap::new();
    for h in db::concerns::history_of(c, &ids)? {
        histories.entry(h.concern_id.clone()).or_default().push(h);
    }
    let people: Vec<String> = rows
        .iter()
        .flat_map(|r| [Some(r.raised_by.clone()), r.about_id.clone()])
        .flatten()
        .chain(histories.values().flatten().map(|h| h.by_id.clone()))
        .chain(
            histories
                .values()
                .flatten()
                .filter_map(|h| h.owner_id.clone()),
        )
        .collect();
    let names = db::users::name_map(c, people)?;
    let name = |id: &str| names.get(id).cloned();
    rows.into_iter()
        .map(|r| {
            let history = histories.remove(&r.id).unwrap_or_default();
            let latest = history
                .last()
                .ok_or_else(|| Error::internal("a concern without history", r.id.clone()))?;
            let status = latest.status;
            let owner_id = latest.owner_id.clone().filter(|_| full);
            let review_on = latest.review_on.filter(|_| full);
            Ok(ConcernView {
                raised_by_name: name(&r.raised_by),
                about_name: r.about_id.as_deref().and_then(name),
                history: history
                    .into_iter()
                    .map(|h| HistoryEntry {
                        at: utc(h.at),
                        by_name: name(&h.by_id),
                        by: h.by_id,
                        status: h.status,
                        note: full.then_some(h.note),
                        referred_to: h.referred_to.filter(|_| full),
                        reference: h.reference.filter(|_| full),
                        closure_reason: h.closure_reason.filter(|_| full),
                    })
                    .collect(),
                id: r.id,
                raised_by: r.raised_by,
                about_id: r.about_id,
                request_id: r.request_id,
                category: r.category,
                description: r.description,
                urgency: r.urgency,
                status,
                owner_name: owner_id.as_deref().and_then(name),
                owner_id,
                review_on,
                created_at: utc(r.created_at),
            })
        })
        .collect()
}

fn audit_reads(
    c: &mut DbConnection,
    now: chrono::NaiveDateTime,
    caller: &Caller,
    ids: &[&str],
) -> Result<()> {
    db::audit::record_each(
        c,
        now,
        Some(caller.id.as_str()),
        AuditAction::ConcernRead,
        ids,
        None,
    )?;
    Ok(())
}

/// Raise a concern. A request named must be the caller's own (theirs or assigned to them)
/// unless a coordinator raises it.
pub fn raise(
    svc: &Services,
    caller: &Caller,
    new: NewConcern,
    key: Option<&IdempotencyKey>,
) -> Result<Once<ConcernView>> {
    svc.write_once(key, 201, |c| {
        if let Some(about) = &new.about_id {
            if db::users::find(c, about.as_str())?.is_none() {
                return Err(Error::invalid("about_id", "no one has this id"));
            }
        }
        if let Some(request) = &new.request_id {
            let row = db::requests::get(c, request.as_str())?;
            let visible = row.is_some_and(|r| {
                caller.is_coordinator()
                    || r.member_id == caller.id.as_str()
                    || r.helper_id.as_deref() == Some(caller.id.as_str())
            });
            if !visible {
                return Err(Error::invalid(
                    "request_id",
                    "no request of yours has this id",
                ));
            }
        }
        let now = svc.now();
        let row = ConcernRow {
            id: ConcernId::new().into_string(),
            raised_by: caller.id.to_string(),
            about_id: new.about_id.map(UserId::into_string),
            request_id: new.request_id.map(RequestId::into_string),
            category: new.category,
            description: new.description,
            urgency: new.urgency,
            created_at: now,
        };
        db::concerns::insert(c, &row)?;
        db::concerns::append(
            c,
            &HistoryRow {
                id: db::new_id(),
                concern_id: row.id.clone(),
                seq: 1,
                at: now,
                by_id: caller.id.to_string(),
                status: ConcernStatus::Open,
                note: "Raised".into(),
                referred_to: None,
                reference: None,
                closure_reason: None,
                owner_id: None,
                review_on: Some(next_review(row.urgency, now.date())),
            },
        )?;
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::ConcernRaised,
            &row.id,
            None,
        )?;
        if row.urgency == Urgency::Urgent {
            crate::notify::events::urgent_concern(
                c,
                &svc.settings,
                &row.id,
                row.category.as_str(),
                now,
            )?;
        }
        let full = caller.is_coordinator();
        Ok(views(c, vec![row], full)?.remove(0))
    })
}

/// Concerns newest first: coordinators see all (each read audited); anyone else those they
/// raised, never one about themselves, without the notes.
pub fn list(
    svc: &Services,
    caller: &Caller,
    status: Option<ConcernStatus>,
    urgency: Option<Urgency>,
    paging: Paging,
) -> Result<Page<ConcernView>> {
    let coordinator = caller.role == Role::Coordinator;
    let (rows, views) = svc.write(|c| {
        let rows: Vec<ConcernRow> = db::concerns::list(
            c,
            ConcernQuery {
                raised_by: (!coordinator).then_some(caller.id.as_str()),
                status,
                urgency,
                after: paging.after.clone(),
                limit: paging.limit + 1,
            },
        )?
        .into_iter()
        .filter(|r| coordinator || r.about_id.as_deref() != Some(caller.id.as_str()))
        .collect();
        let shown: Vec<ConcernRow> = rows.iter().take(paging.limit as usize).cloned().collect();
        if coordinator {
            let ids: Vec<&str> = shown.iter().map(|r| r.id.as_str()).collect();
            audit_reads(c, svc.now(), caller, &ids)?;
        }
        let views = views(c, shown, coordinator)?;
        Ok((rows, views))
    })?;
    let mut views = views.into_iter();
    Ok(page(
        rows,
        paging.limit,
        |r| (r.created_at, r.id.clone()),
        |_| views.next().expect("a view for each row shown"),
    ))
}

/// One concern: coordinators (the read is audited), or its raiser without the notes; anyone
/// else, and the person it is about, are told it does not exist.
pub fn concern(svc: &Services, caller: &Caller, id: &ConcernId) -> Result<ConcernView> {
    svc.write(|c| {
        let row = db::concerns::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let coordinator = caller.is_coordinator();
        let raiser = row.raised_by == caller.id.as_str()
            && row.about_id.as_deref() != Some(caller.id.as_str());
        if !coordinator && !raiser {
            return Err(Error::NotFound);
        }
        if coordinator {
            audit_reads(c, svc.now(), caller, &[id.as_str()])?;
        }
        Ok(views(c, vec![row], coordinator)?.remove(0))
    })
}

/// A coordinator moves a concern on (or notes progress), as a new history entry.
pub fn change_status(
    svc: &Services,
    caller: &Caller,
    id: &ConcernId,
    change: impl Into<Parsed<StatusChange>>,
) -> Result<ConcernView> {
    super::coordinators_only(caller)?;
    let change = change.into().take()?;
    svc.write(|c| {
        let row = db::concerns::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let history = db::concerns::history_of(c, std::slice::from_ref(&row.id))?;
        let latest = history
            .last()
            .ok_or_else(|| Error::internal("a concern without history", row.id.clone()))?;
        if !latest.status.may_become(change.status) {
            return Err(Error::Conflict(match latest.status {
                ConcernStatus::Closed => {
                    "This concern is closed; raise a new one if needed.".into()
                }
                _ => "A concern never goes back to open.".into(),
            }));
        }
        let owner_id = match change.owner_id {
            Some(owner) => {
                let is_coordinator = db::users::find(c, owner.as_str())?
                    .is_some_and(|u| u.role == Role::Coordinator && u.deactivated_at.is_none());
                if !is_coordinator {
                    return Err(Error::invalid(
                        "owner_id",
                        "must be a coordinator whose account is open",
                    ));
                }
                owner.into_string()
            }
            None => latest
                .owner_id
                .clone()
                .unwrap_or_else(|| caller.id.to_string()),
        };
        let review_on = (change.status != ConcernStatus::Closed).then(|| {
            change
                .review_on
                .unwrap_or_else(|| next_review(Urgency::Routine, svc.now().date()))
        });
        let entry = HistoryRow {
            id: db::new_id(),
            concern_id: row.id.clone(),
            seq: latest.seq + 1,
            at: svc.now(),
            by_id: caller.id.to_string(),
            status: change.status,
            note: change.note,
            referred_to: change.referred_to,
            reference: change.reference,
            closure_reason: change.closure_reason,
            owner_id: Some(owner_id),
            review_on,
        };
        if !db::concerns::append(c, &entry)? {
            return Err(Error::Conflict(
                "Another coordinator changed this concern just now; read it again first.".into(),
            ));
        }
        let detail = format!("status={}", change.status);
        db::audit::record(
            c,
            svc.now(),
            Some(caller.id.as_str()),
            AuditAction::ConcernStatusChanged,
            &row.id,
            Some(&detail),
        )?;
        Ok(views(c, vec![row], true)?.remove(0))
    })
}
