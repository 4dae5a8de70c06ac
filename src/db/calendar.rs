//! Calendar feeds: each person's secret address (its token's hash), and what a feed lists:
//! their visits and the events they are going to, from a month back.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::events::EventRow;
use super::requests::RequestRow;
use super::schema::{calendar_feeds, event_signups, events, help_requests as hr};
use super::DbConnection;
use crate::domain::{RequestStatus, SignupStatus};

/// This person's feed is now at the token with this hash; the one before answers no more.
pub fn replace(
    conn: &mut DbConnection,
    user_id: &str,
    token_hash: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(calendar_feeds::table.find(user_id)).execute(conn)?;
    diesel::insert_into(calendar_feeds::table)
        .values((
            calendar_feeds::user_id.eq(user_id),
            calendar_feeds::token_hash.eq(token_hash),
            calendar_feeds::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whose feed the token with this hash is.
pub fn owner(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<String>> {
    calendar_feeds::table
        .filter(calendar_feeds::token_hash.eq(token_hash))
        .select(calendar_feeds::user_id)
        .first(conn)
        .optional()
}

/// A member's requests still wanted or done, whose window starts after `since`; soonest first.
pub fn member_requests(
    conn: &mut DbConnection,
    member_id: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<RequestRow>> {
    let live = [
        RequestStatus::Open,
        RequestStatus::Offered,
        RequestStatus::Assigned,
        RequestStatus::Completed,
    ];
    hr::table
        .filter(hr::member_id.eq(member_id))
        .filter(hr::status.eq_any(live))
        .filter(hr::window_start.ge(since))
        .order(hr::window_start)
        .limit(500)
        .select(RequestRow::as_select())
        .load(conn)
}

/// A helper's visits, assigned or done, whose window starts after `since`; soonest first.
pub fn helper_visits(
    conn: &mut DbConnection,
    helper_id: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<RequestRow>> {
    hr::table
        .filter(hr::helper_id.eq(helper_id))
        .filter(hr::status.eq_any([RequestStatus::Assigned, RequestStatus::Completed]))
        .filter(hr::window_start.ge(since))
        .order(hr::window_start)
        .limit(500)
        .select(RequestRow::as_select())
        .load(conn)
}

/// The events a member is going to (not cancelled) starting after `since`; soonest first.
pub fn events_going(
    conn: &mut DbConnection,
    member_id: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<EventRow>> {
    events::table
        .inner_join(event_signups::table.on(event_signups::event_id.eq(events::id)))
        .filter(event_signups::member_id.eq(member_id))
        .filter(event_signups::status.eq(SignupStatus::Going))
        .filter(events::cancelled_at.is_null())
        .filter(events::starts_at.ge(since))
        .order(events::starts_at)
        .limit(200)
        .select(EventRow::as_select())
        .load(conn)
}
