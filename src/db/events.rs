//! Social events and their sign-ups. Places are counted with the event's row locked (PostgreSQL;
//! SQLite's writer is already one at a time), and `seq` is unique per event, so two sign-ups at
//! once can never both take the last place or the same place in the queue.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::schema::{event_signups as signups, events, users};
use super::DbConnection;
use crate::domain::SignupStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = signups, treat_none_as_null = true)]
pub struct SignupRow {
    pub event_id: String,
    pub member_id: String,
    pub status: SignupStatus,
    pub seq: i32,
    pub needs_lift: bool,
    pub lift_request_id: Option<String>,
    pub signed_up_by: String,
    pub signed_up_at: NaiveDateTime,
    pub changed_at: NaiveDateTime,
    pub attended_at: Option<NaiveDateTime>,
}

/// A sign-up with the member's name and how to reach them.
#[derive(Debug, Clone, Queryable)]
pub struct SignupPerson {
    pub signup: SignupRow,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

pub fn insert(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(events::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EventRow>> {
    events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// Read the event and hold its row until the transaction ends (PostgreSQL), so that places are
/// counted one sign-up at a time.
pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EventRow>> {
    if conn.is_postgres() {
        diesel::sql_query("SELECT id FROM events WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(id)
            .execute(conn)?;
    }
    get(conn, id)
}

/// Events starting in `[from, to)`, soonest first, after the cursor `(starts_at, id)`.
pub fn list(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: Option<NaiveDateTime>,
    member: Option<&str>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let mut q = events::table
        .filter(events::starts_at.ge(from))
        .select(EventRow::as_select())
        .into_boxed::<super::MultiBackend>();
    if let Some(member) = member {
        q = q.filter(diesel::dsl::exists(
            signups::table
                .filter(signups::event_id.eq(events::id))
                .filter(signups::member_id.eq(member.to_string()))
                .filter(signups::status.ne(SignupStatus::Left)),
        ));
    }
    if let Some(to) = to {
        q = q.filter(events::starts_at.lt(to));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            events::starts_at
                .gt(at)
                .or(events::starts_at.eq(at).and(events::id.gt(id))),
        );
    }
    q.order((events::starts_at.asc(), events::id.asc()))
        .limit(limit)
        .load(conn)
}

/// How many are going and waiting for each of these events: `(event, status, count)`.
pub fn counts(
    conn: &mut DbConnection,
    event_ids: &[String],
) -> QueryResult<Vec<(String, SignupStatus, i64)>> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    signups::table
        .filter(signups::event_id.eq_any(event_ids))
        .filter(signups::status.ne(SignupStatus::Left))
        .group_by((signups::event_id, signups::status))
        .select((signups::event_id, signups::status, count_star()))
        .load(conn)
}

/// How many are going to the event.
pub fn going_count(conn: &mut DbConnection, event_id: &str) -> QueryResult<i64> {
    signups::table
        .filter(signups::event_id.eq(event_id))
        .filter(signups::status.eq(SignupStatus::Going))
        .count()
        .get_result(conn)
}

/// How many wait for the event ahead of sign-up `seq`.
pub fn waiting_before(conn: &mut DbConnection, event_id: &str, seq: i32) -> QueryResult<i64> {
    signups::table
        .filter(signups::event_id.eq(event_id))
        .filter(signups::status.eq(SignupStatus::Waiting))
        .filter(signups::seq.lt(seq))
        .count()
        .get_result(conn)
}

/// The next place in the event's sign-up order.
pub fn next_seq(conn: &mut DbConnection, event_id: &str) -> QueryResult<i32> {
    let top: Option<i32> = signups::table
        .filter(signups::event_id.eq(event_id))
        .select(max(signups::seq))
        .first(conn)?;
    Ok(top.unwrap_or(0) + 1)
}

pub fn signup(
    conn: &mut DbConnection,
    event_id: &str,
    member_id: &str,
) -> QueryResult<Option<SignupRow>> {
    signups::table
        .find((event_id, member_id))
        .select(SignupRow::as_select())
        .first(conn)
        .optional()
}

/// Write an event's details (title, description, place, position, times, capacity).
pub fn update_details(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    diesel::update(events::table.find(&row.id))
        .set((
            events::title.eq(&row.title),
            events::description.eq(&row.description),
            events::place.eq(&row.place),
            events::lat.eq(row.lat),
            events::lon.eq(row.lon),
            events::starts_at.eq(row.starts_at),
            events::ends_at.eq(row.ends_at),
            events::capacity.eq(row.capacity),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Cancel an event not yet cancelled; false when it already was.
pub fn cancel(
    conn: &mut DbConnection,
    id: &str,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        events::table
            .find(id)
            .filter(events::cancelled_at.is_null()),
    )
    .set((
        events::cancelled_at.eq(Some(at)),
        events::cancel_reason.eq(Some(reason)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The events, not yet started at `now` nor cancelled, where a member is going or waiting.
pub fn upcoming_of_member(
    conn: &mut DbConnection,
    member_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    signups::table
        .inner_join(events::table.on(events::id.eq(signups::event_id)))
        .filter(signups::member_id.eq(member_id))
        .filter(signups::status.ne(SignupStatus::Left))
        .filter(events::starts_at.gt(now))
        .filter(events::cancelled_at.is_null())
        .select(signups::event_id)
        .load(conn)
}

/// Write a sign-up, new or over one the member had left.
pub fn save_signup(conn: &mut DbConnection, row: &SignupRow) -> QueryResult<()> {
    let updated = diesel::update(signups::table.find((&row.event_id, &row.member_id)))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(signups::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Every sign-up for the event still going or waiting, in sign-up order, with names.
pub fn people(conn: &mut DbConnection, event_id: &str) -> QueryResult<Vec<SignupPerson>> {
    people_of(conn, &[event_id.to_string()])
}

/// [`people`] for each of these events, in one statement: by event, in sign-up order.
pub fn people_of(conn: &mut DbConnection, event_ids: &[String]) -> QueryResult<Vec<SignupPerson>> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    signups::table
        .inner_join(users::table.on(users::id.eq(signups::member_id)))
        .filter(signups::event_id.eq_any(event_ids))
        .filter(signups::status.ne(SignupStatus::Left))
        .order((signups::event_id.asc(), signups::seq.asc()))
        .select((
            SignupRow::as_select(),
            users::name,
            users::phone,
            users::email,
        ))
        .load::<(SignupRow, String, Option<String>, Option<String>)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(signup, name, phone, email)| SignupPerson {
                    signup,
                    name,
                    phone,
                    email,
                })
                .collect()
        })
}

/// This member's sign-ups to any of these events (those left included).
pub fn signups_of_member(
    conn: &mut DbConnection,
    event_ids: &[String],
    member_id: &str,
) -> QueryResult<Vec<SignupRow>> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    signups::table
        .filter(signups::event_id.eq_any(event_ids))
        .filter(signups::member_id.eq(member_id))
        .select(SignupRow::as_select())
        .load(conn)
}

/// Everyone waiting for any of these events: `(event, seq)`.
pub fn waiting_of(
    conn: &mut DbConnection,
    event_ids: &[String],
) -> QueryResult<Vec<(String, i32)>> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    signups::table
        .filter(signups::event_id.eq_any(event_ids))
        .filter(signups::status.eq(SignupStatus::Waiting))
        .select((signups::event_id, signups::seq))
        .load(conn)
}

/// The first member waiting for the event, if any.
pub fn first_waiting(conn: &mut DbConnection, event_id: &str) -> QueryResult<Option<SignupRow>> {
    signups::table
        .filter(signups::event_id.eq(event_id))
        .filter(signups::status.eq(SignupStatus::Waiting))
        .order(signups::seq.asc())
        .select(SignupRow::as_select())
        .first(conn)
        .optional()
}

/// Mark these members (going to the event) as having come; returns how many rows changed.
pub fn mark_attended(
    conn: &mut DbConnection,
    event_id: &str,
    member_ids: &[String],
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        signups::table
            .filter(signups::event_id.eq(event_id))
            .filter(signups::member_id.eq_any(member_ids))
            .filter(signups::status.eq(SignupStatus::Going))
            .filter(signups::attended_at.is_null()),
    )
    .set(signups::attended_at.eq(at))
    .execute(conn)
}

/// Events not cancelled starting in `(from, to]`, for the day-before reminders.
pub fn starting_between(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<EventRow>> {
    events::table
        .filter(events::starts_at.gt(from))
        .filter(events::starts_at.le(to))
        .filter(events::cancelled_at.is_null())
        .order(events::starts_at.asc())
        .select(EventRow::as_select())
        .load(conn)
}

/// For the weekly report: events starting in `[from, to)`, places taken at them, and how many
/// came.
pub fn week_figures(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<(i64, i64, i64)> {
    let in_week = events::starts_at.ge(from).and(events::starts_at.lt(to));
    let held: i64 = events::table.filter(in_week).count().get_result(conn)?;
    let taken: i64 = signups::table
        .inner_join(events::table.on(events::id.eq(signups::event_id)))
        .filter(in_week)
        .filter(signups::status.eq(SignupStatus::Going))
        .count()
        .get_result(conn)?;
    let came: i64 = signups::table
        .inner_join(events::table.on(events::id.eq(signups::event_id)))
        .filter(in_week)
        .filter(signups::attended_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok((held, taken, came))
}
