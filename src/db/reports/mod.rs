//! The weekly report's figures, aggregated in SQL: counts and sums by index range scans, medians and
//! percentiles by `ORDER BY … LIMIT 1 OFFSET k`; no rows are loaded to be counted in memory. One
//! module per part of the report; the figures' types are the report's (`crate::reports::figures`).

mod care;
mod people;
mod requests;
mod sql;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;

use super::DbConnection;
use crate::reports::figures::{Events, Figures};
use crate::reports::{IsoWeek, WeeklyReport};

/// The report for `week` in `tz`, with the week before for the trend; "under one token" is under
/// `minutes_per_token` minutes.
pub fn weekly(
    conn: &mut DbConnection,
    week: IsoWeek,
    tz: Tz,
    minutes_per_token: i32,
) -> QueryResult<WeeklyReport> {
    let (start, end) = week.bounds(tz);
    let (ps, pe) = week.previous().bounds(tz);
    Ok(WeeklyReport {
        week: week.to_string(),
        timezone: tz.name().to_string(),
        start,
        end,
        figures: compute(conn, start.naive_utc(), end.naive_utc(), minutes_per_token)?,
        previous: compute(conn, ps.naive_utc(), pe.naive_utc(), minutes_per_token)?,
    })
}

/// Every figure for `[s, e)`.
pub fn compute(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
    minutes_per_token: i32,
) -> QueryResult<Figures> {
    let requests = requests::requests(conn, s, e)?;
    let unmet = requests::unmet(conn, s, e, &requests.by_category)?;
    let completed = requests.totals.completed;
    let (held, places_taken, attended) = super::events::week_figures(conn, s, e)?;
    Ok(Figures {
        requests,
        helpers: people::helpers(conn, s, e)?,
        relationships: people::relationships(conn, s, e, completed)?,
        unmet,
        members: people::members(conn, s, e)?,
        visits: care::visits(conn, s, e)?,
        safeguarding: care::safeguarding(conn, s, e)?,
        membership: care::membership(conn, s, e, minutes_per_token)?,
        events: Events {
            held,
            places_taken,
            attended,
        },
    })
}
