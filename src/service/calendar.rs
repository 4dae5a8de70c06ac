//! A person's calendar: a secret address (made again on request, which ends the old one) of an
//! iCalendar feed (RFC 5545) that a phone's calendar reads without signing in. A member's feed
//! holds their requests (who is coming, or that nobody is yet) and the events they are going
//! to; a helper's, their visits: with the area only until the day before, then the address
//! while the visit is theirs (the rule the app follows). From a month back; never a phone
//! number.

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, requests::RequestRow, DbConnection};
use crate::domain::{Caller, RequestStatus, Role, UserId};

/// How far back a feed goes.
const MONTH: Duration = Duration::days(31);

/// The secret address of a person's calendar feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarAddress {
    /// Add it to a phone's calendar; anyone with it can read the feed, so keep it to oneself.
    #[schema(
        example = "https://circle.example.org/api/v1/calendar/Qm9vbGVhbiBsaW5rIGV4YW1wbGUgdG9rZW4gZm9yIGRvY3M.ics"
    )]
    pub url: String,
}

/// A new address for the caller's feed; the one before stops working at once.
pub fn new_address(svc: &Services, caller: &Caller) -> Result<CalendarAddress> {
    let token = refresh::new_token();
    svc.write(|c| {
        db::calendar::replace(c, caller.id.as_str(), &refresh::hash(&token), svc.now())?;
        Ok(())
    })?;
    Ok(CalendarAddress {
        url: format!(
            "{}/api/v1/calendar/{token}.ics",
            svc.settings.server.public_url.trim_end_matches('/')
        ),
    })
}

/// The feed at `file` (`{token}.ics`, or the token alone), as iCalendar text; 404 for an
/// address that is not one, or was replaced.
pub fn feed(svc: &Services, file: &str) -> Result<String> {
    let token = file.strip_suffix(".ics").unwrap_or(file);
    let plausible = token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !plausible {
        return Err(Error::NotFound);
    }
    svc.read(|c| {
        let owner = db::calendar::owner(c, &refresh::hash(token))?.ok_or(Error::NotFound)?;
        let user = db::users::find(c, &owner)?
            .filter(|u| u.is_active())
            .ok_or(Error::NotFound)?;
        let now = svc.now();
        let caller = Caller {
            id: UserId::from_string(user.id.clone()),
            role: user.role,
            on_behalf: None,
        };
        let mut cal = Calendar::new()
            .name(&format!("{}: {}", svc.settings.circle.name, user.name))
            .done();
        let entries = match user.role {
            Role::Member => member_entries(c, &user.id, now)?,
            Role::Helper => helper_entries(c, svc, &caller, now)?,
            Role::Coordinator | Role::Delegate => Vec::new(),
        };
        for e in entries {
            cal.push(e);
        }
        Ok(cal.to_string())
    })
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// A visit's planned start and end: the planned start and the time it takes, or its window.
fn times(row: &RequestRow) -> (DateTime<Utc>, DateTime<Utc>) {
    match row.scheduled_start {
        Some(s) => (
            utc(s),
            utc(s + Duration::minutes(row.duration_minutes as i64)),
        ),
        None => (utc(row.window_start), utc(row.window_end)),
    }
}

fn entry(uid: &str, summary: &str, (start, end): (DateTime<Utc>, DateTime<Utc>)) -> Event {
    Event::new()
        .uid(&format!("{uid}@neighbourly"))
        .summary(summary)
        .starts(start)
        .ends(end)
        .done()
}

fn member_entries(c: &mut DbConnection, member_id: &str, now: NaiveDateTime) -> Result<Vec<Event>> {
    let rows = db::calendar::member_requests(c, member_id, now - MONTH)?;
    let helpers =
        db::users::name_map(c, rows.iter().filter_map(|r| r.helper_id.clone()).collect())?;
    let mut entries = Vec::new();
    for row in &rows {
        let task = row.category.in_words();
        let helper = row.helper_id.as_ref().and_then(|h| helpers.get(h));
        let summary = match (row.status, helper) {
            (RequestStatus::Assigned, Some(name)) => {
                let first = name.split_whitespace().next().unwrap_or(name);
                format!("{first} comes to help with {task}")
            }
            (RequestStatus::Completed, _) => format!("Help with {task} (done)"),
            _ => format!("Help with {task} (nobody is going yet)"),
        };
        let mut e = entry(&row.id, &summary, times(row));
        e.description(&row.description);
        entries.push(e);
    }
    for ev in db::calendar::events_going(c, member_id, now - MONTH)? {
        let mut e = entry(&ev.id, &ev.title, (utc(ev.starts_at), utc(ev.ends_at)));
        e.location(&ev.place).description(&ev.description);
        entries.push(e);
    }
    Ok(entries)
}

fn helper_entries(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    now: NaiveDateTime,
) -> Result<Vec<Event>> {
    let rows = db::calendar::helper_visits(c, caller.id.as_str(), now - MONTH)?;
    let members = db::users::name_map(c, rows.iter().map(|r| r.member_id.clone()).collect())?;
    let tz = svc.settings.reports.timezone;
    let mut entries = Vec::new();
    for row in &rows {
        let task = row.category.in_words();
        let member = members
            .get(&row.member_id)
            .map(|n| n.split_whitespace().next().unwrap_or(n).to_string())
            .unwrap_or_else(|| "a member".into());
        let (start, end) = times(row);
        let summary = match row.status {
            RequestStatus::Completed => format!("Helped {member} with {task} (done)"),
            _ => format!("Help {member} with {task}"),
        };
        // The address from the day before (in the Circle's zone), while the visit is theirs.
        let day_before = (start.with_timezone(&tz).date_naive() - Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .map(|t| t.naive_utc())
            .unwrap_or(start.naive_utc() - Duration::days(1));
        let address = match now >= day_before
            && row.status == RequestStatus::Assigned
            && super::requests::reveals_member(c, caller, row, now)?
        {
            true => row.address.clone(),
            false => None,
        };
        let area = row
            .area_name
            .as_deref()
            .map(|a| format!("Near {a} (the address shows the day before)"))
            .unwrap_or_else(|| "The address shows the day before".into());
        let mut e = entry(&row.id, &summary, (start, end));
        e.location(address.as_deref().unwrap_or(&area))
            .description(&row.description);
        entries.push(e);
    }
    Ok(entries)
}
