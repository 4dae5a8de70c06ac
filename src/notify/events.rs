//! Queue the emails an event causes, in the caller's transaction.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::QueryResult;

use super::links::{self, NewLink};
use super::messages::{self, JobSummary};
use super::texts::Texting;
use crate::config::Settings;
use crate::db::{
    self, events::EventRow, offers::OfferRow, outbox, outbox::NewEmail, requests::RequestRow,
    users::UserRow, DbConnection,
};
use crate::domain::area::Area;
use crate::domain::delegation::{Deed, Rights};
use crate::domain::{contact, LinkAction, SignupStatus, VETTING_NOTICE_DAYS};

fn tz(settings: &Settings) -> Tz {
    settings.reports.timezone
}

fn summary<'a>(row: &'a RequestRow, tz: Tz) -> JobSummary<'a> {
    JobSummary {
        category: row.category,
        description: &row.description,
        window_start: row.window_start.and_utc(),
        window_end: row.window_end.and_utc(),
        duration_minutes: row.duration_minutes,
        tz,
    }
}

/// The number to text this person at instead of emailing them: their ways put texts before
/// email, their phone is a mobile, and it has not texted STOP.
pub fn text_to(conn: &mut DbConnection, user: &UserRow) -> QueryResult<Option<String>> {
    let (email, phone) = (user.email.as_deref(), user.phone.as_deref());
    let route = contact::route(user.contact_by.as_deref(), email, phone);
    let mobile = phone.is_some_and(contact::is_uk_mobile);
    let Some(number) = user.phone_e164.as_deref().filter(|_| mobile) else {
        return Ok(None);
    };
    if !contact::texts_first(&route) || db::texts::stopped(conn, number)? {
        return Ok(None);
    }
    Ok(Some(number.to_string()))
}

/// `{server.public_url}/console/#/{route}`: a page of the coordinators' console.
fn console(settings: &Settings, route: &str) -> String {
    format!(
        "{}/console/#/{route}",
        settings.server.public_url.trim_end_matches('/')
    )
}

/// Queue the email `mail` makes for each open coordinator with an address.
fn to_coordinators(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    mail: impl Fn(&str) -> outbox::NewEmail,
) -> QueryResult<()> {
    let mails: Vec<_> = db::users::coordinators(conn)?
        .into_iter()
        .filter_map(|(_, email)| email)
        .map(|to| mail(&to))
        .collect();
    outbox::enqueue_all(conn, &mails, now)
}

/// Offers were made: tell each helper (area, time and task; never the address), with a link to
/// accept and one to decline, in one read of their accounts, one insert of the links and one of
/// the emails. Made in the Circle's quiet hours for a visit more than 12 hours off, they are sent
/// when the quiet hours end.
pub fn offers_made(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    offers: &[OfferRow],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let area = Area::of(row.location());
    let what = summary(row, tz(settings));
    let helper_ids: Vec<&str> = offers.iter().map(|o| o.helper_id.as_str()).collect();
    let accounts = db::helpers::get_all(conn, &helper_ids)?;
    let mut kept = Vec::new();
    let mut mails = Vec::new();
    for offer in offers {
        let Some((user, helper)) = accounts.iter().find(|(u, _)| u.id == offer.helper_id) else {
            continue;
        };
        if let Some(number) = text_to(conn, user)? {
            let (code, rows) = links::mint_text(
                conn,
                NewLink {
                    action: LinkAction::Accept,
                    offer_id: Some(&offer.id),
                    request_id: &row.id,
                    helper_id: &offer.helper_id,
                    expires_at: offer.expires_at,
                },
                &[LinkAction::Accept, LinkAction::Decline],
                now,
            )?;
            kept.extend(rows);
            let texting = Texting::from_settings(settings);
            let when = texting.day(row.window_start.and_utc());
            let body = texting.offer(
                &user.name,
                what.task(),
                &when,
                row.area_name.as_deref(),
                &code,
            );
            mails.push(Texting::queued(&number, "a job offered", body, None));
            continue;
        }
        let Some(to) = user.email.as_deref() else {
            continue;
        };
        let mut link = |action| {
            let (url, kept_row) = links::mint(
                settings,
                NewLink {
                    action,
                    offer_id: Some(&offer.id),
                    request_id: &row.id,
                    helper_id: &offer.helper_id,
                    expires_at: offer.expires_at,
                },
                now,
            );
            kept.push(kept_row);
            url
        };
        let offer_links = messages::OfferLinks {
            accept: link(LinkAction::Accept),
            decline: link(LinkAction::Decline),
            in_app: links::app(settings, &format!("#/offers/{}", offer.id)),
        };
        let mut mail = messages::offer(
            to,
            &user.name,
            &what,
            row.area_name.as_deref(),
            area.distance_km_from(helper.home()),
            offer.expires_at.and_utc(),
            &offer_links,
        );
        // The phone need not be woken once the offer has ended.
        if let Some(note) = mail.push.as_mut() {
            note.ttl_secs = Some((offer.expires_at - now).num_seconds().max(60));
        }
        mails.push(mail);
    }
    db::action_links::insert_all(conn, &kept)?;
    let due = settings
        .quiet_hours()
        .send_at(now.and_utc(), row.window_start.and_utc())
        .naive_utc();
    outbox::enqueue_all_due(conn, &mails, now, due)
}

/// A helper took the job: the details (with the address) to them, and "your helper is coming"
/// to the member when the member has an email.
pub fn job_taken(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(helper_id) = &row.helper_id else {
        return Ok(());
    };
    let (Some(helper), Some((member, m))) = (
        db::users::find(conn, helper_id)?,
        db::members::get(conn, &row.member_id)?,
    ) else {
        return Ok(());
    };
    let tz = tz(settings);
    let job = summary(row, tz);
    let start = row.scheduled_start.unwrap_or(row.window_start).and_utc();
    if let Some(to) = helper.email.as_deref() {
        let mail = messages::job_details(
            to,
            &helper.name,
            &job,
            start,
            &member.name,
            member.phone.as_deref(),
            &m.address,
            &links::app(settings, &format!("#/visits/{}", row.id)),
        );
        outbox::enqueue(conn, &mail, now)?;
    }
    if let Some(number) = text_to(conn, &member)? {
        let texting = Texting::from_settings(settings);
        let body =
            texting.helper_coming(&member.name, &helper.name, job.task(), &texting.day(start));
        outbox::enqueue(
            conn,
            &Texting::queued(&number, "who is coming", body, None),
            now,
        )?;
    } else if let Some(to) = member.email.as_deref() {
        let in_app = links::app(settings, &format!("#/requests/{}", row.id));
        let mail = messages::helper_coming(to, &member.name, &job, start, &helper.name, &in_app);
        outbox::enqueue(conn, &mail, now)?;
    }
    let in_app = links::app(settings, &format!("#/requests/{}", row.id));
    to_family(conn, &member, |to, family| {
        messages::helper_coming_to_family(to, family, &job, start, &helper.name, &in_app)
    })
    .and_then(|mails| outbox::enqueue_all(conn, &mails, now))
}

/// A visit is done: the member's delegates who see their visits are told.
pub fn visit_done(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (Some(helper_id), Some(member)) = (&row.helper_id, db::users::find(conn, &row.member_id)?)
    else {
        return Ok(());
    };
    let Some(helper) = db::users::find(conn, helper_id)? else {
        return Ok(());
    };
    let job = summary(row, tz(settings));
    let in_app = links::app(settings, &format!("#/requests/{}", row.id));
    let mails = to_family(conn, &member, |to, family| {
        messages::visit_done_to_family(to, family, &job, &helper.name, &in_app)
    })?;
    outbox::enqueue_all(conn, &mails, now)
}

/// One email to each of the member's delegates who may see their visits (and has an email).
fn to_family(
    conn: &mut DbConnection,
    member: &UserRow,
    mail: impl Fn(&str, (&str, &str)) -> NewEmail,
) -> QueryResult<Vec<NewEmail>> {
    Ok(db::delegates::reachable_for(conn, &member.id)?
        .into_iter()
        .filter(|(.., can)| Rights::parse(can).is_ok_and(|r| r.allow(Deed::ReadVisit)))
        .map(|(to, name, _)| mail(&to, (&name, &member.name)))
        .collect())
}

/// The day before a visit: remind the member who is coming, when they have an email; held in
/// the Circle's quiet hours unless the visit is near.
pub fn remind_member(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    helper_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (Some(helper), Some((member, _))) = (
        db::users::find(conn, helper_id)?,
        db::members::get(conn, &row.member_id)?,
    ) else {
        return Ok(());
    };
    let start = row.scheduled_start.unwrap_or(row.window_start).and_utc();
    let job = summary(row, tz(settings));
    let mail = if let Some(number) = text_to(conn, &member)? {
        let texting = Texting::from_settings(settings);
        let words = db::doorstep::of(conn, &row.id, helper_id)?;
        let body = texting.visit_reminder(
            &member.name,
            &helper.name,
            job.task(),
            &texting.day(start),
            words.as_deref(),
        );
        Texting::queued(&number, "a reminder of tomorrow's visit", body, None)
    } else {
        let Some(to) = member.email.as_deref() else {
            return Ok(());
        };
        let in_app = links::app(settings, &format!("#/requests/{}", row.id));
        messages::visit_reminder(to, &member.name, &job, start, &helper.name, &in_app)
    };
    let due = settings
        .quiet_hours()
        .send_at(now.and_utc(), start)
        .naive_utc();
    outbox::enqueue_all_due(conn, std::slice::from_ref(&mail), now, due)
}

/// A request with a helper was cancelled: tell the helper.
pub fn cancelled(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(helper_id) = &row.helper_id else {
        return Ok(());
    };
    let Some(helper) = db::users::find(conn, helper_id)? else {
        return Ok(());
    };
    if let Some(to) = helper.email.as_deref() {
        let mail = messages::cancellation(to, &helper.name, &summary(row, tz(settings)), reason);
        outbox::enqueue(conn, &mail, now)?;
    }
    Ok(())
}

pub fn vetting_approved(
    conn: &mut DbConnection,
    helper_id: &str,
    expires_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(user) = db::users::find(conn, helper_id)? else {
        return Ok(());
    };
    if let Some(to) = user.email.as_deref() {
        outbox::enqueue(
            conn,
            &messages::vetting_approved(to, &user.name, expires_on),
            now,
        )?;
    }
    Ok(())
}

/// Remind every approved helper whose vetting runs out within the notice period; once per
/// expiry date.
pub fn vetting_reminders(
    conn: &mut DbConnection,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let until = today + Duration::days(VETTING_NOTICE_DAYS);
    let mut queued = 0;
    for (name, email, expires) in db::helpers::vetting_expiring(conn, today, until)? {
        if let (Some(to), Some(expires)) = (email, expires) {
            if outbox::enqueue_once(conn, &messages::vetting_expiring(&to, &name, expires), now)? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// An urgent concern was raised: an email to every coordinator with an address, in the
/// caller's transaction (so it is never lost).
pub fn urgent_concern(
    conn: &mut DbConnection,
    settings: &Settings,
    concern_id: &str,
    category: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let link = console(settings, &format!("concern/{concern_id}"));
    to_coordinators(conn, now, |to| {
        messages::urgent_concern(to, category, now.and_utc(), tz(settings), &link)
    })
}

/// Which message a visit's step sends.
pub enum VisitNotice {
    /// To the helper: please confirm.
    AskToConfirm,
    /// To every coordinator: still unconfirmed.
    Unconfirmed,
    /// To the helper: it went to others.
    TakenBack,
}

/// The member's helper will not come (withdrew, no-show, never confirmed): tell the member, when
/// they have an email, whether others are being asked. Someone else saying yes later sends
/// "is coming" again ([`job_taken`]).
pub fn helper_gone(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    helper_id: &str,
    asking_others: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (Some(helper), Some((member, _))) = (
        db::users::find(conn, helper_id)?,
        db::members::get(conn, &row.member_id)?,
    ) else {
        return Ok(());
    };
    let tz = tz(settings);
    let start = row.scheduled_start.unwrap_or(row.window_start).and_utc();
    if let Some(number) = text_to(conn, &member)? {
        let texting = Texting::from_settings(settings);
        let body = texting.helper_cannot_come(
            &member.name,
            &helper.name,
            &texting.day(start),
            asking_others,
        );
        let text = Texting::queued(&number, "the helper cannot come", body, None);
        return outbox::enqueue(conn, &text, now).map(|_| ());
    }
    let Some(to) = member.email.as_deref() else {
        return Ok(());
    };
    let mail = messages::helper_cannot_come(
        to,
        &member.name,
        &summary(row, tz),
        start,
        &helper.name,
        asking_others,
    );
    outbox::enqueue(conn, &mail, now).map(|_| ())
}

/// Queue the email of a visit's step, in the caller's transaction.
pub fn visit(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    helper_id: &str,
    notice: VisitNotice,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(helper) = db::users::find(conn, helper_id)? else {
        return Ok(());
    };
    let job = summary(row, tz(settings));
    let start = row.scheduled_start.unwrap_or(row.window_start).and_utc();
    match notice {
        VisitNotice::AskToConfirm if text_to(conn, &helper)?.is_some() => {
            let number = text_to(conn, &helper)?.unwrap_or_default();
            let (code, rows) = links::mint_text(
                conn,
                NewLink {
                    action: LinkAction::Confirm,
                    offer_id: None,
                    request_id: &row.id,
                    helper_id,
                    expires_at: start.naive_utc(),
                },
                &[LinkAction::Confirm],
                now,
            )?;
            db::action_links::insert_all(conn, &rows)?;
            let texting = Texting::from_settings(settings);
            let body = texting.confirm(&helper.name, job.task(), &texting.day(start), &code);
            let text = Texting::queued(&number, "please confirm a visit", body, None);
            outbox::enqueue(conn, &text, now)?;
        }
        VisitNotice::AskToConfirm | VisitNotice::TakenBack => {
            if let Some(to) = helper.email.as_deref() {
                let mail = match notice {
                    VisitNotice::AskToConfirm => {
                        let (confirm, kept) = links::mint(
                            settings,
                            NewLink {
                                action: LinkAction::Confirm,
                                offer_id: None,
                                request_id: &row.id,
                                helper_id,
                                expires_at: start.naive_utc(),
                            },
                            now,
                        );
                        db::action_links::insert_all(conn, &[kept])?;
                        let in_app = links::app(settings, &format!("#/visits/{}", row.id));
                        messages::confirm_visit(to, &helper.name, &job, start, &confirm, &in_app)
                    }
                    _ => messages::visit_taken_back(to, &helper.name, &job, start),
                };
                outbox::enqueue(conn, &mail, now)?;
            }
        }
        VisitNotice::Unconfirmed => {
            let link = console(settings, &format!("request/{}", row.id));
            to_coordinators(conn, now, |to| {
                messages::visit_unconfirmed(to, &helper.name, &job, start, &link)
            })?;
        }
    }
    Ok(())
}

fn event_summary<'a>(settings: &Settings, ev: &'a EventRow) -> messages::EventSummary<'a> {
    messages::EventSummary {
        title: &ev.title,
        place: &ev.place,
        starts_at: ev.starts_at.and_utc(),
        tz: tz(settings),
        in_app: links::app(settings, &format!("#/events/{}", ev.id)),
    }
}

/// A waiting member was given a place: tell them, when they have an email.
pub fn event_place(
    conn: &mut DbConnection,
    settings: &Settings,
    ev: &EventRow,
    member_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(user) = db::users::find(conn, member_id)? else {
        return Ok(());
    };
    if let Some(to) = user.email.as_deref() {
        let mail = messages::event_place(to, &user.name, &event_summary(settings, ev));
        outbox::enqueue(conn, &mail, now)?;
    }
    Ok(())
}

/// The event's time or place changed: tell one member going, when they have an email.
pub fn event_changed(
    conn: &mut DbConnection,
    settings: &Settings,
    ev: &EventRow,
    member_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(user) = db::users::find(conn, member_id)? else {
        return Ok(());
    };
    if let Some(to) = user.email.as_deref() {
        let mail = messages::event_changed(to, &user.name, &event_summary(settings, ev));
        outbox::enqueue(conn, &mail, now)?;
    }
    Ok(())
}

/// The event was cancelled: tell one member going or waiting, when they have an email.
pub fn event_cancelled(
    conn: &mut DbConnection,
    settings: &Settings,
    ev: &EventRow,
    member_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(user) = db::users::find(conn, member_id)? else {
        return Ok(());
    };
    if let Some(to) = user.email.as_deref() {
        let mail = messages::event_cancelled(to, &user.name, &event_summary(settings, ev), reason);
        outbox::enqueue(conn, &mail, now)?;
    }
    Ok(())
}

/// Remind everyone going to the event who has an email, once each; returns how many were queued.
pub fn event_reminders(
    conn: &mut DbConnection,
    settings: &Settings,
    ev: &EventRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let summary = event_summary(settings, ev);
    let mut queued = 0;
    let texting = Texting::from_settings(settings);
    for p in db::events::people(conn, &ev.id)? {
        if p.signup.status != SignupStatus::Going {
            continue;
        }
        let dedup = format!("event-reminder:{}:{}", ev.id, p.signup.member_id);
        let member = db::users::find(conn, &p.signup.member_id)?;
        if let Some(number) = match &member {
            Some(m) => text_to(conn, m)?,
            None => None,
        } {
            let when = texting.day(ev.starts_at.and_utc());
            let body = texting.event_reminder(&p.name, &ev.title, &when);
            let text = Texting::queued(&number, "a reminder of an event", body, Some(dedup));
            if outbox::enqueue_once(conn, &text, now)? {
                queued += 1;
            }
            continue;
        }
        let Some(to) = p.email.as_deref() else {
            continue;
        };
        let mail = messages::event_reminder(to, &p.name, &summary, dedup, p.signup.needs_lift);
        if outbox::enqueue_once(conn, &mail, now)? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Remind members with email whose latest membership ends within `days`, once per membership.
pub fn membership_reminders(
    conn: &mut DbConnection,
    today: NaiveDate,
    days: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let mut queued = 0;
    for due in db::ledger::renewals_due(conn, today, today + Duration::days(days))? {
        let Some(to) = due.email.as_deref() else {
            continue;
        };
        if due.membership.ends_on < today {
            continue;
        }
        let dedup = format!("membership-ending:{}", due.membership.id);
        let mail = messages::membership_ending(to, &due.name, due.membership.ends_on, dedup);
        if outbox::enqueue_once(conn, &mail, now)? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// A standing request's occurrences on `days` were not made for want of tokens: tell the member
/// (with an email) and every coordinator (with an email), in the caller's transaction.
pub fn occurrences_unmade(
    conn: &mut DbConnection,
    settings: &Settings,
    series: &db::series::SeriesRow,
    days: &[NaiveDate],
    available_minutes: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some((member, _)) = db::members::get(conn, &series.member_id)? else {
        return Ok(());
    };
    let task = series.category.in_words();
    let mut mails = Vec::new();
    if let Some(to) = member.email.as_deref() {
        mails.push(messages::occurrences_unmade(
            to,
            &member.name,
            task,
            days,
            available_minutes,
            series.duration_minutes,
        ));
    }
    let link = console(settings, &format!("account/{}", series.member_id));
    for (_, email) in db::users::coordinators(conn)? {
        if let Some(to) = email {
            mails.push(messages::occurrences_unmade_for_coordinator(
                &to,
                &member.name,
                task,
                days,
                &link,
            ));
        }
    }
    outbox::enqueue_all(conn, &mails, now)
}

/// The helper is running late: the member is told at once (by text when they are texted first,
/// else by email, with a push to their phones).
pub fn running_late(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    helper_id: &str,
    minutes: i64,
    eta: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (Some(helper), Some((member, _))) = (
        db::users::find(conn, helper_id)?,
        db::members::get(conn, &row.member_id)?,
    ) else {
        return Ok(());
    };
    let tz = tz(settings);
    let in_app = links::app(settings, &format!("#/requests/{}", row.id));
    if let Some(number) = text_to(conn, &member)? {
        let texting = Texting::from_settings(settings);
        let at = eta.and_utc().with_timezone(&tz).format("%H:%M").to_string();
        let body = texting.running_late(&member.name, &helper.name, minutes, &at);
        let text = Texting::queued(&number, "the helper is running late", body, None);
        outbox::enqueue(conn, &text, now)?;
    } else if let Some(to) = member.email.as_deref() {
        let mail = messages::running_late(
            to,
            &member.name,
            &helper.name,
            minutes,
            eta.and_utc(),
            tz,
            &in_app,
        );
        outbox::enqueue(conn, &mail, now)?;
    }
    let family = to_family(conn, &member, |to, family| {
        let eta = eta.and_utc();
        messages::running_late_to_family(to, family, &helper.name, minutes, eta, tz, &in_app)
    })?;
    outbox::enqueue_all(conn, &family, now)
}

/// A visit started with no arrival: every coordinator with an email is told, once per visit.
pub fn no_check_in(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    helper_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (Some(helper), Some(member)) = (
        db::users::find(conn, helper_id)?,
        db::users::find(conn, &row.member_id)?,
    ) else {
        return Ok(());
    };
    let start = row.scheduled_start.unwrap_or(row.window_start).and_utc();
    let link = console(settings, &format!("request/{}", row.id));
    to_coordinators(conn, now, |to| {
        messages::no_check_in(to, &helper.name, &member.name, start, tz(settings), &link)
    })
}
