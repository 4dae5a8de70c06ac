//! Signing up for an event and leaving it: going while places are free, waiting in order after
//! that, the first waiting promoted (and told) when someone going leaves.

use super::lifts::{cancel_lift, lift_row, start_lift};
use super::*;
use crate::service::delegates::acting;

/// Who a sign-up is for: a member signs up themself; a coordinator names the member.
pub(super) fn signing_up_whom(caller: &Caller, member: Option<MemberId>) -> Result<MemberId> {
    match (caller.role, member) {
        (Role::Member, None) => Ok(MemberId::from_string(caller.id.as_str())),
        (Role::Member, Some(m)) if m.as_str() == caller.id.as_str() => Ok(m),
        (Role::Member, Some(_)) => Err(Error::Forbidden(
            "Members can only sign themselves up.".into(),
        )),
        (Role::Coordinator, Some(m)) => Ok(m),
        (Role::Coordinator, None) => Err(Error::invalid(
            "member_id",
            "is required when a coordinator signs someone up",
        )),
        (Role::Helper | Role::Delegate, _) => Err(Error::Forbidden(Caller::needs(&[
            Role::Member,
            Role::Coordinator,
        ]))),
    }
}

/// Sign a member up: going while places are free, waiting in order after that. With
/// `needs_lift`, a transport request is made once they are going (and, when tokens are
/// required, their account must hold its time from the start, or a coordinator's note says why
/// not).
pub fn sign_up(
    svc: &Services,
    caller: &Caller,
    event: &EventId,
    member: Option<MemberId>,
    needs_lift: bool,
    key: Option<&IdempotencyKey>,
) -> Result<Once<SignupView>> {
    let caller = &acting(svc, caller, member.as_ref(), Deed::Arrange)?;
    let member = signing_up_whom(caller, member)?;
    svc.write_once(key, 201, |c| {
        let ev = db::events::lock(c, event.as_str())?.ok_or(Error::NotFound)?;
        let now = svc.now();
        allow_event(&ev, caller, "signups", now)?;
        if db::members::get(c, member.as_str())?.is_none() {
            return Err(Error::invalid("member_id", "no member has this id"));
        }
        crate::service::member_account_open(c, member.as_str())?;
        if let Some(s) = db::events::signup(c, event.as_str(), member.as_str())? {
            if s.status != SignupStatus::Left {
                return Err(Error::Conflict(format!(
                    "Already signed up: {}.",
                    s.status.as_str()
                )));
            }
        }
        let status = place_for(db::events::going_count(c, event.as_str())?, ev.capacity);
        let mut row = SignupRow {
            event_id: ev.id.clone(),
            member_id: member.to_string(),
            status,
            seq: db::events::next_seq(c, event.as_str())?,
            needs_lift,
            lift_request_id: None,
            signed_up_by: caller.actor().0.to_string(),
            signed_up_at: now,
            changed_at: now,
            attended_at: None,
        };
        if needs_lift {
            let lift = lift_row(c, caller.id.as_str(), &ev, &member, now)?;
            let reason = caller
                .is_coordinator()
                .then_some("a lift to a Circle event, signed up by a coordinator");
            crate::service::membership::check_time_for(c, &svc.settings, caller, &lift, reason)?;
            if status == SignupStatus::Going {
                row.lift_request_id = Some(start_lift(c, svc, lift, now)?);
            }
        }
        db::events::save_signup(c, &row)?;
        crate::service::audit::by(
            c,
            caller,
            now,
            AuditAction::EventSignedUp,
            &ev.id,
            Some(&format!("{} {}", member, status.as_str())),
        )?;
        let position = position_of(c, &row)?;
        Ok(signup_view(&row, position))
    })
}

/// A member leaves (or a coordinator takes them off). Their lift, if not done, is cancelled;
/// if they had a place, the first waiting member is given it and told.
pub fn leave(svc: &Services, caller: &Caller, event: &EventId, member: &MemberId) -> Result<()> {
    let caller = &acting(svc, caller, Some(member), Deed::Arrange)?;
    if !caller.is_self_or_coordinator(member.as_str()) {
        return Err(Error::NotFound);
    }
    svc.write(|c| leave_in(c, svc, caller, event, member, svc.now()))
}

/// A member leaves an event in the caller's transaction: their lift is cancelled and, if they
/// had a place before the start, the first waiting member is given it and told.
pub(in crate::service) fn leave_in(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    event: &EventId,
    member: &MemberId,
    now: NaiveDateTime,
) -> Result<()> {
    {
        let ev = db::events::lock(c, event.as_str())?.ok_or(Error::NotFound)?;
        // No place to give up: nothing to delete.
        let mut row = db::events::signup(c, event.as_str(), member.as_str())?
            .filter(|s| s.status != SignupStatus::Left)
            .ok_or(Error::NotFound)?;
        // The member's own rule, whoever presses it: a coordinator removing them follows it too.
        let left = crate::domain::actions::decide_event(
            &crate::domain::actions::EventFacts {
                cancelled: ev.cancelled_at.is_some(),
                starts_at: ev.starts_at,
                signed_up: Some(row.status.as_str()),
            },
            false,
            "leave",
            now,
        );
        if !left.allowed {
            return Err(Error::Conflict(left.reason.unwrap_or_default()));
        }
        let had_place = row.status == SignupStatus::Going;
        if let Some(lift) = row.lift_request_id.take() {
            cancel_lift(c, svc, caller, &lift, now)?;
        }
        row.status = SignupStatus::Left;
        row.changed_at = now;
        db::events::save_signup(c, &row)?;
        crate::service::audit::by(
            c,
            caller,
            now,
            AuditAction::EventLeft,
            &ev.id,
            Some(member.as_str()),
        )?;
        if had_place && ev.starts_at > now && ev.cancelled_at.is_none() {
            promote_first_waiting(c, svc, caller, &ev, now)?;
        }
        Ok(())
    }
}

/// The first member waiting gets the place (and their lift, if they asked for one), and is
/// told by email; those without email are on the event's call list.
pub(super) fn promote_first_waiting(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    ev: &EventRow,
    now: NaiveDateTime,
) -> Result<()> {
    let Some(mut next) = db::events::first_waiting(c, &ev.id)? else {
        return Ok(());
    };
    if db::events::going_count(c, &ev.id)? >= i64::from(ev.capacity) {
        return Ok(());
    }
    next.status = SignupStatus::Going;
    next.changed_at = now;
    if next.needs_lift {
        let member = MemberId::from_string(next.member_id.clone());
        let lift = lift_row(c, &next.signed_up_by, ev, &member, now)?;
        next.lift_request_id = Some(start_lift(c, svc, lift, now)?);
    }
    db::events::save_signup(c, &next)?;
    crate::service::audit::by(
        c,
        caller,
        now,
        AuditAction::EventSignedUp,
        &ev.id,
        Some(&format!("{} going (a place came up)", next.member_id)),
    )?;
    crate::notify::events::event_place(c, &svc.settings, ev, &next.member_id, now)?;
    Ok(())
}
