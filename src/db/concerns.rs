//! Safeguarding concerns and their history. Both tables only ever take inserts (triggers refuse
//! UPDATE and DELETE on both backends); a concern's status is its latest history entry's, and a
//! history entry's `seq` is unique per concern, so two coordinators changing one concern at once
//! cannot both win.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{concern_history as history, concerns};
use super::DbConnection;
use crate::domain::{ConcernCategory, ConcernStatus, Urgency};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = concerns)]
pub struct ConcernRow {
    pub id: String,
    pub raised_by: String,
    pub about_id: Option<String>,
    pub request_id: Option<String>,
    pub category: ConcernCategory,
    pub description: String,
    pub urgency: Urgency,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = history)]
pub struct HistoryRow {
    pub id: String,
    pub concern_id: String,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub by_id: String,
    pub status: ConcernStatus,
    pub note: String,
    pub referred_to: Option<String>,
    pub reference: Option<String>,
    pub closure_reason: Option<String>,
    /// The coordinator who owns the concern from this entry on.
    pub owner_id: Option<String>,
    /// When it is next to be looked at; none once closed.
    pub review_on: Option<NaiveDate>,
}

pub fn insert(conn: &mut DbConnection, row: &ConcernRow) -> QueryResult<()> {
    diesel::insert_into(concerns::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Add a history entry; false if another entry took its `seq` first.
pub fn append(conn: &mut DbConnection, entry: &HistoryRow) -> QueryResult<bool> {
    Ok(insert_or_ignore!(conn, history::table, entry)? == 1)
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ConcernRow>> {
    concerns::table
        .find(id)
        .select(ConcernRow::as_select())
        .first(conn)
        .optional()
}

/// These concerns, in no order.
pub fn get_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ConcernRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    concerns::table
        .filter(concerns::id.eq_any(ids))
        .select(ConcernRow::as_select())
        .load(conn)
}

/// The history of these concerns, each oldest first.
pub fn history_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<HistoryRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    history::table
        .filter(history::concern_id.eq_any(ids))
        .order((history::concern_id, history::seq))
        .select(HistoryRow::as_select())
        .load(conn)
}

/// Which concerns to list, newest first.
pub struct ConcernQuery<'a> {
    /// Only those this person raised.
    pub raised_by: Option<&'a str>,
    /// Only those whose latest history entry has this status.
    pub status: Option<ConcernStatus>,
    pub urgency: Option<Urgency>,
    pub after: Option<(NaiveDateTime, String)>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConnection, query: ConcernQuery<'_>) -> QueryResult<Vec<ConcernRow>> {
    let ConcernQuery {
        raised_by,
        status,
        urgency,
        after,
        limit,
    } = query;
    let mut q = concerns::table
        .select(ConcernRow::as_select())
        .into_boxed::<super::MultiBackend>();
    if let Some(who) = raised_by {
        q = q.filter(concerns::raised_by.eq(who.to_string()));
    }
    if let Some(urgency) = urgency {
        q = q.filter(concerns::urgency.eq(urgency));
    }
    if let Some(status) = status {
        q = q.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "(SELECT h.status FROM concern_history h WHERE h.concern_id = concerns.id \
                 ORDER BY h.seq DESC LIMIT 1) = ",
            )
            .bind::<diesel::sql_types::Text, _>(status.as_str()),
        );
    }
    if let Some((at, id)) = after {
        q = q.filter(
            concerns::created_at
                .lt(at)
                .or(concerns::created_at.eq(at).and(concerns::id.lt(id))),
        );
    }
    q.order((concerns::created_at.desc(), concerns::id.desc()))
        .limit(limit)
        .load(conn)
}

/// The latest history entry of each concern not closed whose review date has come
/// (`review_on <= today`) or that has none, soonest due first; at most `limit`.
pub fn reviews_due(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<HistoryRow>> {
    let later = diesel::alias!(history as later);
    history::table
        .filter(history::status.ne(ConcernStatus::Closed))
        .filter(
            history::review_on
                .le(today)
                .or(history::review_on.is_null()),
        )
        .filter(diesel::dsl::not(diesel::dsl::exists(
            later
                .filter(later.field(history::concern_id).eq(history::concern_id))
                .filter(later.field(history::seq).gt(history::seq)),
        )))
        .order((history::review_on, history::at, history::concern_id))
        .select(HistoryRow::as_select())
        .limit(limit)
        .load(conn)
}
