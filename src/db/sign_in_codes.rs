//! Codes sent by text to sign in with: held hashed, each for one account and number, until it
//! runs out, is used, or has had its tries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::sign_in_codes;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sign_in_codes, treat_none_as_default_value = false)]
pub struct SignInCodeRow {
    pub id: String,
    pub user_id: String,
    pub phone: String,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub tries: i32,
    pub used_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, row: &SignInCodeRow) -> QueryResult<()> {
    diesel::insert_into(sign_in_codes::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The newest code for this number still unused, in time and with tries left.
pub fn live(
    conn: &mut DbConnection,
    phone: &str,
    now: NaiveDateTime,
    most_tries: i32,
) -> QueryResult<Option<SignInCodeRow>> {
    sign_in_codes::table
        .filter(sign_in_codes::phone.eq(phone))
        .filter(sign_in_codes::used_at.is_null())
        .filter(sign_in_codes::expires_at.gt(now))
        .filter(sign_in_codes::tries.lt(most_tries))
        .order(sign_in_codes::created_at.desc())
        .select(SignInCodeRow::as_select())
        .first(conn)
        .optional()
}

/// One more try of the code.
pub fn tried(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(sign_in_codes::table.find(id))
        .set(sign_in_codes::tries.eq(sign_in_codes::tries + 1))
        .execute(conn)
        .map(|_| ())
}

/// Use the code; false when it was used already (also by a use racing this one).
pub fn spend(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        sign_in_codes::table
            .find(id)
            .filter(sign_in_codes::used_at.is_null()),
    )
    .set(sign_in_codes::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Forget codes that ran out before `before`.
pub fn delete_ended(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sign_in_codes::table.filter(sign_in_codes::expires_at.lt(before))).execute(conn)
}
