//! Helpers' profiles: home and reach, skills, vetting and availability.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::lists::any_of;
use super::schema::{helpers, users};
use super::users::UserRow;
use super::DbConnection;
use crate::domain::{Location, VettingStatus};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = helpers)]
pub struct HelperRow {
    pub user_id: String,
    pub home_lat: f64,
    pub home_lon: f64,
    pub max_distance_km: f64,
    /// `,a,b,`: see `Category::encode_set`.
    pub skills: String,
    pub vetting_status: VettingStatus,
    pub vetting_expires_on: Option<NaiveDate>,
    pub vetting_note: Option<String>,
    pub vetted_by: Option<String>,
    pub vetted_at: Option<NaiveDateTime>,
    /// JSON of `domain::Availability`.
    pub availability: String,
    pub reach_min_lat: f64,
    pub reach_max_lat: f64,
    pub reach_min_lon: f64,
    pub reach_max_lon: f64,
}

impl HelperRow {
    /// The stored availability; a value that does not parse is a database error, not "never free".
    pub fn availability(&self) -> QueryResult<crate::domain::Availability> {
        serde_json::from_str(&self.availability)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
    }

    pub fn home(&self) -> Location {
        Location {
            lat: self.home_lat,
            lon: self.home_lon,
        }
    }

    /// Set the home and reach, and the reach box the candidate query looks helpers up by.
    pub fn set_reach(&mut self, home: Location, max_distance_km: f64) {
        let b = home.reach_box(max_distance_km);
        self.home_lat = home.lat;
        self.home_lon = home.lon;
        self.max_distance_km = max_distance_km;
        self.reach_min_lat = b.min_lat;
        self.reach_max_lat = b.max_lat;
        self.reach_min_lon = b.min_lon;
        self.reach_max_lon = b.max_lon;
    }
}

/// The helper profile of an account inserted in the same transaction.
pub fn insert_profile(conn: &mut DbConnection, helper: &HelperRow) -> QueryResult<()> {
    diesel::insert_into(helpers::table)
        .values(helper)
        .execute(conn)
        .map(|_| ())
}

/// Create the account and the helper profile inside a transaction the caller holds.
pub fn create_in(conn: &mut DbConnection, user: &UserRow, helper: &HelperRow) -> QueryResult<()> {
    super::users::insert(conn, user)?;
    insert_profile(conn, helper)
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(UserRow, HelperRow)>> {
    on_backend!(conn, |c| users::table
        .inner_join(helpers::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), HelperRow::as_select()))
        .first(c)
        .optional())
}

/// These helpers with their accounts (in no particular order; unknown ids are left out).
pub fn get_all(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<(UserRow, HelperRow)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .inner_join(helpers::table)
        .filter(any_of(users::id, ids))
        .select((UserRow::as_select(), HelperRow::as_select()))
        .load(conn)
}

pub fn set_availability(conn: &mut DbConnection, id: &str, json: &str) -> QueryResult<usize> {
    diesel::update(helpers::table.find(id))
        .set(helpers::availability.eq(json))
        .execute(conn)
}

pub struct VettingChange<'a> {
    pub status: VettingStatus,
    pub expires_on: Option<NaiveDate>,
    pub note: Option<&'a str>,
    pub by: &'a str,
    pub at: NaiveDateTime,
}

pub fn set_vetting(conn: &mut DbConnection, id: &str, v: &VettingChange<'_>) -> QueryResult<usize> {
    diesel::update(helpers::table.find(id))
        .set((
            helpers::vetting_status.eq(v.status),
            helpers::vetting_expires_on.eq(v.expires_on),
            helpers::vetting_note.eq(v.note),
            helpers::vetted_by.eq(v.by),
            helpers::vetted_at.eq(v.at),
        ))
        .execute(conn)
}

/// A helper to remind: `(name, email, vetting_expires_on)`.
pub type ExpiringVetting = (String, Option<String>, Option<NaiveDate>);

/// Approved helpers whose vetting runs out between `from` and `until`.
pub fn vetting_expiring(
    conn: &mut DbConnection,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<ExpiringVetting>> {
    users::table
        .inner_join(helpers::table)
        .filter(helpers::vetting_status.eq(VettingStatus::Approved))
        .filter(helpers::vetting_expires_on.ge(from))
        .filter(helpers::vetting_expires_on.le(until))
        .select((users::name, users::email, helpers::vetting_expires_on))
        .load(conn)
}

/// Move a helper's home and reach (the reach box and its spatial index follow in the same
/// statement's transaction).
pub fn set_reach(conn: &mut DbConnection, id: &str, home: Location, km: f64) -> QueryResult<usize> {
    let b = home.reach_box(km);
    diesel::update(helpers::table.find(id))
        .set((
            helpers::home_lat.eq(home.lat),
            helpers::home_lon.eq(home.lon),
            helpers::max_distance_km.eq(km),
            helpers::reach_min_lat.eq(b.min_lat),
            helpers::reach_max_lat.eq(b.max_lat),
            helpers::reach_min_lon.eq(b.min_lon),
            helpers::reach_max_lon.eq(b.max_lon),
        ))
        .execute(conn)
}

pub fn set_skills(conn: &mut DbConnection, id: &str, encoded: &str) -> QueryResult<usize> {
    diesel::update(helpers::table.find(id))
        .set(helpers::skills.eq(encoded))
        .execute(conn)
}
