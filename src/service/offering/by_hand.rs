//! Coordinators' hands on the flow: sending a helper by hand, taking a helper's offers back,
//! and what a vetting decision does to the offers a helper holds.

use chrono::NaiveDateTime;

use super::answers::transition;
use super::facts;
use super::flow::offer_next;
use crate::config::Settings;
use crate::db::{self, requests::RequestRow, DbConnection};
use crate::domain::RequestStatus;
use crate::domain::{AuditAction, VettingStatus};
use crate::matching::{self};
use crate::service::{Error, Result};

/// A coordinator's assignment by hand.
pub struct ByHand<'a> {
    pub helper_id: &'a str,
    /// Assign even though a hard rule fails (needs `reason`; logged).
    pub force: bool,
    pub reason: Option<&'a str>,
    pub coordinator_id: &'a str,
}

/// Give a request to a named helper. The matcher's hard rules apply unless forced; a forced
/// assignment is written to the audit log with the rule it broke and the reason given.
/// Whether a coordinator has suspended this helper.
fn suspended(conn: &mut DbConnection, helper_id: &str) -> Result<bool> {
    Ok(db::helpers::get(conn, helper_id)?
        .is_some_and(|(_, h)| h.vetting_status == VettingStatus::Suspended))
}

pub fn assign_by_hand(
    conn: &mut DbConnection,
    settings: &Settings,
    request_id: &str,
    by: &ByHand<'_>,
    now: NaiveDateTime,
) -> Result<RequestRow> {
    let row = db::requests::get(conn, request_id)?.ok_or(Error::NotFound)?;
    let Some(helper) = facts::one_helper(conn, &row, by.helper_id, now)? else {
        return Err(Error::invalid("helper_id", "no helper has this id"));
    };
    row.status()
        .check_transition(RequestStatus::Assigned)
        .map_err(Error::Conflict)?;
    let job = facts::job(&row);
    let ctx = facts::context(conn, &row)?;
    let limits = settings.matching.limits();
    let start = match matching::eligibility::check(&helper, &job, &ctx, &limits) {
        Ok(fit) => fit.start,
        // No reason sends a suspended helper, or one whose vetting has lapsed, into a home.
        Err(rule)
            if rule == matching::eligibility::Rule::VettingValid
                || (rule == matching::eligibility::Rule::Approved
                    && suspended(conn, by.helper_id)?) =>
        {
            let why = match rule {
                matching::eligibility::Rule::Approved => "the helper is suspended",
                _ => rule.describe(),
            };
            return Err(Error::Conflict(format!(
                "This helper cannot take the job: {why}."
            )));
        }
        Err(rule) if !by.force => {
            return Err(Error::Conflict(format!(
                "This helper cannot take the job: {}. Use force with a reason to override.",
                rule.describe()
            )));
        }
        Err(rule) => {
            let detail = format!(
                "override: {}; reason: {}",
                rule.describe(),
                by.reason.unwrap_or_default()
            );
            tracing::warn!(request_id, helper_id = by.helper_id, %detail, "hard rule overridden");
            db::audit::record(
                conn,
                now,
                Some(by.coordinator_id),
                AuditAction::RequestAssignForced,
                request_id,
                Some(&detail),
            )?;
            matching::eligibility::earliest_start(&helper, &job, &limits)
                .unwrap_or(job.window_start)
        }
    };
    let distance = helper.home.distance_km(job.location);
    let row = transition(conn, &row, RequestStatus::Assigned, |c| {
        db::requests::assign(
            c,
            request_id,
            by.helper_id,
            start.naive_utc(),
            distance,
            now,
        )
    })?;
    db::offers::withdraw_open(conn, request_id, now)?;
    let words = crate::domain::doorstep::draw();
    db::doorstep::set(conn, request_id, by.helper_id, &words, now)?;
    crate::notify::events::job_taken(conn, settings, &row, now)?;
    db::audit::record(
        conn,
        now,
        Some(by.coordinator_id),
        AuditAction::RequestAssigned,
        request_id,
        Some(by.helper_id),
    )?;
    db::audit::record(
        conn,
        now,
        Some(by.helper_id),
        AuditAction::MemberAddressRevealed,
        &row.member_id,
        Some(request_id),
    )?;
    Ok(row)
}

/// A helper stopped being approved (rejected or suspended) or was deactivated: they stop being
/// anyone's regular helper, and their open offers are withdrawn and those jobs passed on to the
/// next best helpers. Returns how many jobs were passed on.
pub fn helper_withdrawn(
    conn: &mut DbConnection,
    settings: &Settings,
    helper_id: &str,
    now: NaiveDateTime,
) -> Result<usize> {
    db::series::drop_helper(conn, helper_id)?;
    let requests = db::offers::withdraw_for_helper(conn, helper_id, now)?;
    for request_id in &requests {
        offer_next(conn, settings, request_id, now)?;
    }
    Ok(requests.len())
}

/// A coordinator's vetting decision: record it and audit it; approving emails the helper,
/// rejecting or suspending withdraws their open offers and passes those jobs on.
pub fn decide_vetting(
    conn: &mut DbConnection,
    settings: &Settings,
    helper_id: &str,
    change: &db::helpers::VettingChange<'_>,
) -> Result<()> {
    if db::helpers::set_vetting(conn, helper_id, change)? == 0 {
        return Err(Error::NotFound);
    }
    let detail = format!(
        "status={} expires_on={:?}",
        change.status, change.expires_on
    );
    db::audit::record(
        conn,
        change.at,
        Some(change.by),
        AuditAction::HelperVetting,
        helper_id,
        Some(&detail),
    )?;
    match (change.status, change.expires_on) {
        (VettingStatus::Approved, Some(until)) => {
            crate::notify::events::vetting_approved(conn, helper_id, until, change.at)?;
        }
        (VettingStatus::Approved, None) | (VettingStatus::Pending, _) => {}
        _ => {
            helper_withdrawn(conn, settings, helper_id, change.at)?;
        }
    }
    Ok(())
}
