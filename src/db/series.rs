//! Standing requests, and their occurrences among the help requests (one per series and day: a
//! unique index, so two processes making them at once make each once).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::requests::RequestRow;
use super::schema::{help_requests as hr, series};
use super::DbConnection;
use crate::domain::{Category, RequestStatus, SeriesStatus};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = series)]
pub struct SeriesRow {
    pub id: String,
    pub member_id: String,
    pub created_by: String,
    pub category: Category,
    pub description: String,
    pub every_weeks: i32,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i32,
    /// `HH:MM`, local.
    pub window_start: String,
    pub window_end: String,
    pub timezone: String,
    pub duration_minutes: i32,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub lat: f64,
    pub lon: f64,
    pub status: SeriesStatus,
    pub helper_id: Option<String>,
    pub created_at: NaiveDateTime,
    /// Paused until this day (visits from it on are made); None when not paused, or paused with
    /// no end.
    pub paused_until: Option<NaiveDate>,
}

pub fn insert(conn: &mut DbConnection, row: &SeriesRow) -> QueryResult<()> {
    diesel::insert_into(series::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<SeriesRow>> {
    series::table
        .find(id)
        .select(SeriesRow::as_select())
        .first(conn)
        .optional()
}

/// Whose series to list.
pub enum SeriesScope<'a> {
    Member(&'a str),
    Helper(&'a str),
    All,
}

pub fn list(
    conn: &mut DbConnection,
    scope: SeriesScope<'_>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<SeriesRow>> {
    let mut q = series::table
        .select(SeriesRow::as_select())
        .into_boxed::<super::MultiBackend>();
    q = match scope {
        SeriesScope::Member(id) => q.filter(series::member_id.eq(id.to_string())),
        SeriesScope::Helper(id) => q.filter(series::helper_id.eq(id.to_string())),
        SeriesScope::All => q,
    };
    if let Some((at, id)) = after {
        q = q.filter(
            series::created_at
                .lt(at)
                .or(series::created_at.eq(at).and(series::id.lt(id))),
        );
    }
    q.order((series::created_at.desc(), series::id.desc()))
        .limit(limit)
        .load(conn)
}

/// The series whose visits are made: the active ones, and those paused until a day (their
/// visits from that day on).
pub fn active(conn: &mut DbConnection) -> QueryResult<Vec<SeriesRow>> {
    series::table
        .filter(
            series::status.eq(SeriesStatus::Active).or(series::status
                .eq(SeriesStatus::Paused)
                .and(series::paused_until.is_not_null())),
        )
        .select(SeriesRow::as_select())
        .load(conn)
}

/// Series paused until `today` or earlier are active again; their ids.
pub fn resume_due(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<String>> {
    let ids: Vec<String> = series::table
        .filter(series::status.eq(SeriesStatus::Paused))
        .filter(series::paused_until.le(today))
        .select(series::id)
        .load(conn)?;
    for id in &ids {
        diesel::update(
            series::table
                .find(id)
                .filter(series::status.eq(SeriesStatus::Paused)),
        )
        .set((
            series::status.eq(SeriesStatus::Active),
            series::paused_until.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    }
    Ok(ids)
}

/// The ids of a member's standing requests that have not ended.
pub fn running_of_member(conn: &mut DbConnection, member_id: &str) -> QueryResult<Vec<String>> {
    series::table
        .filter(series::member_id.eq(member_id))
        .filter(series::status.ne(SeriesStatus::Ended))
        .select(series::id)
        .load(conn)
}

/// A new status; `paused_until` is kept only with `Paused` (None otherwise).
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    status: SeriesStatus,
    paused_until: Option<NaiveDate>,
) -> QueryResult<usize> {
    let until = paused_until.filter(|_| status == SeriesStatus::Paused);
    diesel::update(series::table.find(id))
        .set((series::status.eq(status), series::paused_until.eq(until)))
        .execute(conn)
}

pub fn set_helper(conn: &mut DbConnection, id: &str, helper: Option<&str>) -> QueryResult<usize> {
    diesel::update(series::table.find(id))
        .set(series::helper_id.eq(helper))
        .execute(conn)
}

/// A helper who is suspended, rejected or deactivated stops being anyone's regular helper.
pub fn drop_helper(conn: &mut DbConnection, helper_id: &str) -> QueryResult<usize> {
    diesel::update(series::table.filter(series::helper_id.eq(helper_id)))
        .set(series::helper_id.eq(None::<String>))
        .execute(conn)
}

/// Add an occurrence; false if the series already has one that day.
pub fn add_occurrence(conn: &mut DbConnection, row: &RequestRow) -> QueryResult<bool> {
    Ok(insert_or_ignore!(conn, hr::table, row)? == 1)
}

/// Whether the series has an occurrence on `day` (cancelled ones one by one count: they are not
/// made again).
pub fn has_occurrence(
    conn: &mut DbConnection,
    series_id: &str,
    day: NaiveDate,
) -> QueryResult<bool> {
    let n: i64 = hr::table
        .filter(hr::series_id.eq(series_id))
        .filter(hr::occurs_on.eq(day))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The series' occurrences from `from` on that are not finished, soonest first.
pub fn upcoming(
    conn: &mut DbConnection,
    series_id: &str,
    from: NaiveDateTime,
) -> QueryResult<Vec<RequestRow>> {
    upcoming_of(conn, &[series_id.to_string()], from)
}

/// [`upcoming`] for each of these series, in one statement: soonest first.
pub fn upcoming_of(
    conn: &mut DbConnection,
    series_ids: &[String],
    from: NaiveDateTime,
) -> QueryResult<Vec<RequestRow>> {
    if series_ids.is_empty() {
        return Ok(Vec::new());
    }
    hr::table
        .filter(hr::series_id.eq_any(series_ids))
        .filter(hr::window_end.gt(from))
        .filter(hr::status.eq_any([
            RequestStatus::Open.as_str(),
            RequestStatus::Offered.as_str(),
            RequestStatus::Assigned.as_str(),
        ]))
        .order((hr::window_start.asc(), hr::id.asc()))
        .select(RequestRow::as_select())
        .load(conn)
}

/// Cancel the series' future occurrences nobody is assigned to (those before `before`, when
/// given), freeing their days (so that resuming makes them again); the ids of those cancelled.
pub fn cancel_unassigned(
    conn: &mut DbConnection,
    series_id: &str,
    before: Option<NaiveDate>,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let mut q = hr::table
        .filter(hr::series_id.eq(series_id))
        .filter(hr::window_start.gt(now))
        .into_boxed();
    if let Some(day) = before {
        q = q.filter(hr::occurs_on.lt(day));
    }
    let ids: Vec<String> = q
        .filter(hr::status.eq_any([
            RequestStatus::Open.as_str(),
            RequestStatus::Offered.as_str(),
        ]))
        .select(hr::id)
        .load(conn)?;
    for id in &ids {
        diesel::update(hr::table.find(id))
            .set((
                hr::status.eq(RequestStatus::Cancelled.as_str()),
                hr::cancelled_at.eq(now),
                hr::cancel_reason.eq(reason),
                hr::occurs_on.eq(None::<NaiveDate>),
            ))
            .execute(conn)?;
    }
    Ok(ids)
}
