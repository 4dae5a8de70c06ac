//! Visits that happen: the assigned helper confirms, checks in and out, or withdraws (late when
//! close to the start); the member or a coordinator reports a helper who did not come. Before a
//! visit the sweep asks the helper to confirm, alerts coordinators if they have not, and offers
//! the visit to others if they still have not. Every use case takes `now`, so tests move the
//! clock instead of waiting.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

use super::offering::flow;
use super::requests::{full_view, load_visible};
use super::views::RequestView;
use super::{Error, Result, Services};
use crate::db::{self, requests::RequestRow, visits::Step, DbConnection};
use crate::domain::delegation::Deed;
use crate::domain::{AuditAction, Caller, RequestId, VisitEnd};
use crate::notify::events::{self, VisitNotice};

/// The assigned helper's request, or why not: others who may see it are refused (403), the rest
/// are told it does not exist. Whether the step may be taken now is the rules' to say.
fn as_assigned_helper(c: &mut DbConnection, caller: &Caller, id: &RequestId) -> Result<RequestRow> {
    let row = load_visible(c, caller, id)?;
    if row.helper_id.as_deref() != Some(caller.id.as_str()) {
        return Err(Error::Forbidden(
            "Only the helper going may do this.".into(),
        ));
    }
    Ok(row)
}

/// The request and the helper going, for the assigned helper or a coordinator (who acts for a
/// helper who rang), once the rules allow `step` now.
fn visit_for(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    step: &'static str,
    now: NaiveDateTime,
) -> Result<(RequestRow, String)> {
    let row = if caller.is_coordinator() {
        load_visible(c, caller, id)?
    } else {
        as_assigned_helper(c, caller, id)?
    };
    super::requests::allow(c, svc, caller, &row, step, now)?;
    let helper = row
        .helper_id
        .clone()
        .ok_or_else(|| Error::internal("an assigned visit", "with no helper"))?;
    Ok((row, helper))
}

/// The helper confirms they are coming, or a coordinator confirms for them (a helper who rang);
/// again is not an error. The audit log and the timeline say who confirmed.
pub fn confirm(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    now: NaiveDateTime,
) -> Result<RequestView> {
    svc.write(|c| confirm_in(c, svc, caller, id, now))
}

/// Confirm a visit in the caller's transaction (the API, or a one-tap link).
pub(super) fn confirm_in(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    now: NaiveDateTime,
) -> Result<RequestView> {
    {
        let (row, helper) = visit_for(c, svc, caller, id, "confirm", now)?;
        if db::visits::step(c, &row.id, &helper, Step::Confirm, now)? {
            let for_helper = match helper != caller.id.as_str() {
                true => db::users::find(c, &helper)?.map(|u| format!("for {}, who rang", u.name)),
                false => None,
            };
            db::audit::record(
                c,
                now,
                Some(caller.id.as_str()),
                AuditAction::VisitConfirmed,
                &row.id,
                for_helper.as_deref(),
            )?;
        }
        full_view(c, svc, caller, row)
    }
}

/// The helper is running late by about `minutes` (5 to 120), with a note if they like: the
/// member is told at once, and the request shows when they now expect to arrive (`eta`). Said
/// again, it replaces what was said.
pub fn running_late(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    minutes: i64,
    note: Option<String>,
) -> Result<RequestView> {
    svc.write(|c| {
        let now = svc.now();
        let (row, helper) = visit_for(c, svc, caller, id, "running-late", now)?;
        let planned = row.scheduled_start.unwrap_or(row.window_start).max(now);
        let eta = planned + Duration::minutes(minutes);
        db::visits::step(
            c,
            &row.id,
            &helper,
            Step::RunningLate(eta, note.as_deref()),
            now,
        )?;
        events::running_late(c, &svc.settings, &row, &helper, minutes, eta, now)?;
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::VisitRunningLate,
            &row.id,
            Some(&format!("about {minutes} minutes")),
        )?;
        full_view(c, svc, caller, row)
    })
}

/// Visits that started `visits.no_check_in_alert_minutes` ago (within the window) with no
/// arrival: coordinators are alerted, once per visit however many processes sweep.
fn watch_arrivals(svc: &Services, now: NaiveDateTime) -> Result<usize> {
    let after = Duration::minutes(svc.settings.visits.no_check_in_alert_minutes);
    let started = svc.read(|c| {
        Ok(db::visits::assigned_started(
            c,
            now - Duration::hours(24),
            now - after,
            now,
        )?)
    })?;
    let mut alerted = 0;
    for (row, visit) in started {
        let Some(helper_id) = row.helper_id.clone() else {
            continue;
        };
        let quiet = visit.as_ref().is_none_or(|v| {
            v.checked_in_at.is_none() && v.no_check_in_alerted_at.is_none() && v.ended.is_none()
        });
        if !quiet {
            continue;
        }
        svc.write(|c| {
            if db::visits::step(c, &row.id, &helper_id, Step::AlertNoCheckIn, now)? {
                events::no_check_in(c, &svc.settings, &row, &helper_id, now)?;
                alerted += 1;
            }
            Ok(())
        })?;
    }
    Ok(alerted)
}

/// The helper arrives (`at`, or now); once, from a while before their planned start.
pub fn check_in(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<RequestView> {
    let at = at.unwrap_or(now);
    if at > now + Duration::minutes(5) {
        return Err(Error::invalid("at", "must not be in the future"));
    }
    svc.write(|c| {
        let row = as_assigned_helper(c, caller, id)?;
        super::requests::allow(c, svc, caller, &row, "check-in", now)?;
        if !db::visits::step(c, &row.id, caller.id.as_str(), Step::CheckIn(at), now)? {
            return Err(Error::Conflict("You have already checked in.".into()));
        }
        full_view(c, svc, caller, row)
    })
}

/// The helper leaves (`at`, or now); after checking in, once.
pub fn check_out(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<RequestView> {
    let at = at.unwrap_or(now);
    if at > now + Duration::minutes(5) {
        return Err(Error::invalid("at", "must not be in the future"));
    }
    svc.write(|c| {
        let row = as_assigned_helper(c, caller, id)?;
        super::requests::allow(c, svc, caller, &row, "check-out", now)?;
        let visit = db::visits::get(c, &row.id, caller.id.as_str())?;
        let Some(arrived) = visit.and_then(|v| v.checked_in_at) else {
            return Err(Error::Conflict("Check in first.".into()));
        };
        if at < arrived {
            return Err(Error::invalid("at", "must not be before the check-in"));
        }
        if !db::visits::step(c, &row.id, caller.id.as_str(), Step::CheckOut(at), now)? {
            return Err(Error::Conflict("You have already checked out.".into()));
        }
        full_view(c, svc, caller, row)
    })
}

/// Take the visit from its helper and offer it to others (or expire it when its window no
/// longer allows).
fn pass_on(
    c: &mut DbConnection,
    svc: &Services,
    row: &RequestRow,
    helper_id: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let latest_start = row.window_end - Duration::minutes(row.duration_minutes.into());
    if latest_start <= now {
        db::requests::expire_assigned(c, &row.id, helper_id)?;
        events::helper_gone(c, &svc.settings, row, helper_id, false, now)?;
        return Ok(());
    }
    if db::requests::unassign(c, &row.id, helper_id)? {
        flow::offer_next(c, &svc.settings, &row.id, now)?;
        events::helper_gone(c, &svc.settings, row, helper_id, true, now)?;
    }
    Ok(())
}

/// The helper withdraws with a reason, or a coordinator for a helper who rang to say they
/// cannot come; closer to the start than the setting, it is late. The visit goes to others;
/// the helper is not offered it again.
pub fn withdraw(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<RequestView> {
    svc.write(|c| {
        let late = withdraw_in(c, svc, caller, id, reason, now)?;
        let row = db::requests::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        Ok(RequestView {
            late: Some(late),
            ..full_view(c, svc, caller, row)?
        })
    })
}

/// [`withdraw`] inside the caller's transaction: whether it was late. Refused (409, with the
/// rules' reason) when the visit can no longer be withdrawn.
pub(super) fn withdraw_in(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<bool> {
    let (row, helper) = visit_for(c, svc, caller, id, "withdraw", now)?;
    let start = row.scheduled_start.unwrap_or(row.window_start);
    let late = start - now < Duration::hours(svc.settings.visits.late_withdrawal_hours);
    let how = if late {
        VisitEnd::WithdrewLate
    } else {
        VisitEnd::Withdrew
    };
    db::visits::step(c, &row.id, &helper, Step::End(how, Some(reason)), now)?;
    // By a coordinator, on behalf of the helper who rang.
    let by = (caller.id.as_str(), helper.as_str());
    let (action, detail) = (AuditAction::VisitWithdrawn, Some(how.as_str()));
    match helper == caller.id.as_str() {
        true => db::audit::record(c, now, Some(by.0), action, &row.id, detail)?,
        false => db::audit::record_for(c, now, by, action, &row.id, detail)?,
    }
    pass_on(c, svc, &row, &helper, now)?;
    Ok(late)
}

/// The member or a coordinator reports that the helper did not come: counted against the
/// helper, and the visit goes to others if its window allows, else it expires.
pub fn no_show(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    note: Option<&str>,
    now: NaiveDateTime,
) -> Result<RequestView> {
    svc.write(|c| {
        let (row, caller) = super::requests::load_for(c, caller, id, Deed::Arrange)?;
        let caller = &caller;
        if !(caller.is_coordinator() || row.member_id == caller.id.as_str()) {
            return Err(Error::Forbidden(
                "Only the member or a coordinator may report this.".into(),
            ));
        }
        super::requests::allow(c, svc, caller, &row, "no-show", now)?;
        let helper_id = row
            .helper_id
            .clone()
            .ok_or_else(|| Error::internal("an assigned visit", "with no helper"))?;
        db::visits::step(
            c,
            &row.id,
            &helper_id,
            Step::End(VisitEnd::NoShow, note),
            now,
        )?;
        super::audit::by(
            c,
            caller,
            now,
            AuditAction::VisitNoShow,
            &row.id,
            Some(&helper_id),
        )?;
        pass_on(c, svc, &row, &helper_id, now)?;
        let row = db::requests::get(c, &row.id)?.ok_or(Error::NotFound)?;
        full_view(c, svc, caller, row)
    })
}

/// What one sweep of visits did.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct VisitSweep {
    /// Members reminded the day before.
    pub reminded: usize,
    pub asked: usize,
    pub alerted: usize,
    pub passed_on: usize,
    /// Visits under way with no arrival, coordinators alerted.
    pub no_arrival: usize,
}

/// Before each assigned visit: remind its member the day before, ask its helper to confirm, then
/// alert coordinators, then pass it on, at the settings' hours before the start, one step a
/// sweep, each once however many processes sweep. A helper who said yes less than `confirm_ask_hours` before the start, or
/// who has checked in, is not asked.
pub fn sweep(svc: &Services, now: NaiveDateTime) -> Result<VisitSweep> {
    let v = &svc.settings.visits;
    let horizon = now + Duration::hours(v.confirm_ask_hours.max(v.coordinator_alert_hours));
    let due = svc.read(|c| Ok(db::visits::assigned_starting(c, now, horizon)?))?;
    let mut done = VisitSweep {
        no_arrival: watch_arrivals(svc, now)?,
        ..VisitSweep::default()
    };
    for (row, visit) in due {
        let Some(helper_id) = row.helper_id.clone() else {
            continue;
        };
        let (Some(start), Some(assigned)) = (row.scheduled_start, row.assigned_at) else {
            continue;
        };
        // The member is reminded the day before, once, unless told of the helper within the day.
        let reminded = visit
            .as_ref()
            .is_some_and(|v| v.member_reminded_at.is_some());
        let told_lately = assigned >= start - Duration::hours(v.confirm_ask_hours);
        if !reminded && !told_lately && start - now <= Duration::hours(v.confirm_ask_hours) {
            svc.write(|c| {
                if db::visits::step(c, &row.id, &helper_id, Step::RemindMember, now)? {
                    events::remind_member(c, &svc.settings, &row, &helper_id, now)?;
                    done.reminded += 1;
                }
                Ok(())
            })?;
        }
        let settled = |v: &db::visits::VisitRow| {
            v.confirmed_at.is_some() || v.checked_in_at.is_some() || v.ended.is_some()
        };
        // Saying yes less than a day before is confirmation enough.
        if visit.as_ref().is_some_and(settled)
            || assigned >= start - Duration::hours(v.confirm_ask_hours)
        {
            continue;
        }
        let asked = visit.as_ref().is_some_and(|v| v.confirm_asked_at.is_some());
        let alerted = visit.as_ref().is_some_and(|v| v.alerted_at.is_some());
        let left = start - now;
        svc.write(|c| {
            if !asked {
                if left <= Duration::hours(v.confirm_ask_hours)
                    && db::visits::step(c, &row.id, &helper_id, Step::AskToConfirm, now)?
                {
                    events::visit(
                        c,
                        &svc.settings,
                        &row,
                        &helper_id,
                        VisitNotice::AskToConfirm,
                        now,
                    )?;
                    done.asked += 1;
                }
            } else if left <= Duration::hours(v.reoffer_hours) {
                if db::visits::step(
                    c,
                    &row.id,
                    &helper_id,
                    Step::End(VisitEnd::Unconfirmed, None),
                    now,
                )? {
                    db::audit::record(
                        c,
                        now,
                        None,
                        AuditAction::VisitUnconfirmed,
                        &row.id,
                        Some(&helper_id),
                    )?;
                    events::visit(
                        c,
                        &svc.settings,
                        &row,
                        &helper_id,
                        VisitNotice::TakenBack,
                        now,
                    )?;
                    pass_on(c, svc, &row, &helper_id, now)?;
                    done.passed_on += 1;
                }
            } else if !alerted
                && left <= Duration::hours(v.coordinator_alert_hours)
                && db::visits::step(c, &row.id, &helper_id, Step::AlertCoordinators, now)?
            {
                events::visit(
                    c,
                    &svc.settings,
                    &row,
                    &helper_id,
                    VisitNotice::Unconfirmed,
                    now,
                )?;
                done.alerted += 1;
            }
            Ok(())
        })?;
    }
    Ok(done)
}
