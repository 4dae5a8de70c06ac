//! Social events: coordinators put them on; everyone signed in sees what is coming up; members
//! sign up (or a coordinator for them) and go, or wait in order when it is full; when someone
//! going leaves, the first waiting is promoted and told. A sign-up with `needs_lift` has a
//! transport request made for the event's time, matched as usual. Reminders go the day before;
//! coordinators get the names and a call list for those without email, and record who came.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::offering::flow;
use super::pagination::{page, Page, Paging};
use super::views::utc;
use super::{Error, IdempotencyKey, Once, Result, Services};
use crate::db::{
    self,
    events::{EventRow, SignupPerson, SignupRow},
    requests::{NewRequestRow, RequestRow},
    DbConnection,
};
use crate::domain::gathering::{lift_times, place_for};
use crate::domain::{
    AuditAction, Caller, Category, EventId, Location, MemberId, Place, Role, SignupStatus,
};

/// A new event, checked.
pub struct NewEvent {
    pub title: String,
    pub description: String,
    pub place: String,
    /// Where on the map: a position, or a postcode to look up.
    pub location: Place,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
}

/// Whether an event is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Scheduled,
    Cancelled,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: String,
    pub status: EventStatus,
    /// When it was cancelled, once it is.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Why it was cancelled, once it is.
    pub cancel_reason: Option<String>,
    /// What the caller may do to it now: a member `signups`; coordinators `edit`, `cancel`,
    /// `signups`. A cancelled event allows nothing.
    pub actions: Vec<crate::domain::actions::Action>,
    pub title: String,
    pub description: String,
    pub place: String,
    pub location: Location,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    /// How many have a place.
    pub going: i64,
    /// How many are waiting for one.
    pub waiting: i64,
    pub places_left: i64,
    /// The calling member's own sign-up, if they have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_signup: Option<SignupView>,
    /// Coordinators only: who is going and waiting, and whom to ring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<EventPeople>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPeople {
    /// In the order they signed up.
    pub going: Vec<Attendee>,
    /// In the order they will be offered a place.
    pub waiting: Vec<Attendee>,
    /// Those going who have no email: reminders and news reach them by phone.
    pub call_list: Vec<Attendee>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attendee {
    pub member_id: String,
    pub name: String,
    pub phone: Option<String>,
    pub has_email: bool,
    pub status: SignupStatus,
    /// Place in the queue (1 is next), for those waiting.
    pub position: Option<i64>,
    pub needs_lift: bool,
    pub lift_request_id: Option<String>,
    pub attended: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignupView {
    pub member_id: String,
    /// `going` or `waiting` (`left` once they have left).
    pub status: SignupStatus,
    /// Place in the queue (1 is next), when waiting.
    pub position: Option<i64>,
    pub needs_lift: bool,
    /// The transport request made for them, once they are going.
    pub lift_request_id: Option<String>,
}

fn signup_view(row: &SignupRow, position: Option<i64>) -> SignupView {
    SignupView {
        member_id: row.member_id.clone(),
        status: row.status,
        position,
        needs_lift: row.needs_lift,
        lift_request_id: row.lift_request_id.clone(),
    }
}

/// The people of one event, in sign-up order, with queue positions.
fn people(list: Vec<SignupPerson>) -> EventPeople {
    let mut going = Vec::new();
    let mut waiting = Vec::new();
    for p in list {
        let s = p.signup;
        let mut a = Attendee {
            member_id: s.member_id,
            name: p.name,
            phone: p.phone,
            has_email: p.email.is_some(),
            status: s.status,
            position: None,
            needs_lift: s.needs_lift,
            lift_request_id: s.lift_request_id,
            attended: s.attended_at.is_some(),
        };
        if s.status == SignupStatus::Going {
            going.push(a);
        } else {
            a.position = Some(waiting.len() as i64 + 1);
            waiting.push(a);
        }
    }
    let call_list = going.iter().filter(|a| !a.has_email).cloned().collect();
    EventPeople {
        going,
        waiting,
        call_list,
    }
}

/// Views of `rows` for `caller`: counts for everyone, the caller's own sign-up for a member,
/// the lists for coordinators.
/// What the rules read of an event, with the calling member's own place.
fn event_facts(row: &EventRow, mine: Option<&SignupView>) -> crate::domain::actions::EventFacts {
    crate::domain::actions::EventFacts {
        cancelled: row.cancelled_at.is_some(),
        starts_at: row.starts_at,
        signed_up: mine.map(|s| s.status.as_str()),
    }
}

/// Go on only if the rules allow the event action `name` now; else 409 with their sentence.
fn allow_event(
    row: &EventRow,
    caller: &Caller,
    name: &'static str,
    now: NaiveDateTime,
) -> Result<()> {
    let a = crate::domain::actions::decide_event(
        &event_facts(row, None),
        caller.is_coordinator(),
        name,
        now,
    );
    match a.allowed {
        true => Ok(()),
        false => Err(Error::Conflict(a.reason.unwrap_or_default())),
    }
}

fn views(
    c: &mut DbConnection,
    caller: &Caller,
    rows: Vec<EventRow>,
    now: NaiveDateTime,
) -> Result<Vec<EventView>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut counts: HashMap<(String, SignupStatus), i64> = HashMap::new();
    for (event, status, n) in db::events::counts(c, &ids)? {
        counts.insert((event, status), n);
    }
    // The member's own sign-ups and their places in each queue, or everyone for coordinators:
    // a fixed few statements for the whole page.
    let mut mine: HashMap<String, SignupView> = HashMap::new();
    let mut lists: HashMap<String, Vec<SignupPerson>> = HashMap::new();
    match caller.role {
        Role::Member => {
            let signups: Vec<SignupRow> =
                db::events::signups_of_member(c, &ids, caller.id.as_str())?
                    .into_iter()
                    .filter(|s| s.status != SignupStatus::Left)
                    .collect();
            let waiting_at: Vec<String> = signups
                .iter()
                .filter(|s| s.status == SignupStatus::Waiting)
                .map(|s| s.event_id.clone())
                .collect();
            let queues = db::events::waiting_of(c, &waiting_at)?;
            for s in signups {
                let position = (s.status == SignupStatus::Waiting).then(|| {
                    queues
                        .iter()
                        .filter(|(event, seq)| *event == s.event_id && *seq < s.seq)
                        .count() as i64
                        + 1
                });
                mine.insert(s.event_id.clone(), signup_view(&s, position));
            }
        }
        Role::Coordinator => {
            for person in db::events::people_of(c, &ids)? {
                lists
                    .entry(person.signup.event_id.clone())
                    .or_default()
                    .push(person);
            }
        }
        Role::Helper => {}
    }
    rows.into_iter()
        .map(|r| {
            let count = |s| counts.get(&(r.id.clone(), s)).copied().unwrap_or(0);
            let (going, waiting) = (count(SignupStatus::Going), count(SignupStatus::Waiting));
            let my_signup = mine.remove(&r.id);
            let actions = crate::domain::actions::event_actions(
                &event_facts(&r, my_signup.as_ref()),
                caller.is_coordinator(),
                now,
            );
            let people = match caller.role {
                Role::Coordinator => Some(people(lists.remove(&r.id).unwrap_or_default())),
                _ => None,
            };
            Ok(EventView {
                status: match r.cancelled_at {
                    Some(_) => EventStatus::Cancelled,
                    None => EventStatus::Scheduled,
                },
                cancelled_at: r.cancelled_at.map(utc),
                cancel_reason: r.cancel_reason,
                actions,
                places_left: (i64::from(r.capacity) - going).max(0),
                going,
                waiting,
                my_signup,
                people,
                location: Location {
                    lat: r.lat,
                    lon: r.lon,
                },
                starts_at: utc(r.starts_at),
                ends_at: utc(r.ends_at),
                id: r.id,
                title: r.title,
                description: r.description,
                place: r.place,
                capacity: r.capacity,
            })
        })
        .collect()
}

fn one_view(
    c: &mut DbConnection,
    caller: &Caller,
    row: EventRow,
    now: NaiveDateTime,
) -> Result<EventView> {
    views(c, caller, vec![row], now)?
        .pop()
        .ok_or_else(|| Error::internal("an event without its view", String::new()))
}

/// A waiting sign-up's place in the queue (1 is next).
fn position_of(c: &mut DbConnection, s: &SignupRow) -> Result<Option<i64>> {
    if s.status != SignupStatus::Waiting {
        return Ok(None);
    }
    Ok(Some(db::events::waiting_before(c, &s.event_id, s.seq)? + 1))
}

/// What a coordinator changes of an event; `None` leaves a value as it is.
#[derive(Debug, Default)]
pub struct EventChange {
    pub title: Option<String>,
    pub description: Option<String>,
    pub place: Option<String>,
    pub location: Option<Place>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub capacity: Option<i32>,
}

/// A coordinator changes an event before it starts. The capacity never falls below the number
/// going (409); more places go to those waiting, in turn, who are told; a new time or place is
/// told to everyone going.
pub fn change(
    svc: &Services,
    caller: &Caller,
    event: &EventId,
    change: EventChange,
) -> Result<EventView> {
    super::coordinators_only(caller)?;
    svc.write(|c| {
        let old = db::events::lock(c, event.as_str())?.ok_or(Error::NotFound)?;
        let now = svc.now();
        allow_event(&old, caller, "edit", now)?;
        let at = match &change.location {
            Some(place) => Some(super::places::resolve(c, &svc.settings, place, "location")?),
            None => None,
        };
        let mut row = old.clone();
        if let Some(t) = change.title {
            row.title = t;
        }
        if let Some(d) = change.description {
            row.description = d;
        }
        if let Some(p) = change.place {
            row.place = p;
        }
        if let Some(at) = at {
            (row.lat, row.lon) = (at.lat, at.lon);
        }
        if let Some(s) = change.starts_at {
            row.starts_at = s.naive_utc();
        }
        if let Some(e) = change.ends_at {
            row.ends_at = e.naive_utc();
        }
        if row.ends_at <= row.starts_at {
            return Err(Error::invalid("ends_at", "must be after starts_at"));
        }
        if row.ends_at - row.starts_at > chrono::Duration::hours(24) {
            return Err(Error::invalid("ends_at", "must be at most 24 hours after starts_at"));
        }
        if row.starts_at <= now {
            return Err(Error::invalid("starts_at", "must be in the future"));
        }
        if let Some(capacity) = change.capacity {
            let going = db::events::going_count(c, &row.id)?;
            if i64::from(capacity) < going {
                return Err(Error::Conflict(format!(
                    "{going} people are going: the event needs at least {going} places. Ask some to leave first."
                )));
            }
            row.capacity = capacity;
        }
        db::events::update_details(c, &row)?;
        let moved = row.starts_at != old.starts_at
            || row.ends_at != old.ends_at
            || row.place != old.place
            || (row.lat, row.lon) != (old.lat, old.lon);
        if moved {
            for person in db::events::people(c, &row.id)? {
                if person.signup.status == SignupStatus::Going {
                    remake_lift(c, svc, caller, &row, person.signup.clone(), now)?;
                    crate::notify::events::event_changed(
                        c,
                        &svc.settings,
                        &row,
                        &person.signup.member_id,
                        now,
                    )?;
                }
            }
        }
        while db::events::going_count(c, &row.id)? < i64::from(row.capacity)
            && db::events::first_waiting(c, &row.id)?.is_some()
        {
            promote_first_waiting(c, svc, caller, &row, now)?;
        }
        db::audit::record(c, now,
            Some(caller.id.as_str()),
            AuditAction::EventChanged,
            &row.id,
            None,
        )?;
        one_view(c, caller, row, svc.now())
    })
}

/// A coordinator cancels an event before it starts: everyone going or waiting is told (by email
/// when they have one; the call list shows the rest), their lifts are cancelled, and it takes no
/// more sign-ups.
pub fn cancel(svc: &Services, caller: &Caller, event: &EventId, reason: &str) -> Result<EventView> {
    super::coordinators_only(caller)?;
    svc.write(|c| {
        let ev = db::events::lock(c, event.as_str())?.ok_or(Error::NotFound)?;
        let now = svc.now();
        allow_event(&ev, caller, "cancel", now)?;
        if !db::events::cancel(c, &ev.id, reason, now)? {
            return Err(Error::Conflict("The event is already cancelled.".into()));
        }
        for person in db::events::people(c, &ev.id)? {
            let s = &person.signup;
            if s.status == SignupStatus::Left {
                continue;
            }
            if let Some(lift) = &s.lift_request_id {
                cancel_lift(c, svc, caller, lift, now)?;
            }
            crate::notify::events::event_cancelled(
                c,
                &svc.settings,
                &ev,
                &s.member_id,
                reason,
                now,
            )?;
        }
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::EventCancelled,
            &ev.id,
            Some(reason),
        )?;
        let ev = db::events::get(c, &ev.id)?.ok_or(Error::NotFound)?;
        one_view(c, caller, ev, svc.now())
    })
}

/// A coordinator puts an event on.
pub fn create(
    svc: &Services,
    caller: &Caller,
    new: NewEvent,
    key: Option<&IdempotencyKey>,
) -> Result<Once<EventView>> {
    super::coordinators_only(caller)?;
    svc.write_once(key, 201, |c| {
        let now = svc.now();
        let at = super::places::resolve(c, &svc.settings, &new.location, "location")?;
        let row = EventRow {
            id: EventId::new().into_string(),
            title: new.title,
            description: new.description,
            place: new.place,
            lat: at.lat,
            lon: at.lon,
            starts_at: new.starts_at.naive_utc(),
            ends_at: new.ends_at.naive_utc(),
            capacity: new.capacity,
            created_by: caller.id.to_string(),
            created_at: now,
            cancelled_at: None,
            cancel_reason: None,
        };
        db::events::insert(c, &row)?;
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::EventCreated,
            &row.id,
            Some(&row.title),
        )?;
        one_view(c, caller, row, svc.now())
    })
}

/// Events starting from `from` (default now) and before `to`, soonest first.
pub fn list(
    svc: &Services,
    caller: &Caller,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    paging: Paging,
) -> Result<Page<EventView>> {
    let from = from.map_or_else(db::now, |f| f.naive_utc());
    let to = to.map(|t| t.naive_utc());
    svc.read(|c| {
        let rows = db::events::list(c, from, to, paging.after.clone(), paging.limit + 1)?;
        let shown: Vec<EventRow> = rows.iter().take(paging.limit as usize).cloned().collect();
        let mut shown = views(c, caller, shown, svc.now())?.into_iter();
        Ok(page(
            rows,
            paging.limit,
            |r| (r.starts_at, r.id.clone()),
            |_| shown.next().expect("a view for each row shown"),
        ))
    })
}

pub fn event(svc: &Services, caller: &Caller, id: &EventId) -> Result<EventView> {
    svc.read(|c| {
        let row = db::events::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        one_view(c, caller, row, svc.now())
    })
}

/// Who a sign-up is for: a member signs up themself; a coordinator names the member.
fn signing_up_whom(caller: &Caller, member: Option<MemberId>) -> Result<MemberId> {
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
        (Role::Helper, _) => Err(Error::Forbidden(Caller::needs(&[
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
    let member = signing_up_whom(caller, member)?;
    svc.write_once(key, 201, |c| {
        let ev = db::events::lock(c, event.as_str())?.ok_or(Error::NotFound)?;
        let now = svc.now();
        allow_event(&ev, caller, "signups", now)?;
        if db::members::get(c, member.as_str())?.is_none() {
            return Err(Error::invalid("member_id", "no member has this id"));
        }
        super::member_account_open(c, member.as_str())?;
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
            signed_up_by: caller.id.to_string(),
            signed_up_at: now,
            changed_at: now,
            attended_at: None,
        };
        if needs_lift {
            let lift = lift_row(c, caller.id.as_str(), &ev, &member, now)?;
            let reason = caller
                .is_coordinator()
                .then_some("a lift to a Circle event, signed up by a coordinator");
            super::membership::check_time_for(c, &svc.settings, caller, &lift, reason)?;
            if status == SignupStatus::Going {
                row.lift_request_id = Some(start_lift(c, svc, lift, now)?);
            }
        }
        db::events::save_signup(c, &row)?;
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::EventSignedUp,
            &ev.id,
            Some(&format!("{} {}", member, status.as_str())),
        )?;
        let position = position_of(c, &row)?;
        Ok(signup_view(&row, position))
    })
}

/// The transport request for a member's lift to an event, from their home, not yet written;
/// `created_by` is whoever signed the member up.
fn lift_row(
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
fn remake_lift(
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
            super::requests::cancel_in(c, svc, caller, &lift, Some(reason), now)?;
        }
        _ => return Ok(()),
    }
    let member = MemberId::from_string(signup.member_id.clone());
    let lift = lift_row(c, &signup.signed_up_by, ev, &member, now)?;
    let reason = "a lift to a Circle event that moved";
    super::membership::check_time_for(c, &svc.settings, caller, &lift, Some(reason))?;
    signup.lift_request_id = Some(start_lift(c, svc, lift, now)?);
    signup.changed_at = now;
    db::events::save_signup(c, &signup)?;
    Ok(())
}

/// Write the lift and offer it to the best helpers, as any request.
fn start_lift(
    c: &mut DbConnection,
    svc: &Services,
    lift: RequestRow,
    now: NaiveDateTime,
) -> Result<String> {
    db::requests::insert(c, &lift)?;
    flow::offer_next(c, &svc.settings, &lift.id, now)?;
    Ok(lift.id)
}

/// A member leaves (or a coordinator takes them off). Their lift, if not done, is cancelled;
/// if they had a place, the first waiting member is given it and told.
pub fn leave(svc: &Services, caller: &Caller, event: &EventId, member: &MemberId) -> Result<()> {
    if !caller.is_self_or_coordinator(member.as_str()) {
        return Err(Error::NotFound);
    }
    svc.write(|c| leave_in(c, svc, caller, event, member, svc.now()))
}

/// A member leaves an event in the caller's transaction: their lift is cancelled and, if they
/// had a place before the start, the first waiting member is given it and told.
pub(super) fn leave_in(
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
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
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

fn cancel_lift(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    lift_id: &str,
    now: NaiveDateTime,
) -> Result<()> {
    match db::requests::get(c, lift_id)? {
        Some(lift) if !lift.status().is_final() => {
            let reason = "No longer going to the event";
            super::requests::cancel_in(c, svc, caller, &lift, Some(reason), now)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The first member waiting gets the place (and their lift, if they asked for one), and is
/// told by email; those without email are on the event's call list.
fn promote_first_waiting(
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
    db::audit::record(
        c,
        now,
        Some(caller.id.as_str()),
        AuditAction::EventSignedUp,
        &ev.id,
        Some(&format!("{} going (a place came up)", next.member_id)),
    )?;
    crate::notify::events::event_place(c, &svc.settings, ev, &next.member_id, now)?;
    Ok(())
}

/// A coordinator records who came: each must be going to the event, which must have started.
/// Marking someone twice is harmless.
pub fn record_attendance(
    svc: &Services,
    caller: &Caller,
    event: &EventId,
    members: Vec<MemberId>,
) -> Result<EventView> {
    super::coordinators_only(caller)?;
    svc.write(|c| {
        let ev = db::events::get(c, event.as_str())?.ok_or(Error::NotFound)?;
        let now = svc.now();
        allow_event(&ev, caller, "attendance", now)?;
        let going: Vec<String> = db::events::people(c, &ev.id)?
            .into_iter()
            .filter(|p| p.signup.status == SignupStatus::Going)
            .map(|p| p.signup.member_id)
            .collect();
        if let Some(stray) = members
            .iter()
            .find(|m| !going.iter().any(|g| g == m.as_str()))
        {
            return Err(Error::invalid(
                "member_ids",
                format!("{stray} is not going to this event"),
            ));
        }
        let ids: Vec<String> = members.into_iter().map(MemberId::into_string).collect();
        let marked = db::events::mark_attended(c, &ev.id, &ids, now)?;
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::EventAttendance,
            &ev.id,
            Some(&format!("{marked} marked as come")),
        )?;
        one_view(c, caller, ev, svc.now())
    })
}

/// Remind those going to events in the next `events.remind_hours_before` hours, once each.
pub fn remind(svc: &Services, now: NaiveDateTime) -> Result<usize> {
    let hours = chrono::Duration::hours(svc.settings.events.remind_hours_before);
    svc.write(|c| {
        let mut queued = 0;
        for ev in db::events::starting_between(c, now, now + hours)? {
            queued += crate::notify::events::event_reminders(c, &svc.settings, &ev, now)?;
        }
        Ok(queued)
    })
}
