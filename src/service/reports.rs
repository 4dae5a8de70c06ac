//! The weekly report: read it, email it to coordinators now or on schedule, and the outbox list
//! coordinators look at for emails that could not be delivered.

use crate::domain::MessageKind;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::views::utc;
use super::{Requester, Result, Services};
use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::domain::{AuditAction, Caller, OutboxStatus, Parsed};
use crate::reports::{self, IsoWeek, WeeklyReport};

/// The week asked for, or the last complete one in the report's time zone.
pub fn week_or_last(
    settings: &Settings,
    week: Option<IsoWeek>,
    now: chrono::NaiveDateTime,
) -> IsoWeek {
    week.unwrap_or_else(|| IsoWeek::last_complete(now.and_utc(), settings.reports.timezone))
}

/// The weekly report's figures (coordinators, or the command line).
pub fn weekly_report(
    svc: &Services,
    by: Requester<'_>,
    week: impl Into<Parsed<IsoWeek>>,
) -> Result<WeeklyReport> {
    by.coordinators_only()?;
    let week = week.into().take()?;
    let tz = svc.settings.reports.timezone;
    let per_token = svc.settings.membership.minutes_per_token;
    svc.read(|c| Ok(db::reports::weekly(c, week, tz, per_token)?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    pub week: String,
    /// Emails queued, one per coordinator with an email address.
    pub queued: usize,
}

/// A coordinator (or the command line, with no caller) sends the report for `week` to every
/// coordinator now.
pub fn send_weekly_report(
    svc: &Services,
    by: Requester<'_>,
    week: impl Into<Parsed<IsoWeek>>,
) -> Result<Queued> {
    by.coordinators_only()?;
    let week = week.into().take()?;
    let caller = match by {
        Requester::Person(caller) => Some(caller),
        Requester::CommandLine => None,
    };
    svc.write(|c| {
        let queued = queue_for_coordinators(c, &svc.settings, week, false, svc.now())?;
        db::audit::record(
            c,
            svc.now(),
            caller.map(|c| c.id.as_str()),
            AuditAction::ReportSent,
            &week.to_string(),
            None,
        )?;
        Ok(Queued {
            week: week.to_string(),
            queued,
        })
    })
}

/// Queue the report for `week` to every coordinator with an email. Scheduled sends carry a key
/// per week and coordinator, so that several processes queue it once.
fn queue_for_coordinators(
    conn: &mut DbConnection,
    settings: &Settings,
    week: IsoWeek,
    scheduled: bool,
    now: chrono::NaiveDateTime,
) -> Result<usize> {
    let coordinators = db::users::coordinators(conn)?;
    let report = db::reports::weekly(
        conn,
        week,
        settings.reports.timezone,
        settings.membership.minutes_per_token,
    )?;
    let mut queued = 0;
    for (id, email) in coordinators {
        let Some(to) = email else { continue };
        let mut mail = reports::email::render(&report, &to);
        if scheduled {
            mail.dedup_key = Some(format!("weekly-report:{week}:{id}"));
            if db::outbox::enqueue_once(conn, &mail, now)? {
                queued += 1;
            }
        } else {
            db::outbox::enqueue(conn, &mail, now)?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// Once the configured weekday and hour have passed in the configured zone, queue last week's
/// report (once: later calls that week find it queued). Runs in the sweep's transaction.
pub fn queue_scheduled(
    conn: &mut DbConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<usize> {
    if !settings.reports.scheduled {
        return Ok(0);
    }
    let tz = settings.reports.timezone;
    let this_week = IsoWeek::of(now.with_timezone(&tz).date_naive());
    let day = this_week.monday() + Duration::days(i64::from(settings.reports.send_weekday) - 1);
    let local = day.and_time(
        NaiveTime::from_hms_opt(settings.reports.send_hour, 0, 0).unwrap_or(NaiveTime::MIN),
    );
    let Some(due) = tz.from_local_datetime(&local).earliest() else {
        return Ok(0);
    };
    if now < due.with_timezone(&Utc) {
        return Ok(0);
    }
    let week = this_week.previous();
    if db::outbox::any_with_key_prefix(conn, &format!("weekly-report:{week}:"))? {
        return Ok(0);
    }
    queue_for_coordinators(conn, settings, week, true, now.naive_utc())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxItem {
    pub id: String,
    pub kind: MessageKind,
    pub recipient: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub next_attempt_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxList {
    pub items: Vec<OutboxItem>,
}

/// Emails in one state, newest first.
pub fn outbox(
    svc: &Services,
    caller: &Caller,
    status: impl Into<Parsed<OutboxStatus>>,
    limit: impl Into<Parsed<i64>>,
) -> Result<OutboxList> {
    super::coordinators_only(caller)?;
    let status = status.into().take()?;
    let limit = limit.into().take()?;
    let rows = svc.read(|c| Ok(db::outbox::list(c, status, limit)?))?;
    let items = rows
        .into_iter()
        .map(|r| OutboxItem {
            id: r.id,
            kind: r.kind,
            recipient: r.recipient,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            next_attempt_at: utc(r.next_attempt_at),
            created_at: utc(r.created_at),
            sent_at: r.sent_at.map(utc),
        })
        .collect();
    Ok(OutboxList { items })
}
