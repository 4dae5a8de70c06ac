//! Circle membership and time: memberships with a fee and an end, tokens bought (by the member or
//! as a gift), coordinators' adjustments with a reason, and a debit of the time used when a visit
//! is done (when `membership.tokens_required`). The ledger is double-entry and append-only;
//! balances are sums of entries; money is integer pence.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::Page;
use super::views::utc;
use super::{Error, IdempotencyKey, Once, Result, Services};
use crate::config::Settings;
use crate::db::{
    self,
    ledger::{MembershipRow, MovementRow},
    requests::RequestRow,
    DbConnection,
};
use crate::domain::delegation::Deed;
use crate::domain::Parsed;
use crate::domain::{AuditAction, Caller, MemberId, MovementKind};

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    pub id: String,
    pub member_id: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
    pub fee_pence: i32,
    pub paid_by: Option<String>,
    /// `active` from the start to the end day, `lapsed` after it (or before it starts).
    #[schema(example = "active")]
    pub status: &'static str,
}

fn membership_view(row: MembershipRow, today: NaiveDate) -> MembershipView {
    let active = row.starts_on <= today && today <= row.ends_on;
    MembershipView {
        status: if active { "active" } else { "lapsed" },
        id: row.id,
        member_id: row.member_id,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        fee_pence: row.fee_pence,
        paid_by: row.paid_by,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementView {
    pub id: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: DateTime<Utc>,
    pub kind: MovementKind,
    /// Minutes into the member's account (negative: out of it).
    pub minutes: i32,
    pub request_id: Option<String>,
    /// The visit it was for, in words ("Gardening, Tuesday 8 December 2026").
    pub visit: Option<String>,
    pub amount_pence: Option<i32>,
    pub paid_by: Option<String>,
    pub note: Option<String>,
}

fn movement_view(row: MovementRow, minutes: i32) -> MovementView {
    MovementView {
        id: row.id,
        at: utc(row.at),
        kind: row.kind,
        minutes,
        visit: None,
        request_id: row.request_id,
        amount_pence: row.amount_pence,
        paid_by: row.paid_by,
        note: row.note,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Hold {
    pub request_id: String,
    pub minutes: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimeAccount {
    /// The sum of `movements[].minutes`.
    pub balance_minutes: i64,
    /// Minutes set aside for visits assigned but not yet done (when tokens are required).
    pub held_minutes: i64,
    pub available_minutes: i64,
    /// `available_minutes` in tokens (one token is `membership.minutes_per_token` minutes).
    pub tokens: f64,
    pub membership: Option<MembershipView>,
    pub holds: Vec<Hold>,
    /// Oldest first.
    pub movements: Vec<MovementView>,
}

/// The member must exist; only they and coordinators see or change their account.
fn member_visible(c: &mut DbConnection, caller: &Caller, member: &MemberId) -> Result<()> {
    if !caller.is_self_or_coordinator(member.as_str())
        || db::members::get(c, member.as_str())?.is_none()
    {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// A new membership, checked.
pub struct NewMembership {
    /// `None`: the day after the current membership ends (today when it has ended).
    pub starts_on: Option<NaiveDate>,
    /// `None`: a year on from the start.
    pub ends_on: Option<NaiveDate>,
    pub fee_pence: i32,
    pub paid_by: Option<String>,
}

/// A coordinator records a membership (a renewal is a new one).
pub fn add_membership(
    svc: &Services,
    caller: &Caller,
    member: &MemberId,
    new: impl Into<Parsed<NewMembership>>,
    key: Option<&IdempotencyKey>,
) -> Result<Once<MembershipView>> {
    super::coordinators_only(caller)?;
    let new = new.into().take()?;
    svc.write_once(key, 201, |c| {
        member_visible(c, caller, member)?;
        super::member_account_open(c, member.as_str())?;
        let today = svc.now().date();
        let current = db::ledger::latest_membership(c, member.as_str())?.map(|m| m.ends_on);
        let starts_on = new
            .starts_on
            .unwrap_or_else(|| crate::domain::dates::renewal_starts(current, today));
        let ends_on = new
            .ends_on
            .unwrap_or_else(|| crate::domain::dates::a_year_from(starts_on));
        if ends_on <= starts_on {
            return Err(Error::invalid("ends_on", "must be after starts_on"));
        }
        let row = MembershipRow {
            id: db::new_id(),
            member_id: member.to_string(),
            starts_on,
            ends_on,
            fee_pence: new.fee_pence,
            paid_by: new.paid_by,
            created_by: caller.id.to_string(),
            created_at: svc.now(),
        };
        db::ledger::add_membership(c, &row)?;
        db::audit::record(
            c,
            svc.now(),
            Some(caller.id.as_str()),
            AuditAction::MembershipAdded,
            member.as_str(),
            Some(&row.id),
        )?;
        Ok(membership_view(row, svc.now().date()))
    })
}

/// The member's account: balance, holds, what is available, membership, every movement.
pub fn account(svc: &Services, caller: &Caller, member: &MemberId) -> Result<TimeAccount> {
    let per_token = svc.settings.membership.minutes_per_token.max(1);
    let tokens_required = svc.settings.membership.tokens_required;
    let caller = &super::delegates::acting(svc, caller, Some(member), Deed::Account)?;
    svc.read(|c| {
        member_visible(c, caller, member)?;
        let mut movements: Vec<MovementView> = db::ledger::statement(c, member.as_str())?
            .into_iter()
            .map(|(m, minutes)| movement_view(m, minutes))
            .collect();
        let ids: Vec<String> = movements
            .iter()
            .filter_map(|m| m.request_id.clone())
            .collect();
        let tz = svc.settings.reports.timezone;
        let visits: std::collections::HashMap<String, String> = db::requests::get_many(c, &ids)?
            .into_iter()
            .map(|r| {
                let day = utc(r.scheduled_start.unwrap_or(r.window_start))
                    .with_timezone(&tz)
                    .format("%A %-d %B %Y");
                (r.id, format!("{}, {day}", r.category.label()))
            })
            .collect();
        for m in &mut movements {
            m.visit = m.request_id.as_ref().and_then(|id| visits.get(id).cloned());
        }
        let balance = db::ledger::balance(c, &db::ledger::account_of(member.as_str()))?;
        let holds: Vec<Hold> = if tokens_required {
            db::ledger::holds(c, member.as_str())?
                .into_iter()
                .map(|(request_id, minutes)| Hold {
                    request_id,
                    minutes,
                })
                .collect()
        } else {
            Vec::new()
        };
        let held: i64 = holds.iter().map(|h| i64::from(h.minutes)).sum();
        let membership = db::ledger::latest_membership(c, member.as_str())?
            .map(|m| membership_view(m, svc.now().date()));
        Ok(TimeAccount {
            balance_minutes: balance,
            held_minutes: held,
            available_minutes: balance - held,
            tokens: (balance - held) as f64 / f64::from(per_token),
            membership,
            holds,
            movements,
        })
    })
}

/// A member whose membership ends soon or has just ended: whom to remind or ring.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalDue {
    pub member_id: String,
    pub name: String,
    pub phone: Option<String>,
    /// Members with an email are reminded by email; the others are for a coordinator to ring.
    pub has_email: bool,
    pub membership: MembershipView,
}

/// Members whose latest membership ends within `within_days` or ended in the last
/// `within_days`, soonest end first (coordinators).
pub fn renewals_due(
    svc: &Services,
    caller: &Caller,
    within_days: impl Into<Parsed<i64>>,
) -> Result<Page<RenewalDue>> {
    super::coordinators_only(caller)?;
    let within_days = within_days.into().take()?;
    let today = svc.now().date();
    let span = chrono::Duration::days(within_days);
    svc.read(|c| {
        let items = db::ledger::renewals_due(c, today - span, today + span)?
            .into_iter()
            .map(|due| RenewalDue {
                member_id: due.membership.member_id.clone(),
                name: due.name,
                phone: due.phone,
                has_email: due.email.is_some(),
                membership: membership_view(due.membership, today),
            })
            .collect();
        Ok(Page {
            items,
            next_cursor: None,
        })
    })
}

/// A movement to write, checked.
pub struct NewMovement {
    pub kind: MovementKind,
    pub minutes: i32,
    pub amount_pence: Option<i32>,
    pub paid_by: Option<String>,
    pub note: Option<String>,
}

/// A coordinator records tokens bought or an adjustment.
pub fn record_movement(
    svc: &Services,
    caller: &Caller,
    member: &MemberId,
    new: impl Into<Parsed<NewMovement>>,
    key: Option<&IdempotencyKey>,
) -> Result<Once<MovementView>> {
    super::coordinators_only(caller)?;
    let new = new.into().take()?;
    svc.write_once(key, 201, |c| {
        member_visible(c, caller, member)?;
        super::member_account_open(c, member.as_str())?;
        let row = MovementRow {
            id: db::new_id(),
            member_id: member.to_string(),
            kind: new.kind,
            request_id: None,
            amount_pence: new.amount_pence,
            paid_by: new.paid_by,
            note: new.note,
            created_by: Some(caller.id.to_string()),
            at: svc.now(),
        };
        db::ledger::move_minutes(c, &row, new.minutes)?;
        let detail = format!("{} {} minutes", row.kind.as_str(), new.minutes);
        db::audit::record(
            c,
            svc.now(),
            Some(caller.id.as_str()),
            AuditAction::LedgerMovement,
            member.as_str(),
            Some(&detail),
        )?;
        Ok(movement_view(row, new.minutes))
    })
}

/// The member's balance less what their requests not yet done hold, with the member's row locked
/// first, so that asks racing each other are counted one after another.
pub(super) fn available_minutes(c: &mut DbConnection, member_id: &str) -> Result<i64> {
    db::members::lock(c, member_id)?;
    let balance = db::ledger::balance(c, &db::ledger::account_of(member_id))?;
    let held: i64 = db::ledger::holds(c, member_id)?
        .iter()
        .map(|(_, m)| i64::from(*m))
        .sum();
    Ok(balance - held)
}

/// When tokens are required, a new request must fit in what the member has available (its
/// balance less what their requests not yet done hold): otherwise a conflict that says so, unless
/// a coordinator gives a reason to overdraw, which is audited. The member's row is locked first,
/// so that asks racing each other are counted one after another.
pub fn check_time_for(
    c: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    row: &RequestRow,
    overdraw_reason: Option<&str>,
) -> Result<()> {
    if !settings.membership.tokens_required {
        return Ok(());
    }
    let available = available_minutes(c, &row.member_id)?;
    let needed = i64::from(row.duration_minutes);
    if available >= needed {
        return Ok(());
    }
    match overdraw_reason {
        Some(reason) if caller.is_coordinator() => {
            let detail = format!("overdrawn: {available} available, {needed} needed; {reason}");
            db::audit::record(
                c,
                row.created_at,
                Some(caller.id.as_str()),
                AuditAction::LedgerMovement,
                &row.member_id,
                Some(&detail),
            )?;
            Ok(())
        }
        _ => Err(Error::Conflict(format!(
            "Not enough time in the account: {available} minutes available, {needed} needed. \
             A coordinator can add tokens, or ask with allow_negative and a reason."
        ))),
    }
}

/// Minutes spent, rounded up to the quarter hour: what a visit costs.
pub fn charged_minutes(minutes_spent: i32) -> i32 {
    (minutes_spent.max(0) + 14) / 15 * 15
}

/// A visit was done: when tokens are required, its time comes out of the member's account (once
/// per request), replacing its hold.
pub fn debit_visit(
    c: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    let (true, Some(spent)) = (settings.membership.tokens_required, row.minutes_spent) else {
        return Ok(());
    };
    let movement = MovementRow {
        id: db::new_id(),
        member_id: row.member_id.clone(),
        kind: MovementKind::Debit,
        request_id: Some(row.id.clone()),
        amount_pence: None,
        paid_by: None,
        note: Some(format!("{} minutes spent", spent)),
        created_by: None,
        at: now,
    };
    let charged = charged_minutes(spent);
    db::ledger::move_minutes(c, &movement, -charged)?;
    // A visit that ran over can take the account below zero: the time was given, so it is
    // debited, and the overdraft is recorded for coordinators to see.
    let balance = db::ledger::balance(c, &db::ledger::account_of(&row.member_id))?;
    let held: i64 = db::ledger::holds(c, &row.member_id)?
        .iter()
        .map(|(_, m)| i64::from(*m))
        .sum();
    if balance - held < 0 {
        let detail = format!(
            "overdrawn: a visit took {charged} minutes, leaving {} available",
            balance - held
        );
        db::audit::record(
            c,
            now,
            None,
            AuditAction::LedgerMovement,
            &row.member_id,
            Some(&detail),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::charged_minutes;

    #[test]
    fn time_is_charged_by_the_quarter_hour_rounded_up() {
        assert_eq!(charged_minutes(1), 15);
        assert_eq!(charged_minutes(15), 15);
        assert_eq!(charged_minutes(16), 30);
        assert_eq!(charged_minutes(60), 60);
        assert_eq!(charged_minutes(61), 75);
    }
}
