//! What needs a coordinator today, in one list, oldest first: visits whose window passed with no
//! outcome, concerns due for review (or with no review date), emails that failed for someone
//! with a visit in the next 48 hours, members with no way to reach them, and call-backs whose day
//! has come. Each item says in words what it is and whom to ring; the console's Today shows how
//! many there are.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::{page, Paging};
use super::views::utc;
use super::{Result, Services};
use crate::db::{self, DbConnection};
use crate::domain::{contact, Caller, FollowUpKind, Parsed, Role};

/// At most this many of each kind are gathered: a Circle with more of one kind than this has
/// a bigger problem than a list can show.
pub const MOST_OF_EACH: i64 = 500;

/// How far ahead a visit makes a failed email worth a call.
const VISIT_WITHIN_HOURS: i64 = 48;

/// How long ago a failed email still counts.
const FAILED_WITHIN_DAYS: i64 = 7;

/// One thing to follow up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUp {
    /// Stable for the same thing across reads: the kind and the id of what it is about.
    pub key: String,
    pub kind: FollowUpKind,
    /// Since when it has needed someone: the window's end, the review date, the failure, the
    /// call-back's day, or when the member joined.
    #[schema(value_type = String, format = DateTime)]
    pub since: DateTime<Utc>,
    /// What it is, in words ("Shopping with Hal Patel on Tuesday 8 December, 10:00: no one has
    /// said how it went.").
    pub summary: String,
    /// The person to ring or look at.
    pub person_id: Option<String>,
    pub person_name: Option<String>,
    pub person_phone: Option<String>,
    /// Whether they are a member or a helper, for the page to open.
    pub person_role: Option<Role>,
    /// The visit it is about, when it is about one.
    pub request_id: Option<String>,
    /// The concern it is about, when it is about one.
    pub concern_id: Option<String>,
    /// The call-back, to mark done (`POST /people/{person_id}/notes/{note_id}/done`).
    pub note_id: Option<String>,
}

/// A page of follow-ups, with how many there are in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpPage {
    pub items: Vec<FollowUp>,
    pub next_cursor: Option<String>,
    /// How many follow-ups there are, on every page.
    pub total: i64,
}

fn when(t: NaiveDateTime, tz: Tz) -> String {
    crate::notify::messages::when(utc(t), tz)
}

fn item(kind: FollowUpKind, id: &str, since: NaiveDateTime, summary: String) -> FollowUp {
    FollowUp {
        key: format!("{kind}:{id}"),
        kind,
        since: utc(since),
        summary,
        person_id: None,
        person_name: None,
        person_phone: None,
        person_role: None,
        request_id: None,
        concern_id: None,
        note_id: None,
    }
}

/// Every follow-up, oldest first, without the people's names filled in.
fn gather(
    c: &mut DbConnection,
    now: NaiveDateTime,
    tz: Tz,
    no_arrival_after: chrono::Duration,
) -> Result<Vec<(FollowUp, String)>> {
    let mut all = Vec::new();
    // Visits under way whose helper has not said they have arrived (coordinators were also
    // emailed once).
    let started = db::visits::assigned_started(
        c,
        now - chrono::Duration::hours(24),
        now - no_arrival_after,
        now,
    )?;
    let names = db::users::name_map(
        c,
        started
            .iter()
            .filter_map(|(r, _)| r.helper_id.clone())
            .collect(),
    )?;
    for (r, v) in started {
        let arrived = v
            .as_ref()
            .is_some_and(|v| v.checked_in_at.is_some() || v.ended.is_some());
        let (Some(helper), false) = (r.helper_id.as_ref().and_then(|h| names.get(h)), arrived)
        else {
            continue;
        };
        let start = r.scheduled_start.unwrap_or(r.window_start);
        let late = v
            .as_ref()
            .and_then(|v| v.eta)
            .map(|eta| {
                format!(
                    " They said they are running late, expected at {}.",
                    eta.and_utc().with_timezone(&tz).format("%H:%M")
                )
            })
            .unwrap_or_default();
        let mut f = item(
            FollowUpKind::NoArrival,
            &r.id,
            start,
            format!(
                "{helper} was due at {} and has not said they have arrived.{late} Ring them.",
                start.and_utc().with_timezone(&tz).format("%H:%M")
            ),
        );
        f.request_id = Some(r.id.clone());
        all.push((f, r.member_id));
    }
    let visits = db::follow_ups::visits_without_outcome(c, now, MOST_OF_EACH)?;
    let helpers = db::users::name_map(
        c,
        visits.iter().filter_map(|r| r.helper_id.clone()).collect(),
    )?;
    for r in visits {
        let with = r
            .helper_id
            .as_ref()
            .and_then(|h| helpers.get(h))
            .map(|n| format!(" with {n}"))
            .unwrap_or_default();
        let start = r.scheduled_start.unwrap_or(r.window_start);
        let mut f = item(
            FollowUpKind::VisitWithoutOutcome,
            &r.id,
            r.window_end,
            format!(
                "{}{with} on {}: no one has said how it went.",
                r.category.label(),
                when(start, tz)
            ),
        );
        f.request_id = Some(r.id.clone());
        all.push((f, r.member_id));
    }

    tell_who_is_coming(c, now, tz, &mut all)?;

    let today = now.date();
    let due = db::concerns::reviews_due(c, today, MOST_OF_EACH)?;
    let concern_rows = db::concerns::get_many(
        c,
        &due.iter().map(|h| h.concern_id.clone()).collect::<Vec<_>>(),
    )?;
    let owners = db::users::name_map(c, due.iter().filter_map(|h| h.owner_id.clone()).collect())?;
    for h in due {
        let Some(concern) = concern_rows.iter().find(|r| r.id == h.concern_id) else {
            continue;
        };
        let owner = h
            .owner_id
            .as_ref()
            .and_then(|o| owners.get(o))
            .map(|n| format!(" {n} owns it."))
            .unwrap_or_else(|| " No one owns it yet.".into());
        let (since, due_words) = match h.review_on {
            Some(d) => (
                d.and_time(chrono::NaiveTime::MIN),
                format!("due for review since {}.", d.format("%A %-d %B")),
            ),
            None => (h.at, "no review date set.".to_string()),
        };
        let mut f = item(
            FollowUpKind::ConcernReview,
            &concern.id,
            since,
            format!(
                "A{} concern ({}) is {due_words}{owner}",
                if concern.urgency == crate::domain::Urgency::Urgent {
                    "n urgent"
                } else {
                    ""
                },
                concern.category.label().to_lowercase(),
            ),
        );
        f.concern_id = Some(concern.id.clone());
        let about = concern.about_id.clone().unwrap_or_default();
        all.push((f, about));
    }

    let failed = db::follow_ups::failed_before_visits(
        c,
        now,
        now + chrono::Duration::hours(VISIT_WITHIN_HOURS),
        now - chrono::Duration::days(FAILED_WITHIN_DAYS),
        MOST_OF_EACH,
    )?;
    let mut seen_people = std::collections::HashSet::new();
    for e in failed.into_iter().rev() {
        // The latest failure for each person stands for the others.
        if !seen_people.insert(e.person_id.clone()) {
            continue;
        }
        let f = item(
            FollowUpKind::MessageFailed,
            &e.outbox_id,
            e.created_at,
            match e.subject.strip_prefix("Text: ") {
                Some(about) => format!(
                    "The text \u{201c}{about}\u{201d} could not be delivered, and a visit is due within two days: ring to tell them."
                ),
                None => format!(
                    "The email \u{201c}{}\u{201d} could not be delivered, and a visit is due within two days: ring to tell them.",
                    e.subject
                ),
            },
        );
        all.push((f, e.person_id));
    }

    let unreachable = db::follow_ups::members_without_email_or_app(c)?
        .into_iter()
        .filter(|(_, _, phone)| !phone.as_deref().is_some_and(contact::is_uk_mobile))
        .take(MOST_OF_EACH as usize);
    for (id, joined, phone) in unreachable {
        let summary = match phone {
            Some(p) if !p.trim().is_empty() => {
                "No email, mobile or app: the service cannot tell them of a visit; ring them, or add a mobile or an email."
            }
            _ => "No email, phone or app on record: add a way to reach them.",
        };
        let f = item(FollowUpKind::NoContactRoute, &id, joined, summary.into());
        all.push((f, id));
    }

    for (note, _, _) in db::person_notes::call_backs_due(c, today, MOST_OF_EACH)? {
        let day = note.due_on.unwrap_or(today);
        let mut f = item(
            FollowUpKind::CallBack,
            &note.id,
            day.and_time(chrono::NaiveTime::MIN),
            format!(
                "Ring back (set for {}): {}",
                day.format("%A %-d %B"),
                note.body
            ),
        );
        f.note_id = Some(note.id.clone());
        all.push((f, note.person_id));
    }
    all.sort_by(|(a, _), (b, _)| (a.since, &a.key).cmp(&(b.since, &b.key)));
    Ok(all)
}

/// The "who is coming" call list: members the service cannot tell (no email, not texted) of a
/// visit in the next two days, with the helper and the words at the door, until a call with
/// them is logged after the helper was assigned.
fn tell_who_is_coming(
    c: &mut DbConnection,
    now: NaiveDateTime,
    tz: Tz,
    all: &mut Vec<(FollowUp, String)>,
) -> Result<()> {
    let visits =
        db::follow_ups::visits_to_tell(c, now, now + chrono::Duration::hours(48), MOST_OF_EACH)?;
    let helpers = db::users::name_map(
        c,
        visits
            .iter()
            .filter_map(|(r, ..)| r.helper_id.clone())
            .collect(),
    )?;
    for (r, words, drawn) in visits {
        let Some(member) = db::users::find(c, &r.member_id)? else {
            continue;
        };
        if crate::notify::events::text_to(c, &member)?.is_some()
            || db::person_notes::called_since(c, &r.member_id, drawn)?
        {
            continue;
        }
        let helper = r.helper_id.as_ref().and_then(|h| helpers.get(h));
        let start = r.scheduled_start.unwrap_or(r.window_start);
        let mut f = item(
            FollowUpKind::TellWhoIsComing,
            &r.id,
            drawn,
            format!(
                "Ring to say {} is coming to help with {} on {}. The words they will say at the door: \u{201c}{words}\u{201d}.",
                helper.map(String::as_str).unwrap_or("a helper"),
                r.category.in_words(),
                when(start, tz)
            ),
        );
        f.request_id = Some(r.id.clone());
        all.push((f, r.member_id));
    }
    Ok(())
}

/// What needs a coordinator today, oldest first, a page at a time.
pub fn follow_ups(
    svc: &Services,
    caller: &Caller,
    paging: impl Into<Parsed<Paging>>,
) -> Result<FollowUpPage> {
    super::coordinators_only(caller)?;
    let paging = paging.into().take()?;
    let tz = svc.settings.reports.timezone;
    svc.read(|c| {
        let no_arrival = chrono::Duration::minutes(svc.settings.visits.no_check_in_alert_minutes);
        let all = gather(c, svc.now(), tz, no_arrival)?;
        let total = all.len() as i64;
        let rows: Vec<(FollowUp, String)> = all
            .into_iter()
            .filter(|(f, _)| match &paging.after {
                Some((at, key)) => (f.since.naive_utc(), &f.key) > (*at, key),
                None => true,
            })
            .take(paging.limit as usize + 1)
            .collect();
        let ids: Vec<String> = rows.iter().map(|(_, p)| p.clone()).collect();
        let people = db::users::names(c, &ids)?;
        let roles = db::users::roles(c, &ids)?;
        let page = page(
            rows,
            paging.limit,
            |(f, _)| (f.since.naive_utc(), f.key.clone()),
            |(mut f, person)| {
                if let Some((id, name, phone, _)) = people.iter().find(|(id, ..)| *id == person) {
                    f.person_id = Some(id.clone());
                    f.person_name = Some(name.clone());
                    f.person_phone = phone.clone();
                    f.person_role = roles.iter().find(|(r, _)| r == id).map(|(_, role)| *role);
                }
                f
            },
        );
        Ok(FollowUpPage {
            items: page.items,
            next_cursor: page.next_cursor,
            total,
        })
    })
}
