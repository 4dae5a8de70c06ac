//! What needs a coordinator today, read from where each thing lives: visits whose window passed
//! with no outcome, emails that failed for someone with a visit soon, members no one can reach.
//! (Concerns due for review and call-backs are read by `concerns` and `person_notes`.)

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::requests::RequestRow;
use super::schema::{doorstep_words, help_requests, members, outbox, push_subscriptions, users};
use super::DbConnection;
use crate::domain::{MessageKind, OutboxStatus, RequestStatus, Role};

/// Assigned visits whose window ended before `now` and that no one completed, marked a no-show
/// or cancelled; the longest waiting first, at most `limit`.
pub fn visits_without_outcome(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    help_requests::table
        .filter(help_requests::status.eq(RequestStatus::Assigned))
        .filter(help_requests::window_end.lt(now))
        .order((help_requests::window_end, help_requests::id))
        .select(RequestRow::as_select())
        .limit(limit)
        .load(conn)
}

/// Visits with a helper whose window starts from `from` to before `until`, for open members with
/// no email (the service can tell them who is coming only by text, or a coordinator by phone):
/// each with the words at the door and when they were drawn (as the helper was assigned);
/// soonest first, at most `limit`.
pub fn visits_to_tell(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(RequestRow, String, NaiveDateTime)>> {
    help_requests::table
        .inner_join(
            doorstep_words::table.on(doorstep_words::request_id
                .eq(help_requests::id)
                .and(help_requests::helper_id.eq(doorstep_words::helper_id.nullable()))),
        )
        .inner_join(users::table.on(users::id.eq(help_requests::member_id)))
        .filter(help_requests::status.eq(RequestStatus::Assigned))
        .filter(help_requests::window_start.ge(from))
        .filter(help_requests::window_start.lt(until))
        .filter(users::deactivated_at.is_null())
        .filter(users::email.is_null().or(users::email.eq("")))
        .order((help_requests::window_start, help_requests::id))
        .select((
            RequestRow::as_select(),
            doorstep_words::words,
            doorstep_words::created_at,
        ))
        .limit(limit)
        .load(conn)
}

/// An email that could not be delivered, and whose it was.
#[derive(Debug, Clone, Queryable)]
pub struct FailedEmail {
    pub outbox_id: String,
    pub subject: String,
    pub created_at: NaiveDateTime,
    pub person_id: String,
}

/// Emails and texts (not pushes) that failed since `failed_since` to someone who is the member or the
/// helper of a visit not yet over that starts before `visit_before`; oldest first, at most
/// `limit`.
pub fn failed_before_visits(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    visit_before: NaiveDateTime,
    failed_since: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<FailedEmail>> {
    let live = [
        RequestStatus::Open,
        RequestStatus::Offered,
        RequestStatus::Assigned,
    ];
    let visit_soon = help_requests::table
        .filter(
            help_requests::member_id
                .eq(users::id)
                .or(help_requests::helper_id.eq(users::id.nullable())),
        )
        .filter(help_requests::status.eq_any(live))
        .filter(help_requests::window_end.gt(now))
        .filter(help_requests::window_start.lt(visit_before));
    outbox::table
        .inner_join(
            users::table.on(users::email
                .eq(outbox::recipient.nullable())
                .or(users::phone_e164.eq(outbox::recipient.nullable()))),
        )
        .filter(outbox::status.eq(OutboxStatus::Failed))
        .filter(outbox::kind.ne(MessageKind::Push))
        .filter(outbox::created_at.ge(failed_since))
        .filter(diesel::dsl::exists(visit_soon))
        .order((outbox::created_at, outbox::id))
        .select((outbox::id, outbox::subject, outbox::created_at, users::id))
        .limit(limit)
        .load(conn)
}

/// Members whose account is open and who have no email and no phone with the app:
/// `(id, joined at, phone)`, longest known first. Whether their phone takes texts is the
/// domain's to say.
pub fn members_without_email_or_app(
    conn: &mut DbConnection,
) -> QueryResult<Vec<(String, NaiveDateTime, Option<String>)>> {
    let has_app = push_subscriptions::table.filter(push_subscriptions::user_id.eq(users::id));
    users::table
        .inner_join(members::table.on(members::user_id.eq(users::id)))
        .filter(users::role.eq(Role::Member))
        .filter(users::deactivated_at.is_null())
        .filter(users::email.is_null().or(users::email.eq("")))
        .filter(diesel::dsl::not(diesel::dsl::exists(has_app)))
        .order((users::created_at, users::id))
        .select((users::id, users::created_at, users::phone))
        .load(conn)
}
