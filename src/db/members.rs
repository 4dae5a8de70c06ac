//! Members' profiles: where they live.

use diesel::prelude::*;

use super::schema::{members, users};
use super::users::UserRow;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = members)]
pub struct MemberRow {
    pub user_id: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub created_by: Option<String>,
    /// What a helper at the door needs to know ("knock loudly").
    pub access_needs: Option<String>,
    /// Who to ring in an emergency: name, phone, how they are related.
    pub emergency_name: Option<String>,
    pub emergency_phone: Option<String>,
    pub emergency_relation: Option<String>,
}

/// A member's care details: `None` leaves each as it is, `Some(None)` clears it.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = members)]
pub struct CareChange {
    pub access_needs: Option<Option<String>>,
    pub emergency_name: Option<Option<String>>,
    pub emergency_phone: Option<Option<String>>,
    pub emergency_relation: Option<Option<String>>,
}

/// Change a member's care details; nothing to change is no statement.
pub fn change_care(conn: &mut DbConnection, id: &str, change: &CareChange) -> QueryResult<()> {
    if change.access_needs.is_none() && change.emergency_name.is_none() {
        return Ok(());
    }
    diesel::update(members::table.find(id))
        .set(change)
        .execute(conn)
        .map(|_| ())
}

/// The member profile of an account inserted in the same transaction.
pub fn insert_profile(conn: &mut DbConnection, member: &MemberRow) -> QueryResult<()> {
    diesel::insert_into(members::table)
        .values(member)
        .execute(conn)
        .map(|_| ())
}

/// A member's account and profile. Both keys are named, so that neither table is scanned whatever
/// the planner guesses of their sizes.
pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(UserRow, MemberRow)>> {
    on_backend!(conn, |c| users::table
        .inner_join(members::table)
        .filter(users::id.eq(id))
        .filter(members::user_id.eq(id))
        .select((UserRow::as_select(), MemberRow::as_select()))
        .first(c)
        .optional())
}

/// Create the account and the member profile inside a transaction the caller holds.
pub fn create_in(conn: &mut DbConnection, user: &UserRow, member: &MemberRow) -> QueryResult<()> {
    super::users::insert(conn, user)?;
    insert_profile(conn, member)
}

/// A member's new address and place (each `None` leaves it as it is).
pub fn change_home(
    conn: &mut DbConnection,
    id: &str,
    address: Option<&str>,
    location: Option<crate::domain::Location>,
) -> QueryResult<()> {
    if let Some(address) = address {
        diesel::update(members::table.find(id))
            .set(members::address.eq(address))
            .execute(conn)?;
    }
    if let Some(at) = location {
        diesel::update(members::table.find(id))
            .set((members::lat.eq(at.lat), members::lon.eq(at.lon)))
            .execute(conn)?;
    }
    Ok(())
}

/// Hold the member's row for the rest of the transaction (PostgreSQL; SQLite's write transaction
/// already holds the database), so that their account is read and changed one caller at a time.
pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    if conn.is_postgres() {
        diesel::sql_query("SELECT user_id FROM members WHERE user_id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(id)
            .execute(conn)?;
    }
    Ok(())
}
