//! One request's story for coordinators: asked, offered to whom, declined, lapsed, withdrawn,
//! accepted, the address shown, assigned, completed or cancelled, in the order it happened.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::views::utc;
use super::{Error, Result, Services};
use crate::db;
use crate::domain::{AuditAction, Caller, OfferStatus, RequestId, TimelineEvent, VisitEnd};

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    #[schema(value_type = String, format = DateTime)]
    pub at: DateTime<Utc>,
    pub event: TimelineEvent,
    /// Who did it, or whom it concerns (the helper of an offer).
    pub who_id: Option<String>,
    pub who_name: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub items: Vec<TimelineEntry>,
}

/// The line an offer's answer makes in the story; an open offer has none yet.
fn answer_event(status: OfferStatus) -> Option<TimelineEvent> {
    match status {
        OfferStatus::Open => None,
        OfferStatus::Accepted => Some(TimelineEvent::Accepted),
        OfferStatus::Declined => Some(TimelineEvent::Declined),
        OfferStatus::Lapsed => Some(TimelineEvent::Lapsed),
        OfferStatus::Withdrawn => Some(TimelineEvent::Withdrawn),
    }
}

fn audit_event(action: AuditAction) -> Option<TimelineEvent> {
    use TimelineEvent as E;
    Some(match action {
        AuditAction::MemberAddressRevealed => E::AddressShown,
        AuditAction::RequestAssigned => E::Assigned,
        AuditAction::RequestAssignForced => E::AssignedByHand,
        AuditAction::RequestCompleted => E::Completed,
        AuditAction::RequestCancelled => E::Cancelled,
        AuditAction::RequestExpired => E::Expired,
        AuditAction::VisitConfirmed => E::Confirmed,
        AuditAction::VisitWithdrawn => E::Withdrew,
        AuditAction::VisitNoShow => E::NoShow,
        AuditAction::VisitUnconfirmed => E::Unconfirmed,
        _ => return None,
    })
}

/// The request's events, oldest first: coordinators only.
pub fn timeline(svc: &Services, caller: &Caller, id: &RequestId) -> Result<Timeline> {
    if !caller.is_coordinator() {
        return Err(Error::NotFound);
    }
    svc.read(|c| {
        let row = db::requests::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let offers = db::offers::for_request(c, id.as_str())?;
        let audit = db::audit::for_request(c, id.as_str())?;
        let mut people: Vec<String> = offers.iter().map(|o| o.helper_id.clone()).collect();
        people.extend(audit.iter().filter_map(|a| a.actor_id.clone()));
        people.extend(audit.iter().filter_map(|a| a.detail.clone()));
        people.extend(audit.iter().filter_map(|a| a.on_behalf_of.clone()));
        people.push(row.created_by.clone());
        let names = db::users::name_map(c, people)?;
        let entry =
            |at: NaiveDateTime, event, who: Option<&str>, detail: Option<String>| TimelineEntry {
                at: utc(at),
                event,
                who_name: who.and_then(|w| names.get(w).cloned()),
                who_id: who.map(str::to_string),
                detail,
            };
        let mut items = vec![entry(
            row.created_at,
            TimelineEvent::Asked,
            Some(&row.created_by),
            None,
        )];
        for o in &offers {
            let detail = format!("{:.1} km away", o.distance_km);
            items.push(entry(
                o.created_at,
                TimelineEvent::Offered,
                Some(&o.helper_id),
                Some(detail),
            ));
            if let (Some(event), Some(at)) = (answer_event(o.status), o.responded_at) {
                items.push(entry(at, event, Some(&o.helper_id), None));
            }
        }
        for a in &audit {
            if a.action == AuditAction::OfferSuperseded {
                items.extend(superseded(a.detail.as_deref(), &entry));
                continue;
            }
            let Some(event) = audit_event(a.action) else {
                continue;
            };
            let actor = a.actor_id.as_deref();
            let detail = a.detail.as_deref();
            // Entries whose detail names a helper are about that helper; a coordinator who did
            // it is said in words. Other details are words already, or not for this story.
            let (who, detail) = match a.action {
                AuditAction::MemberAddressRevealed => (actor, None),
                AuditAction::RequestAssigned
                | AuditAction::VisitNoShow
                | AuditAction::VisitUnconfirmed => {
                    let by = actor
                        .filter(|by| Some(*by) != detail)
                        .and_then(|by| names.get(by))
                        .map(|name| format!("by {name}"));
                    (detail.filter(|d| names.contains_key(*d)), by)
                }
                AuditAction::VisitWithdrawn => {
                    // By the helper, or by a coordinator on behalf of a helper who rang.
                    let for_helper = a.on_behalf_of.as_deref();
                    let late = (detail == Some(VisitEnd::WithdrewLate.as_str()))
                        .then_some("less than a day before the visit");
                    let rang = for_helper
                        .and(actor)
                        .and_then(|by| names.get(by))
                        .map(|name| format!("they rang {name}"));
                    let said = [late.map(str::to_string), rang]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ");
                    (for_helper.or(actor), (!said.is_empty()).then_some(said))
                }
                _ => (
                    actor,
                    detail
                        .filter(|d| !names.contains_key(*d))
                        .map(str::to_string),
                ),
            };
            items.push(entry(a.created_at, event, who, detail));
        }
        // An offer closed by the assignment it made way for comes after it, in the same second.
        items.sort_by_key(|e| (e.at.timestamp(), e.event == TimelineEvent::Withdrawn, e.at));
        Ok(Timeline { items })
    })
}

/// The lines of an offer made again later, as [`AuditAction::OfferSuperseded`] kept them.
fn superseded(
    detail: Option<&str>,
    entry: &impl Fn(NaiveDateTime, TimelineEvent, Option<&str>, Option<String>) -> TimelineEntry,
) -> Vec<TimelineEntry> {
    #[derive(serde::Deserialize)]
    struct Kept {
        helper: String,
        offered_at: NaiveDateTime,
        km: f64,
        answer: String,
        answered_at: Option<NaiveDateTime>,
    }
    let Some(kept) = detail.and_then(|d| serde_json::from_str::<Kept>(d).ok()) else {
        return Vec::new();
    };
    let mut lines = vec![entry(
        kept.offered_at,
        TimelineEvent::Offered,
        Some(&kept.helper),
        Some(format!("{:.1} km away", kept.km)),
    )];
    let answer = OfferStatus::parse(&kept.answer).ok().and_then(answer_event);
    if let (Some(event), Some(at)) = (answer, kept.answered_at) {
        lines.push(entry(at, event, Some(&kept.helper), None));
    }
    lines
}
