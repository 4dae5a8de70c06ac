//! Refresh tokens, stored as hashes, rotated on every use; reuse revokes the whole family. A
//! family is one signed-in phone or browser (a "session").

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::refresh_tokens;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// The phone or browser that signed in, in words.
    pub device: String,
    /// Kept signed in (in a cookie) rather than for one visit.
    pub remember: bool,
}

pub fn insert(conn: &mut DbConnection, row: &RefreshTokenRow) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find_by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Mark the token used if nobody has yet; false when it was already used or revoked.
pub fn use_once(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke_family(
    conn: &mut DbConnection,
    family_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
    .map(|_| ())
}

/// Revoke every refresh token of a user: each of their sessions must sign in again.
pub fn revoke_all_for_user(
    conn: &mut DbConnection,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
    .map(|_| ())
}

/// A user's refresh tokens that still work, newest first: each family among them is a place
/// where they are signed in.
pub fn live_for_user(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::expires_at.gt(now))
        .filter(refresh_tokens::used_at.is_null())
        .filter(refresh_tokens::revoked_at.is_null())
        .order(refresh_tokens::created_at.desc())
        .select(RefreshTokenRow::as_select())
        .load(conn)
}

/// Revoke one family of one user's; false when that user has no such family still working.
pub fn revoke_users_family(
    conn: &mut DbConnection,
    user_id: &str,
    family_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?;
    Ok(n > 0)
}
