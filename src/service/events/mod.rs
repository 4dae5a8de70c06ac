//! Social events: coordinators put them on; everyone signed in sees what is coming up; members
//! sign up (or a coordinator for them) and go, or wait in order when it is full; when someone
//! going leaves, the first waiting is promoted and told. A sign-up with `needs_lift` has a
//! transport request made for the event's time, matched as usual. Reminders go the day before;
//! coordinators get the names and a call list for those without email, and record who came.

mod lifts;
mod signups;

use lifts::{cancel_lift, remake_lift};
pub(super) use signups::leave_in;
use signups::promote_first_waiting;
pub use signups::{leave, sign_up};

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::delegates::speak_for;
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
use crate::domain::delegation::Deed;
use crate::domain::gathering::{lift_times, place_for};
use crate::domain::Parsed;
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
        Role::Helper | Role::Delegate => {}
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
    change: impl Into<Parsed<EventChange>>,
) -> Result<EventView> {
    super::coordinators_only(caller)?;
    let change = change.into().take()?;
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
    let reason = &super::reason(reason)?;
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
    new: impl Into<Parsed<NewEvent>>,
    key: Option<&IdempotencyKey>,
) -> Result<Once<EventView>> {
    super::coordinators_only(caller)?;
    let new = new.into().take()?;
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
    member: Option<&MemberId>,
    paging: Paging,
) -> Result<Page<EventView>> {
    let from = from.map_or_else(db::now, |f| f.naive_utc());
    let to = to.map(|t| t.naive_utc());
    svc.read(|c| {
        let caller = &match member {
            Some(m) => speak_for(c, caller, m.as_str(), Deed::ReadEvents)?,
            None => caller.clone(),
        };
        if member.is_some_and(|m| !caller.is_self_or_coordinator(m.as_str())) {
            return Err(Error::Forbidden(
                "Only coordinators may list another member's events.".into(),
            ));
        }
        let rows = db::events::list(
            c,
            from,
            to,
            member.map(MemberId::as_str),
            paging.after.clone(),
            paging.limit + 1,
        )?;
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

/// A coordinator records who came: each must be going to the event, which must have started.
/// Marking someone twice is harmless.
pub fn record_attendance(
    svc: &Services,
    caller: &Caller,
    event: &EventId,
    members: impl Into<Parsed<Vec<MemberId>>>,
) -> Result<EventView> {
    super::coordinators_only(caller)?;
    let members = members.into().take()?;
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
