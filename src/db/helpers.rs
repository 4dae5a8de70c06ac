use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{helpers, users};
use super::users::UserRow;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = helpers)]
pub struct HelperRow {
    pub user_id: String,
    pub home_lat: f64,
    pub home_lon: f64,
    pub max_distance_km: f64,
    /// `,a,b,`: see `Category::encode_set`.
    pub skills: String,
    pub vetting_status: String,
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

/// The lat/lon box around `home` that holds every point within `km` (a little generous).
pub fn reach_box(lat: f64, lon: f64, km: f64) -> (f64, f64, f64, f64) {
    let dlat = km / 110.574 * 1.01 + 1e-6;
    let dlon = (km / (111.320 * lat.to_radians().cos().max(0.01)) * 1.01 + 1e-6).min(360.0);
    (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
}

pub fn create(conn: &mut DbConnection, user: &UserRow, helper: &HelperRow) -> QueryResult<()> {
    conn.transaction(|conn| {
        super::users::insert(conn, user)?;
        diesel::insert_into(helpers::table)
            .values(helper)
            .execute(conn)?;
        Ok(())
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(UserRow, HelperRow)>> {
    users::table
        .inner_join(helpers::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), HelperRow::as_select()))
        .first(conn)
        .optional()
}

pub fn set_availability(conn: &mut DbConnection, id: &str, json: &str) -> QueryResult<usize> {
    diesel::update(helpers::table.find(id))
        .set(helpers::availability.eq(json))
        .execute(conn)
}

pub struct VettingChange<'a> {
    pub status: &'a str,
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
