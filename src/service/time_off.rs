//! A helper away ("away 14 to 28 December"), entered by the helper or by a coordinator when they
//! ring. The period joins their time off, so the matcher offers them nothing in it (occurrences
//! of their standing requests made later go to others for those weeks only, by the same check),
//! and the visits it touches are listed. With `offer_to_others`, each of those visits that can
//! still be withdrawn is withdrawn for them, as if they had rung to withdraw, and offered to
//! other helpers; their open offers for jobs wholly inside the period are withdrawn and offered
//! on. All in one transaction.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::offering::flow;
use super::requests::full_view;
use super::views::RequestView;
use super::{Error, Result, Services};
use crate::db::{self, requests::RequestRow};
use crate::domain::availability::{TimeOffInput, MAX_TIME_OFF};
use crate::domain::{Availability, Caller, FieldError, HelperId, RequestId};

/// A period away, as sent, and whether to pass the visits it touches on at once.
pub struct NewTimeOff {
    pub period: TimeOffInput,
    pub offer_to_others: bool,
}

/// One of the helper's visits in the period, as it stands after the change.
#[derive(Debug, Serialize, ToSchema)]
pub struct TouchedVisit {
    pub request: RequestView,
    /// Whether it was withdrawn for the helper and offered to others now.
    pub offered_to_others: bool,
    /// Why it stays with the helper, when `offer_to_others` was asked and it does ("This visit
    /// has started …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What adding time off did.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimeOffAdded {
    pub availability: Availability,
    /// The helper's visits in the period, soonest first.
    pub visits: Vec<TouchedVisit>,
    /// How many open offers to the helper, for jobs wholly in the period, went to others.
    pub offers_passed_on: usize,
}

/// Whether the visit, at its planned time (or anywhere in its window before a time is
/// planned), falls in `from..until`.
fn touches(row: &RequestRow, from: NaiveDateTime, until: NaiveDateTime) -> bool {
    let (start, end) = match row.scheduled_start {
        Some(s) => (s, s + Duration::minutes(row.duration_minutes.into())),
        None => (row.window_start, row.window_end),
    };
    start < until && end > from
}

/// Add a period away to a helper's time off (that helper, or a coordinator; 404 for anyone
/// else), listing the visits it touches and, with `offer_to_others`, passing them on.
pub fn add_time_off(
    svc: &Services,
    caller: &Caller,
    id: &HelperId,
    new: NewTimeOff,
) -> Result<TimeOffAdded> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    let now = svc.now();
    svc.write(|c| {
        let (_, helper) = db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let mut availability = helper.availability()?;
        let off = new.period.read(availability.tz()).map_err(Error::Invalid)?;
        let mut errors = Vec::new();
        for (field, at) in [("start", off.start), ("end", off.end)] {
            if let Err(m) = crate::domain::dates::time(at, now.and_utc()) {
                errors.push(FieldError::new(field, m));
            }
        }
        if off.end.naive_utc() <= now {
            errors.push(FieldError::new("end", "must be after now"));
        }
        if availability.time_off.len() >= MAX_TIME_OFF {
            errors.push(FieldError::new(
                "start",
                format!("{MAX_TIME_OFF} periods away are kept already; remove one that has passed"),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        availability.time_off.push(off);
        availability.time_off.sort_by_key(|o| o.start);
        db::helpers::set_availability(c, id.as_str(), &serde_json::to_string(&availability)?)?;

        let (from, until) = (off.start.naive_utc(), off.end.naive_utc());
        let rows: Vec<RequestRow> = db::requests::assigned_to_between(c, id.as_str(), from, until)?
            .into_iter()
            .filter(|r| touches(r, from, until))
            .collect();
        let mut visits = Vec::new();
        for row in rows {
            let mut reason = None;
            let mut offered = false;
            if new.offer_to_others {
                let rid = RequestId::from_string(row.id.clone());
                match super::visits::withdraw_in(c, svc, caller, &rid, "Away at that time", now) {
                    Ok(_) => offered = true,
                    Err(Error::Conflict(why)) => reason = Some(why),
                    Err(e) => return Err(e),
                }
            }
            let row = db::requests::get(c, &row.id)?.ok_or(Error::NotFound)?;
            visits.push(TouchedVisit {
                request: full_view(c, svc, caller, row)?,
                offered_to_others: offered,
                reason,
            });
        }
        let mut offers_passed_on = 0;
        if new.offer_to_others {
            for request in db::offers::withdraw_for_helper_within(c, id.as_str(), from, until, now)?
            {
                flow::offer_next(c, &svc.settings, &request, now)?;
                offers_passed_on += 1;
            }
        }
        Ok(TimeOffAdded {
            availability,
            visits,
            offers_passed_on,
        })
    })
}
