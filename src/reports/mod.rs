//! The coordinators' weekly report: figures for an ISO week in the configured time zone, the week
//! before for the trend, as JSON, CSV, or an email with a bar chart drawn in HTML tables.

pub mod email;
pub mod figures;
pub mod week;

use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

pub use figures::Figures;
pub use week::IsoWeek;

use crate::db::DbConnection;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WeeklyReport {
    #[schema(example = "2026-W47")]
    pub week: String,
    #[schema(example = "Europe/London")]
    pub timezone: String,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<Utc>,
    pub figures: Figures,
    /// The same figures for the week before.
    pub previous: Figures,
}

pub fn build(conn: &mut DbConnection, week: IsoWeek, tz: Tz) -> diesel::QueryResult<WeeklyReport> {
    let (start, end) = week.bounds(tz);
    let (ps, pe) = week.previous().bounds(tz);
    Ok(WeeklyReport {
        week: week.to_string(),
        timezone: tz.name().to_string(),
        start,
        end,
        figures: figures::compute(conn, start.naive_utc(), end.naive_utc())?,
        previous: figures::compute(conn, ps.naive_utc(), pe.naive_utc())?,
    })
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

/// The single-valued figures, as `(section, figure, value)`.
fn scalars(f: &Figures) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("requests", "match_rate", opt(f.requests.match_rate)),
        (
            "requests",
            "median_minutes_to_assignment",
            opt(f.requests.median_minutes_to_assignment),
        ),
        (
            "requests",
            "p90_minutes_to_assignment",
            opt(f.requests.p90_minutes_to_assignment),
        ),
        (
            "requests",
            "median_distance_km",
            opt(f.requests.median_distance_km),
        ),
        (
            "helpers",
            "hours_delivered",
            f.helpers.hours_delivered.to_string(),
        ),
        ("helpers", "active", f.helpers.active.to_string()),
        ("helpers", "idle", f.helpers.idle.to_string()),
        (
            "helpers",
            "new_applications",
            f.helpers.new_applications.to_string(),
        ),
        ("helpers", "approvals", f.helpers.approvals.to_string()),
        (
            "helpers",
            "vetting_expiring_within_30_days",
            f.helpers.vetting_expiring_within_30_days.to_string(),
        ),
        (
            "relationships",
            "continuity_rate",
            opt(f.relationships.continuity_rate),
        ),
        (
            "relationships",
            "average_rating",
            opt(f.relationships.average_rating),
        ),
        (
            "relationships",
            "ratings",
            f.relationships.ratings.to_string(),
        ),
        ("members", "new", f.members.new.to_string()),
        ("members", "active", f.members.active.to_string()),
    ]
}

/// One line per figure: `section,figure,category,this_week,previous_week`.
pub fn csv(r: &WeeklyReport) -> String {
    let mut out = String::from("section,figure,category,this_week,previous_week\n");
    let (f, p) = (&r.figures, &r.previous);
    let mut line = |section: &str, figure: &str, category: &str, a: &str, b: &str| {
        let _ = writeln!(out, "{section},{figure},{category},{a},{b}");
    };
    let cats: std::collections::BTreeSet<&String> = f
        .requests
        .by_category
        .keys()
        .chain(p.requests.by_category.keys())
        .collect();
    let rows = cats
        .into_iter()
        .map(|c| {
            let get = |fig: &Figures| fig.requests.by_category.get(c).copied().unwrap_or_default();
            (c.as_str(), get(f), get(p))
        })
        .chain([("all", f.requests.totals, p.requests.totals)]);
    for (category, a, b) in rows {
        for ((name, x), (_, y)) in a.named().into_iter().zip(b.named()) {
            line("requests", name, category, &x.to_string(), &y.to_string());
        }
    }
    for ((section, figure, a), (_, _, b)) in scalars(f).into_iter().zip(scalars(p)) {
        line(section, figure, "all", &a, &b);
    }
    for (c, n) in &f.unmet.by_category {
        let before = p.unmet.by_category.get(c).copied().unwrap_or(0);
        line(
            "unmet",
            "by_category",
            c,
            &n.to_string(),
            &before.to_string(),
        );
    }
    for a in &f.unmet.by_area {
        line(
            "unmet",
            "by_area",
            &format!("\"{}\"", a.area),
            &a.count.to_string(),
            "",
        );
    }
    out
}

/// Queue the report for `week` to every coordinator with an email. Scheduled sends carry a key
/// per week and coordinator, so that several processes queue it once.
pub fn queue_for_coordinators(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    week: IsoWeek,
    scheduled: bool,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<usize> {
    use crate::db::schema::users;
    use diesel::prelude::*;
    let tz = crate::domain::availability::parse_timezone(&settings.reports.timezone)
        .unwrap_or(chrono_tz::Europe::London);
    let coordinators: Vec<(String, Option<String>)> = users::table
        .filter(users::role.eq("coordinator"))
        .select((users::id, users::email))
        .load(conn)?;
    let report = build(conn, week, tz)?;
    let mut queued = 0;
    for (id, email) in coordinators {
        let Some(to) = email else { continue };
        let mut mail = email::render(&report, &to);
        if scheduled {
            mail.dedup_key = Some(format!("weekly-report:{week}:{id}"));
            if crate::db::outbox::enqueue_once(conn, &mail, now)? {
                queued += 1;
            }
        } else {
            crate::db::outbox::enqueue(conn, &mail, now)?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// Once the configured weekday and hour have passed in the configured zone, queue last week's
/// report (once: later calls that week find it queued).
pub fn queue_scheduled(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    now: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    use crate::db::schema::outbox;
    use chrono::{Duration, NaiveTime, TimeZone};
    use diesel::prelude::*;
    if !settings.reports.scheduled {
        return Ok(0);
    }
    let tz = crate::domain::availability::parse_timezone(&settings.reports.timezone)
        .unwrap_or(chrono_tz::Europe::London);
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
    let already: i64 = outbox::table
        .filter(outbox::dedup_key.like(format!("weekly-report:{week}:%")))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Ok(0);
    }
    queue_for_coordinators(conn, settings, week, true, now.naive_utc())
}
