//! A person's record as coordinators keep it: notes and calls logged, newest first, and the
//! call-backs still to make.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{person_notes, users};
use super::DbConnection;
use crate::domain::NoteKind;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = person_notes)]
pub struct NoteRow {
    pub id: String,
    pub person_id: String,
    pub kind: NoteKind,
    pub body: String,
    pub written_by: String,
    pub created_at: NaiveDateTime,
    /// The day to ring on, for a call-back.
    pub due_on: Option<NaiveDate>,
    pub done_at: Option<NaiveDateTime>,
    pub done_by: Option<String>,
}

pub fn insert(conn: &mut DbConnection, row: &NoteRow) -> QueryResult<()> {
    diesel::insert_into(person_notes::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A person's notes newest first, after the cursor `(created_at, id)`, with the writer's name;
/// one more than `limit` when there are more.
pub fn list(
    conn: &mut DbConnection,
    person_id: &str,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<(NoteRow, String)>> {
    let mut q = person_notes::table
        .inner_join(users::table.on(users::id.eq(person_notes::written_by)))
        .filter(person_notes::person_id.eq(person_id))
        .select((NoteRow::as_select(), users::name))
        .into_boxed::<super::MultiBackend>();
    if let Some((at, id)) = after {
        q = q.filter(
            person_notes::created_at
                .lt(at)
                .or(person_notes::created_at.eq(at).and(person_notes::id.lt(id))),
        );
    }
    q.order((person_notes::created_at.desc(), person_notes::id.desc()))
        .limit(limit + 1)
        .load(conn)
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<NoteRow>> {
    person_notes::table
        .find(id)
        .select(NoteRow::as_select())
        .first(conn)
        .optional()
}

/// Mark a call-back made; false when it was already.
pub fn mark_done(
    conn: &mut DbConnection,
    id: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        person_notes::table
            .find(id)
            .filter(person_notes::done_at.is_null()),
    )
    .set((person_notes::done_at.eq(at), person_notes::done_by.eq(by)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Whether a call with this person was logged since `since`.
pub fn called_since(
    conn: &mut DbConnection,
    person_id: &str,
    since: NaiveDateTime,
) -> QueryResult<bool> {
    person_notes::table
        .filter(person_notes::person_id.eq(person_id))
        .filter(person_notes::kind.eq(NoteKind::Call))
        .filter(person_notes::created_at.ge(since))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}

/// Call-backs not yet made whose day has come (`due_on <= today`), soonest due first, with the
/// person's name and phone; at most `limit`.
pub fn call_backs_due(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(NoteRow, String, Option<String>)>> {
    person_notes::table
        .inner_join(users::table.on(users::id.eq(person_notes::person_id)))
        .filter(person_notes::done_at.is_null())
        .filter(person_notes::due_on.le(today))
        .order((person_notes::due_on, person_notes::id))
        .select((NoteRow::as_select(), users::name, users::phone))
        .limit(limit)
        .load(conn)
}
