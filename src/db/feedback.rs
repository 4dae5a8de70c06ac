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
