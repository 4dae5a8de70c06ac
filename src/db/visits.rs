//! Visits: what happens around one helper's assigned job, kept per (request, helper). A row is
//! made the first time something happens (asked to confirm, confirmed, checked in, withdrawn …);
//! every step is a conditional UPDATE, so two processes sweeping at once do each step once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::requests::RequestRow;
use super::schema::{help_requests as hr, visits};
use super::DbConnection;
use crate::domain::{RequestStatus, VisitEnd};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = visits)]
pub struct VisitRow {
    pub request_id: String,
    pub helper_id: String,
    pub confirm_asked_at: Option<NaiveDateTime>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub alerted_at: Option<NaiveDateTime>,
    pub checked_in_at: Option<NaiveDateTime>,
    pub checked_out_at: Option<NaiveDateTime>,
    pub ended: Option<VisitEnd>,
    pub ended_at: Option<NaiveDateTime>,
    pub note: Option<String>,
    /// When the member was reminded the day before.
    pub member_reminded_at: Option<NaiveDateTime>,
    /// When a helper running late now expects to arrive, and what they said.
    pub eta: Option<NaiveDateTime>,
    pub late_note: Option<String>,
    /// When coordinators were told the visit had started with no check-in.
    pub no_check_in_alerted_at: Option<NaiveDateTime>,
}

/// Make the visit's row if it has none yet.
pub fn ensure(conn: &mut DbConnection, request_id: &str, helper_id: &str) -> QueryResult<()> {
    let row = VisitRow {
        request_id: request_id.to_string(),
        helper_id: helper_id.to_string(),
        confirm_asked_at: None,
        confirmed_at: None,
        alerted_at: None,
        checked_in_at: None,
        checked_out_at: None,
        ended: None,
        ended_at: None,
        note: None,
        member_reminded_at: None,
        eta: None,
        late_note: None,
        no_check_in_alerted_at: None,
    };
    insert_or_ignore!(conn, visits::table, &row).map(|_| ())
}

pub fn get(
    conn: &mut DbConnection,
    request_id: &str,
    helper_id: &str,
) -> QueryResult<Option<VisitRow>> {
    on_backend!(conn, |c| visits::table
        .find((request_id, helper_id))
        .select(VisitRow::as_select())
        .first(c)
        .optional())
}

/// The visits of these (request, helper) pairs that have a row.
pub fn of_pairs(conn: &mut DbConnection, pairs: &[(String, String)]) -> QueryResult<Vec<VisitRow>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let requests: Vec<&String> = pairs.iter().map(|(r, _)| r).collect();
    let rows: Vec<VisitRow> = visits::table
        .filter(visits::request_id.eq_any(requests))
        .select(VisitRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|v| {
            pairs
                .iter()
                .any(|(r, h)| *r == v.request_id && *h == v.helper_id)
        })
        .collect())
}

/// Which step to take on a visit, once.
pub enum Step<'a> {
    AskToConfirm,
    RemindMember,
    Confirm,
    AlertCoordinators,
    CheckIn(NaiveDateTime),
    CheckOut(NaiveDateTime),
    End(VisitEnd, Option<&'a str>),
    /// Running late: expected at this time (said again, it replaces what was said).
    RunningLate(NaiveDateTime, Option<&'a str>),
    /// Coordinators told that the visit started with no check-in.
    AlertNoCheckIn,
}

/// Take `step` if it has not been taken (and the visit has not ended); true if this call took it.
pub fn step(
    conn: &mut DbConnection,
    request_id: &str,
    helper_id: &str,
    step: Step<'_>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    ensure(conn, request_id, helper_id)?;
    let this = visits::table
        .find((request_id, helper_id))
        .filter(visits::ended.is_null());
    let n = match step {
        Step::AskToConfirm => diesel::update(this.filter(visits::confirm_asked_at.is_null()))
            .set(visits::confirm_asked_at.eq(at))
            .execute(conn)?,
        Step::RemindMember => diesel::update(this.filter(visits::member_reminded_at.is_null()))
            .set(visits::member_reminded_at.eq(at))
            .execute(conn)?,
        Step::Confirm => diesel::update(this.filter(visits::confirmed_at.is_null()))
            .set(visits::confirmed_at.eq(at))
            .execute(conn)?,
        Step::AlertCoordinators => diesel::update(this.filter(visits::alerted_at.is_null()))
            .set(visits::alerted_at.eq(at))
            .execute(conn)?,
        Step::CheckIn(when) => diesel::update(this.filter(visits::checked_in_at.is_null()))
            .set(visits::checked_in_at.eq(when))
            .execute(conn)?,
        Step::CheckOut(when) => diesel::update(
            this.filter(visits::checked_in_at.is_not_null())
                .filter(visits::checked_out_at.is_null()),
        )
        .set(visits::checked_out_at.eq(when))
        .execute(conn)?,
        Step::RunningLate(eta, note) => {
            diesel::update(this.filter(visits::checked_in_at.is_null()))
                .set((visits::eta.eq(eta), visits::late_note.eq(note)))
                .execute(conn)?
        }
        Step::AlertNoCheckIn => diesel::update(
            this.filter(visits::no_check_in_alerted_at.is_null())
                .filter(visits::checked_in_at.is_null()),
        )
        .set(visits::no_check_in_alerted_at.eq(at))
        .execute(conn)?,
        Step::End(how, note) => diesel::update(this)
            .set((
                visits::ended.eq(how),
                visits::ended_at.eq(at),
                visits::note.eq(note),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Helpers whose visit for this request stopped (withdrew, did not come, never confirmed): they
/// are not offered it again.
pub fn ended_helpers(conn: &mut DbConnection, request_id: &str) -> QueryResult<Vec<String>> {
    Ok(ended_helpers_each(conn, &[request_id.to_string()])?
        .into_iter()
        .map(|(_, h)| h)
        .collect())
}

/// [`ended_helpers`] for each of these requests: `(request, helper)`.
pub fn ended_helpers_each(
    conn: &mut DbConnection,
    request_ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    visits::table
        .filter(visits::request_id.eq_any(request_ids))
        .filter(visits::ended.is_not_null())
        .select((visits::request_id, visits::helper_id))
        .load(conn)
}

/// Assigned requests starting by `until` (and not yet started at `now`), with their visit if it
/// has a row: what the sweep looks at.
pub fn assigned_starting(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<(RequestRow, Option<VisitRow>)>> {
    let rows: Vec<RequestRow> = hr::table
        .filter(hr::status.eq(RequestStatus::Assigned.as_str()))
        .filter(hr::scheduled_start.gt(now))
        .filter(hr::scheduled_start.le(until))
        .select(RequestRow::as_select())
        .load(conn)?;
    with_visits(conn, rows)
}

/// Each assigned request with its helper's visit, if it has a row (one query for them all).
fn with_visits(
    conn: &mut DbConnection,
    rows: Vec<RequestRow>,
) -> QueryResult<Vec<(RequestRow, Option<VisitRow>)>> {
    let pairs: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| r.helper_id.clone().map(|h| (r.id.clone(), h)))
        .collect();
    let mut found = of_pairs(conn, &pairs)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let visit = found
                .iter()
                .position(|v| Some(&v.helper_id) == r.helper_id.as_ref() && v.request_id == r.id)
                .map(|i| found.swap_remove(i));
            (r, visit)
        })
        .collect())
}

/// Assigned requests whose planned start was between `from` and `to`, whose window has not
/// ended at `now`, with their visit if it has a row: visits under way, for the no-check-in watch.
pub fn assigned_started(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Vec<(RequestRow, Option<VisitRow>)>> {
    let rows: Vec<RequestRow> = hr::table
        .filter(hr::status.eq(RequestStatus::Assigned.as_str()))
        .filter(hr::scheduled_start.ge(from))
        .filter(hr::scheduled_start.le(to))
        .filter(hr::window_end.gt(now))
        .select(RequestRow::as_select())
        .load(conn)?;
    with_visits(conn, rows)
}
