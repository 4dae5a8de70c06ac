//! Failed logins per account and client address, in the database so that the limit holds across
//! processes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_failures;
use super::DbConnection;

pub fn record(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(super::new_id()),
            login_failures::email.eq(email),
            login_failures::address.eq(address),
            login_failures::failed_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// How many failures from `address` since `since`, and the oldest of them.
pub fn since(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::address.eq(address))
        .filter(login_failures::failed_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_failures::failed_at),
        ))
        .first(conn)
}

pub fn clear(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email)))
        .execute(conn)
        .map(|_| ())
}
