use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::feedback;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = feedback)]
pub struct FeedbackRow {
    pub request_id: String,
    pub member_id: String,
    pub helper_id: String,
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Insert feedback; `Ok(false)` when the request already has some.
pub fn insert_once(conn: &mut DbConnection, row: &FeedbackRow) -> QueryResult<bool> {
    Ok(insert_or_ignore!(conn, feedback::table, row)? == 1)
}

/// What the member said of each of these requests they have rated: `(request_id, rating,
/// comment)`.
pub fn of_requests(
    conn: &mut DbConnection,
    request_ids: &[String],
) -> QueryResult<Vec<(String, i32, Option<String>)>> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    feedback::table
        .filter(feedback::request_id.eq_any(request_ids))
        .select((feedback::request_id, feedback::rating, feedback::comment))
        .load(conn)
}
