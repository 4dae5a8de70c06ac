//! A visit's doorstep words: kept at each assignment, read by the request.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::doorstep_words;
use super::DbConnection;

/// New words for the request's visit by this helper (replacing any before).
pub fn set(
    conn: &mut DbConnection,
    request_id: &str,
    helper_id: &str,
    words: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(doorstep_words::table.find(request_id)).execute(conn)?;
    diesel::insert_into(doorstep_words::table)
        .values((
            doorstep_words::request_id.eq(request_id),
            doorstep_words::helper_id.eq(helper_id),
            doorstep_words::words.eq(words),
            doorstep_words::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The words of the request's visit, when they are this helper's.
pub fn of(
    conn: &mut DbConnection,
    request_id: &str,
    helper_id: &str,
) -> QueryResult<Option<String>> {
    doorstep_words::table
        .find(request_id)
        .filter(doorstep_words::helper_id.eq(helper_id))
        .select(doorstep_words::words)
        .first(conn)
        .optional()
}
