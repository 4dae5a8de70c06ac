//! Lifts to events: the transport request made for a member going who needs one, made again
//! when the event moves, cancelled when they leave or it is called off.

use super::*;

/// The transport request for a member's lift to an event, from their home, not yet written;
/// `created_by` is whoever signed the member up.
pub(super) fn lift_row(
    c: &mut DbConnection,
    created_by: &str,
    ev: &EventRow,
    member: &MemberId,
    now: NaiveDateTime,
) -> Result<RequestRow> {
    let (_, home) = db::members::get(c, member.as_str())?.ok_or(Error::NotFound)?;
    let times = lift_times(utc(ev.starts_at), utc(ev.ends_at));
    Ok(NewRequestRow {
        member_id: member.to_string(),
        created_by: created_by.to_string(),
        category: Category::Transport,
        description: format!("A lift to {} at {}, and home again", ev.title, ev.place),
        window_start: times.start.naive_utc(),
        window_end: times.end.naive_utc(),
        duration_minutes: times.duration_minutes,
        lat: home.lat,
        lon: home.lon,
        area_name: db::places::nearest_district(
            c,
            Location {
                lat: home.lat,
                lon: home.lon,
            },
        )?,
        address: Some(home.address),
        created_at: now,
    }
    .into())
}

/// The event moved (its time or place): a lift not yet done is cancelled (its helper told) and
/// made again for the new time, offered as any request; the member's account holds the new one.
pub(super) fn remake_lift(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    ev: &EventRow,
    mut signup: SignupRow,
    now: NaiveDateTime,
) -> Result<()> {
    let Some(old) = signup.lift_request_id.as_deref() else {
        return Ok(());
    };
    match db::requests::get(c, old)? {
        Some(lift) if !lift.status().is_final() => {
            let reason = "The event moved; a lift for the new time is being arranged";
            crate::service::requests::cancel_in(c, svc, caller, &lift, Some(reason), now)?;
        }
        _ => return Ok(()),
    }
    let member = MemberId::from_string(signup.member_id.clone());
    let lift = lift_row(c, &signup.signed_up_by, ev, &member, now)?;
    let reason = "a lift to a Circle event that moved";
    crate::service::membership::check_time_for(c, &svc.settings, caller, &lift, Some(reason))?;
    signup.lift_request_id = Some(start_lift(c, svc, lift, now)?);
    signup.changed_at = now;
    db::events::save_signup(c, &signup)?;
    Ok(())
}

/// Write the lift and offer it to the best helpers, as any request.
pub(super) fn start_lift(
    c: &mut DbConnection,
    svc: &Services,
    lift: RequestRow,
    now: NaiveDateTime,
) -> Result<String> {
    db::requests::insert(c, &lift)?;
    flow::offer_next(c, &svc.settings, &lift.id, now)?;
    Ok(lift.id)
}

pub(super) fn cancel_lift(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    lift_id: &str,
    now: NaiveDateTime,
) -> Result<()> {
    match db::requests::get(c, lift_id)? {
        Some(lift) if !lift.status().is_final() => {
            let reason = "No longer going to the event";
            crate::service::requests::cancel_in(c, svc, caller, &lift, Some(reason), now)?;
            Ok(())
        }
        _ => Ok(()),
    }
}
