//! Help requests. Every change of status is one conditional UPDATE on the status it expects, so
//! that two callers racing for the same request cannot both win.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::lists::any_of;
use super::schema::help_requests as hr;
use super::DbConnection;
use crate::domain::{Category, RequestStatus};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hr)]
pub struct RequestRow {
    pub id: String,
    pub member_id: String,
    pub created_by: String,
    pub category: Category,
    pub description: String,
    pub status: RequestStatus,
    pub window_start: NaiveDateTime,
    pub window_end: NaiveDateTime,
    pub duration_minutes: i32,
    pub lat: f64,
    pub lon: f64,
    pub helper_id: Option<String>,
    pub scheduled_start: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub assigned_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
    pub minutes_spent: Option<i32>,
    pub assigned_distance_km: Option<f64>,
    /// The standing request this is an occurrence of, and its day.
    pub series_id: Option<String>,
    pub occurs_on: Option<chrono::NaiveDate>,
    /// The address the visit was asked for (the member's home then); older requests have none.
    pub address: Option<String>,
    /// The postcode district of the nearest known postcode ("SE15"), for offers and emails.
    pub area_name: Option<String>,
}

/// What a new request is made of; the rest of its row starts empty (open, nobody assigned).
pub struct NewRequestRow {
    pub member_id: String,
    pub created_by: String,
    pub category: Category,
    pub description: String,
    pub window_start: NaiveDateTime,
    pub window_end: NaiveDateTime,
    pub duration_minutes: i32,
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub area_name: Option<String>,
    pub created_at: NaiveDateTime,
}

impl From<NewRequestRow> for RequestRow {
    fn from(n: NewRequestRow) -> RequestRow {
        RequestRow {
            id: super::new_id(),
            member_id: n.member_id,
            created_by: n.created_by,
            category: n.category,
            description: n.description,
            status: RequestStatus::Open,
            window_start: n.window_start,
            window_end: n.window_end,
            duration_minutes: n.duration_minutes,
            lat: n.lat,
            lon: n.lon,
            helper_id: None,
            scheduled_start: None,
            created_at: n.created_at,
            assigned_at: None,
            completed_at: None,
            cancelled_at: None,
            cancel_reason: None,
            minutes_spent: None,
            assigned_distance_km: None,
            series_id: None,
            occurs_on: None,
            address: n.address,
            area_name: n.area_name,
        }
    }
}

impl RequestRow {
    pub fn status(&self) -> RequestStatus {
        self.status
    }

    pub fn location(&self) -> crate::domain::Location {
        crate::domain::Location {
            lat: self.lat,
            lon: self.lon,
        }
    }
}

pub fn insert(conn: &mut DbConnection, row: &RequestRow) -> QueryResult<()> {
    diesel::insert_into(hr::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<RequestRow>> {
    on_backend!(conn, |c| hr::table
        .find(id)
        .select(RequestRow::as_select())
        .first(c)
        .optional())
}

/// Who may see which requests in a list.
pub enum Scope<'a> {
    Member(&'a str),
    Helper(&'a str),
    All,
}

/// The order of a list of requests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The latest asked first.
    #[default]
    Newest,
    /// The soonest window first: a queue of work.
    Soonest,
    /// The latest window first: a member's requests, the day of help furthest ahead first.
    Latest,
}

impl Order {
    /// What a page's cursor is made of: `created_at` when newest first, else `window_start`.
    pub fn key(self, r: &RequestRow) -> (NaiveDateTime, String) {
        match self {
            Order::Newest => (r.created_at, r.id.clone()),
            Order::Soonest | Order::Latest => (r.window_start, r.id.clone()),
        }
    }
}

pub struct ListQuery<'a> {
    pub scope: Scope<'a>,
    pub status: Option<RequestStatus>,
    pub order: Order,
    /// Keyset cursor: [`Order::key`] of the last item already seen.
    pub after: Option<(NaiveDateTime, String)>,
    pub limit: i64,
}

/// A helper's assigned visits whose window overlaps `from..until`, soonest first.
pub fn assigned_to_between(
    conn: &mut DbConnection,
    helper_id: &str,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<RequestRow>> {
    hr::table
        .filter(hr::helper_id.eq(helper_id))
        .filter(hr::status.eq(RequestStatus::Assigned.as_str()))
        .filter(hr::window_start.lt(until))
        .filter(hr::window_end.gt(from))
        .order((hr::window_start, hr::id))
        .select(RequestRow::as_select())
        .load(conn)
}

/// In `q.order`, `limit` of them after the cursor.
pub fn list(conn: &mut DbConnection, q: &ListQuery<'_>) -> QueryResult<Vec<RequestRow>> {
    let mut query = hr::table.select(RequestRow::as_select()).into_boxed();
    query = match q.scope {
        Scope::Member(id) => query.filter(hr::member_id.eq(id.to_string())),
        Scope::Helper(id) => query.filter(hr::helper_id.eq(id.to_string())),
        Scope::All => query,
    };
    if let Some(s) = q.status {
        query = query.filter(hr::status.eq(s.as_str()));
    }
    if let Some((at, id)) = &q.after {
        query = match q.order {
            Order::Newest => query.filter(
                hr::created_at
                    .lt(*at)
                    .or(hr::created_at.eq(*at).and(hr::id.lt(id.clone()))),
            ),
            Order::Soonest => query.filter(
                hr::window_start
                    .gt(*at)
                    .or(hr::window_start.eq(*at).and(hr::id.gt(id.clone()))),
            ),
            Order::Latest => query.filter(
                hr::window_start
                    .lt(*at)
                    .or(hr::window_start.eq(*at).and(hr::id.lt(id.clone()))),
            ),
        };
    }
    let query = match q.order {
        Order::Newest => query.order((hr::created_at.desc(), hr::id.desc())),
        Order::Soonest => query.order((hr::window_start.asc(), hr::id.asc())),
        Order::Latest => query.order((hr::window_start.desc(), hr::id.desc())),
    };
    query.limit(q.limit).load(conn)
}

fn sources(to: RequestStatus) -> Vec<&'static str> {
    RequestStatus::sources_of(to)
        .iter()
        .map(|s| s.as_str())
        .collect()
}

/// Cancel, if the request is still in a state that allows it.
pub fn cancel(
    conn: &mut DbConnection,
    id: &str,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        hr::table
            .find(id)
            .filter(any_of(hr::status, sources(RequestStatus::Cancelled))),
    )
    .set((
        hr::status.eq(RequestStatus::Cancelled.as_str()),
        hr::cancelled_at.eq(at),
        hr::cancel_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Mark done, if it is assigned.
pub fn complete(
    conn: &mut DbConnection,
    id: &str,
    minutes_spent: i32,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        hr::table
            .find(id)
            .filter(hr::status.eq(RequestStatus::Assigned.as_str())),
    )
    .set((
        hr::status.eq(RequestStatus::Completed.as_str()),
        hr::completed_at.eq(at),
        hr::minutes_spent.eq(minutes_spent),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Give the request to a helper, if nobody has it yet. Exactly one caller can win.
pub fn assign(
    conn: &mut DbConnection,
    id: &str,
    helper_id: &str,
    start: NaiveDateTime,
    distance_km: f64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        hr::table
            .find(id)
            .filter(any_of(hr::status, sources(RequestStatus::Assigned)))
            .filter(hr::helper_id.is_null()),
    )
    .set((
        hr::status.eq(RequestStatus::Assigned.as_str()),
        hr::helper_id.eq(helper_id),
        hr::scheduled_start.eq(start),
        hr::assigned_distance_km.eq(distance_km),
        hr::assigned_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Take an assigned request back from its helper (they withdrew, did not come or never
/// confirmed): it is open again, for the next offers. False if it was not assigned to them.
pub fn unassign(conn: &mut DbConnection, id: &str, helper_id: &str) -> QueryResult<bool> {
    let n = diesel::update(
        hr::table
            .find(id)
            .filter(hr::status.eq(RequestStatus::Assigned.as_str()))
            .filter(hr::helper_id.eq(helper_id)),
    )
    .set((
        hr::status.eq(RequestStatus::Open.as_str()),
        hr::helper_id.eq(None::<String>),
        hr::scheduled_start.eq(None::<NaiveDateTime>),
        hr::assigned_at.eq(None::<NaiveDateTime>),
        hr::assigned_distance_km.eq(None::<f64>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// An assigned request whose helper did not come and whose window leaves no time: expired.
pub fn expire_assigned(conn: &mut DbConnection, id: &str, helper_id: &str) -> QueryResult<bool> {
    let n = diesel::update(
        hr::table
            .find(id)
            .filter(hr::status.eq(RequestStatus::Assigned.as_str()))
            .filter(hr::helper_id.eq(helper_id)),
    )
    .set(hr::status.eq(RequestStatus::Expired.as_str()))
    .execute(conn)?;
    Ok(n == 1)
}

/// Move between `open` and `offered` (or any step the lifecycle allows) if still in `from`.
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    from: RequestStatus,
    to: RequestStatus,
) -> QueryResult<bool> {
    let n = diesel::update(hr::table.find(id).filter(hr::status.eq(from.as_str())))
        .set(hr::status.eq(to.as_str()))
        .execute(conn)?;
    Ok(n == 1)
}

/// Open or offered requests whose window no longer leaves time for the job.
pub fn past_due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<RequestRow>> {
    let candidates: Vec<RequestRow> = hr::table
        .filter(any_of(hr::status, sources(RequestStatus::Expired)))
        .filter(hr::window_end.le(now + chrono::Duration::hours(8)))
        .select(RequestRow::as_select())
        .load(conn)?;
    Ok(candidates
        .into_iter()
        .filter(|r| r.window_end - chrono::Duration::minutes(r.duration_minutes.into()) < now)
        .collect())
}

/// All open requests whose window still leaves time for the job, oldest first.
pub fn open_and_live(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<RequestRow>> {
    let rows: Vec<RequestRow> = hr::table
        .filter(hr::status.eq(RequestStatus::Open.as_str()))
        .filter(hr::window_end.gt(now))
        .order(hr::created_at.asc())
        .select(RequestRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.window_end - chrono::Duration::minutes(r.duration_minutes.into()) >= now)
        .collect())
}

/// A member's requests not finished: open, offered or assigned.
pub fn unfinished_of_member(
    conn: &mut DbConnection,
    member_id: &str,
) -> QueryResult<Vec<RequestRow>> {
    hr::table
        .filter(hr::member_id.eq(member_id))
        .filter(any_of(
            hr::status,
            [
                RequestStatus::Open.as_str(),
                RequestStatus::Offered.as_str(),
                RequestStatus::Assigned.as_str(),
            ],
        ))
        .select(RequestRow::as_select())
        .load(conn)
}

/// Whether `helper_id` has done a visit for `member_id` (a request of theirs completed by them).
pub fn has_visited(conn: &mut DbConnection, member_id: &str, helper_id: &str) -> QueryResult<bool> {
    let n: i64 = hr::table
        .filter(hr::member_id.eq(member_id))
        .filter(hr::helper_id.eq(helper_id))
        .filter(hr::status.eq(RequestStatus::Completed.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn get_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<RequestRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    hr::table
        .filter(any_of(hr::id, ids))
        .select(RequestRow::as_select())
        .load(conn)
}

/// Take the row lock on a request for the rest of the transaction (PostgreSQL; SQLite's write
/// transaction already holds the database lock), so that work on one request is serialised
/// across processes.
pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(hr::table.find(id))
        .set(hr::status.eq(hr::status))
        .execute(conn)
        .map(|_| ())
}

/// How many requests are in each status.
pub fn count_by_status(conn: &mut DbConnection) -> QueryResult<Vec<(RequestStatus, i64)>> {
    hr::table
        .group_by(hr::status)
        .select((hr::status, diesel::dsl::count_star()))
        .load(conn)
}
