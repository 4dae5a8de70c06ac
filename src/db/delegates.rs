//! Family delegates: invitations (kept as their token's hash) and, once accepted, who may act
//! for which member with which rights (`can`, as `domain::delegation::Rights` stores it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{delegates, users};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = delegates)]
pub struct DelegateRow {
    pub id: String,
    pub member_id: String,
    pub delegate_id: Option<String>,
    pub email: String,
    pub name: String,
    pub can: String,
    pub token_hash: Option<String>,
    pub invited_by: String,
    pub invited_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, row: &DelegateRow) -> QueryResult<()> {
    diesel::insert_into(delegates::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A member's delegates and invitations, oldest first.
pub fn of_member(conn: &mut DbConnection, member_id: &str) -> QueryResult<Vec<DelegateRow>> {
    delegates::table
        .filter(delegates::member_id.eq(member_id))
        .order((delegates::invited_at, delegates::id))
        .select(DelegateRow::as_select())
        .load(conn)
}

/// The rights (as stored) this account holds for this member, if it is their delegate.
pub fn rights(
    conn: &mut DbConnection,
    delegate_id: &str,
    member_id: &str,
) -> QueryResult<Option<String>> {
    delegates::table
        .filter(delegates::delegate_id.eq(delegate_id))
        .filter(delegates::member_id.eq(member_id))
        .select(delegates::can)
        .first(conn)
        .optional()
}

/// The members this account acts for: (member id, member name, rights as stored), by name.
pub fn acts_for(
    conn: &mut DbConnection,
    delegate_id: &str,
) -> QueryResult<Vec<(String, String, String)>> {
    delegates::table
        .inner_join(users::table.on(users::id.eq(delegates::member_id)))
        .filter(delegates::delegate_id.eq(delegate_id))
        .filter(users::deactivated_at.is_null())
        .order((users::name, users::id))
        .select((delegates::member_id, users::name, delegates::can))
        .load(conn)
}

/// Everyone who acts for this member, with an open account and an email: `(email, name, rights
/// as stored)`, in one statement.
pub fn reachable_for(
    conn: &mut DbConnection,
    member_id: &str,
) -> QueryResult<Vec<(String, String, String)>> {
    delegates::table
        .inner_join(users::table.on(users::id.nullable().eq(delegates::delegate_id)))
        .filter(delegates::member_id.eq(member_id))
        .filter(users::deactivated_at.is_null())
        .filter(users::email.is_not_null())
        .select((users::email.assume_not_null(), users::name, delegates::can))
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<DelegateRow>> {
    delegates::table
        .find(id)
        .select(DelegateRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<DelegateRow>> {
    delegates::table
        .filter(delegates::token_hash.eq(hash))
        .select(DelegateRow::as_select())
        .first(conn)
        .optional()
}

/// Accept an invitation: true for the one caller that does, while it is still open.
pub fn accept(
    conn: &mut DbConnection,
    id: &str,
    delegate_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        delegates::table
            .find(id)
            .filter(delegates::accepted_at.is_null()),
    )
    .set((
        delegates::delegate_id.eq(delegate_id),
        delegates::accepted_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Stop a delegate (or withdraw an invitation): true when there was one.
pub fn remove(conn: &mut DbConnection, member_id: &str, id: &str) -> QueryResult<bool> {
    diesel::delete(
        delegates::table
            .filter(delegates::id.eq(id))
            .filter(delegates::member_id.eq(member_id)),
    )
    .execute(conn)
    .map(|n| n == 1)
}
