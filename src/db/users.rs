//! Accounts: who someone is, how they sign in, and whether they still may.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::lists::any_of;
use super::schema::{members, users};
use super::DbConnection;
use crate::domain::{contact, Role};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password_hash: Option<String>,
    pub created_at: NaiveDateTime,
    /// Raised to make every access token issued before it stop working.
    pub token_version: i32,
    pub deactivated_at: Option<NaiveDateTime>,
    /// How they want to be reached, as stored ("email,phone_call"); `None`: the default.
    pub contact_by: Option<String>,
    /// `phone` in E.164, kept by [`insert`] and [`change_contact`]; `None` when it does not read.
    pub phone_e164: Option<String>,
}

impl UserRow {
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

pub fn insert(conn: &mut DbConnection, row: &UserRow) -> QueryResult<()> {
    let row = UserRow {
        phone_e164: row.phone.as_deref().and_then(contact::e164),
        ..row.clone()
    };
    diesel::insert_into(users::table)
        .values(&row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UserRow>> {
    on_backend!(conn, |c| users::table
        .find(id)
        .select(UserRow::as_select())
        .first(c)
        .optional())
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn email_taken(conn: &mut DbConnection, email: &str) -> QueryResult<bool> {
    Ok(find_by_email(conn, email)?.is_some())
}

/// `(id, name, phone, a member's access needs)`.
pub type NameLine = (String, String, Option<String>, Option<String>);

/// Names and phones of several users at once, for lists, with a member's access needs.
pub fn names(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<NameLine>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .left_join(members::table.on(members::user_id.eq(users::id)))
        .filter(any_of(users::id, ids))
        .select((
            users::id,
            users::name,
            users::phone,
            members::access_needs.nullable(),
        ))
        .load(conn)
}

/// Each of these people's role.
pub fn roles(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, Role)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(any_of(users::id, ids))
        .select((users::id, users::role))
        .load(conn)
}

/// Whether this account is closed (deactivated, or erased); an unknown id is not.
pub fn is_closed(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    on_backend!(conn, |c| users::table
        .find(id)
        .select(users::deactivated_at.is_not_null())
        .first(c)
        .optional())
    .map(|closed| closed.unwrap_or(false))
}

/// Which of these accounts are closed (deactivated, or erased).
pub fn closed_among(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(any_of(users::id, ids))
        .filter(users::deactivated_at.is_not_null())
        .select(users::id)
        .load(conn)
}

/// Each of these people's name by id (ids may repeat).
pub fn name_map(
    conn: &mut DbConnection,
    mut ids: Vec<String>,
) -> QueryResult<std::collections::HashMap<String, String>> {
    ids.sort();
    ids.dedup();
    Ok(names(conn, &ids)?
        .into_iter()
        .map(|(id, name, _, _)| (id, name))
        .collect())
}

/// Every active coordinator: `(id, email)`.
pub fn coordinators(conn: &mut DbConnection) -> QueryResult<Vec<(String, Option<String>)>> {
    users::table
        .filter(users::role.eq(Role::Coordinator))
        .filter(users::deactivated_at.is_null())
        .select((users::id, users::email))
        .load(conn)
}

/// What decides whether an access token still works: `(role, token_version, deactivated_at)`.
pub fn access(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Option<(Role, i32, Option<NaiveDateTime>)>> {
    on_backend!(conn, |c| users::table
        .find(id)
        .select((users::role, users::token_version, users::deactivated_at))
        .first(c)
        .optional())
}

/// Deactivate an active account and end its access tokens; false if it was already inactive.
pub fn deactivate(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        users::table
            .find(id)
            .filter(users::deactivated_at.is_null()),
    )
    .set((
        users::deactivated_at.eq(at),
        users::token_version.eq(users::token_version + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// End every access token of an account at once (signing out everywhere); false if there is no
/// such account.
pub fn end_access_tokens(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let n = diesel::update(users::table.find(id))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)?;
    Ok(n == 1)
}

/// Let a deactivated account in again; false if it was active.
pub fn reactivate(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    let n = diesel::update(
        users::table
            .find(id)
            .filter(users::deactivated_at.is_not_null()),
    )
    .set(users::deactivated_at.eq(None::<NaiveDateTime>))
    .execute(conn)?;
    Ok(n == 1)
}

/// A new password; every access token issued before it stops working.
pub fn set_password(conn: &mut DbConnection, id: &str, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::token_version.eq(users::token_version + 1),
        ))
        .execute(conn)
}

/// New contact details (each `None` leaves the value as it is).
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = users)]
pub struct ContactChange {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub contact_by: Option<Option<String>>,
    /// Set with `phone` by [`change_contact`].
    pub phone_e164: Option<Option<String>>,
}

impl ContactChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.contact_by.is_none()
    }
}

pub fn change_contact(
    conn: &mut DbConnection,
    id: &str,
    change: &ContactChange,
) -> QueryResult<()> {
    if change.is_empty() {
        return Ok(());
    }
    let change = ContactChange {
        phone_e164: change
            .phone
            .as_ref()
            .map(|p| p.as_deref().and_then(contact::e164)),
        ..change.clone()
    };
    diesel::update(users::table.find(id))
        .set(&change)
        .execute(conn)
        .map(|_| ())
}

/// Fill `phone_e164` for numbers written before it was kept; returns how many were filled.
pub fn fill_e164(conn: &mut DbConnection) -> QueryResult<usize> {
    let unread: Vec<(String, String)> = users::table
        .filter(users::phone.is_not_null())
        .filter(users::phone_e164.is_null())
        .select((users::id, users::phone.assume_not_null()))
        .load(conn)?;
    let mut filled = 0;
    for (id, phone) in unread {
        if let Some(number) = contact::e164(&phone) {
            filled += diesel::update(users::table.find(&id))
                .set(users::phone_e164.eq(number))
                .execute(conn)?;
        }
    }
    Ok(filled)
}

/// The open accounts whose phone is this number (E.164), helpers first.
pub fn by_number(conn: &mut DbConnection, number: &str) -> QueryResult<Vec<UserRow>> {
    let mut found: Vec<UserRow> = users::table
        .filter(users::phone_e164.eq(number))
        .filter(users::deactivated_at.is_null())
        .select(UserRow::as_select())
        .load(conn)?;
    found.sort_by_key(|u| (u.role != Role::Helper, u.created_at));
    Ok(found)
}
