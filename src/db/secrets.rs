//! Secrets the service makes for itself and keeps in the database, so that every process on one
//! database uses the same one (the access tokens' signing key when none is configured).

use diesel::prelude::*;

use super::schema::service_secrets;
use super::DbConnection;

/// The secret kept under `name`; `candidate` is kept first if there is none yet. Two processes
/// starting at once both read the one that was kept first.
pub fn keep(conn: &mut DbConnection, name: &str, candidate: &str) -> QueryResult<String> {
    insert_or_ignore!(
        conn,
        service_secrets::table,
        (
            service_secrets::name.eq(name),
            service_secrets::value.eq(candidate),
            service_secrets::created_at.eq(super::now()),
        )
    )?;
    service_secrets::table
        .find(name)
        .select(service_secrets::value)
        .first(conn)
}
