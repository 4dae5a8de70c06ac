//! Helpers' photos, kept as the service re-encoded them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{help_requests as hr, helper_photos};
use super::DbConnection;
use crate::domain::RequestStatus;

/// Keep this helper's photo (replacing one before).
pub fn put(
    conn: &mut DbConnection,
    helper_id: &str,
    jpeg: &[u8],
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(helper_photos::table.find(helper_id)).execute(conn)?;
    diesel::insert_into(helper_photos::table)
        .values((
            helper_photos::helper_id.eq(helper_id),
            helper_photos::jpeg.eq(jpeg),
            helper_photos::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConnection, helper_id: &str) -> QueryResult<Option<Vec<u8>>> {
    helper_photos::table
        .find(helper_id)
        .select(helper_photos::jpeg)
        .first(conn)
        .optional()
}

pub fn exists(conn: &mut DbConnection, helper_id: &str) -> QueryResult<bool> {
    let n: i64 = helper_photos::table
        .find(helper_id)
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether this member has a visit from this helper under way or starting before `until`.
pub fn member_expects(
    conn: &mut DbConnection,
    member_id: &str,
    helper_id: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let n: i64 = hr::table
        .filter(hr::member_id.eq(member_id))
        .filter(hr::helper_id.eq(helper_id))
        .filter(hr::status.eq(RequestStatus::Assigned))
        .filter(hr::window_end.gt(now))
        .filter(hr::window_start.lt(until))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
