//! A person's record as coordinators keep it: notes and calls logged, newest first.

use chrono::NaiveDateTime;
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
