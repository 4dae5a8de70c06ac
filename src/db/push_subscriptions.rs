//! Web Push subscriptions: a person's phones and browsers, by the push service's endpoint.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{push_subscriptions, users};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = push_subscriptions)]
pub struct SubscriptionRow {
    pub id: String,
    pub user_id: String,
    pub endpoint: String,
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// The browser's 16-byte authentication secret, base64url.
    pub auth: String,
    pub created_at: NaiveDateTime,
}

/// Keep a subscription; one already kept for the endpoint is given to this person with these keys
/// (a browser that subscribes again). True when it is new.
pub fn save(conn: &mut DbConnection, row: &SubscriptionRow) -> QueryResult<bool> {
    let updated = diesel::update(
        push_subscriptions::table.filter(push_subscriptions::endpoint.eq(&row.endpoint)),
    )
    .set((
        push_subscriptions::user_id.eq(&row.user_id),
        push_subscriptions::p256dh.eq(&row.p256dh),
        push_subscriptions::auth.eq(&row.auth),
        push_subscriptions::created_at.eq(row.created_at),
    ))
    .execute(conn)?;
    if updated > 0 {
        return Ok(false);
    }
    diesel::insert_into(push_subscriptions::table)
        .values(row)
        .execute(conn)?;
    Ok(true)
}

/// Keep only the newest `keep` subscriptions of `user_id`; returns how many older ones went.
pub fn keep_newest(conn: &mut DbConnection, user_id: &str, keep: i64) -> QueryResult<usize> {
    let older: Vec<String> = push_subscriptions::table
        .filter(push_subscriptions::user_id.eq(user_id))
        .order((
            push_subscriptions::created_at.desc(),
            push_subscriptions::id.desc(),
        ))
        .offset(keep)
        .limit(1000)
        .select(push_subscriptions::id)
        .load(conn)?;
    diesel::delete(push_subscriptions::table.filter(push_subscriptions::id.eq_any(&older)))
        .execute(conn)
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<SubscriptionRow>> {
    push_subscriptions::table
        .find(id)
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
}

/// Forget this person's subscription at `endpoint`; false when they had none there.
pub fn remove(conn: &mut DbConnection, user_id: &str, endpoint: &str) -> QueryResult<bool> {
    let n = diesel::delete(
        push_subscriptions::table
            .filter(push_subscriptions::user_id.eq(user_id))
            .filter(push_subscriptions::endpoint.eq(endpoint)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

/// Forget a subscription the push service says is gone.
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(push_subscriptions::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Forget every subscription of this person (their account is closed).
pub fn delete_all_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(push_subscriptions::table.filter(push_subscriptions::user_id.eq(user_id)))
        .execute(conn)
}

/// The subscriptions of the active people with these email addresses: `(email, subscription)`.
pub fn of_addresses(
    conn: &mut DbConnection,
    emails: &[&str],
) -> QueryResult<Vec<(String, SubscriptionRow)>> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    push_subscriptions::table
        .inner_join(users::table)
        .filter(users::email.eq_any(emails))
        .filter(users::deactivated_at.is_null())
        .select((users::email.assume_not_null(), SubscriptionRow::as_select()))
        .load(conn)
}
