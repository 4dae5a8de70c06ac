//! Places from postcodes: one row a postcode, with its district and position; written in large
//! batches by the import, read one at a time by whoever gives a postcode.

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::places;
use super::DbConnection;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = places)]
pub struct PlaceRow {
    pub postcode: String,
    pub district: String,
    pub lat: f64,
    pub lon: f64,
}

/// The place of a postcode as stored ("SE15 4QF").
pub fn find(conn: &mut DbConnection, postcode: &str) -> QueryResult<Option<PlaceRow>> {
    places::table
        .find(postcode)
        .select(PlaceRow::as_select())
        .first(conn)
        .optional()
}

/// How many rows one PostgreSQL INSERT carries (four values each).
pub const ROWS_PER_STATEMENT: usize = 5_000;

/// Write `rows`, replacing the position and district of postcodes already known. On SQLite one
/// prepared statement a row (in the caller's transaction, a few microseconds each); on
/// PostgreSQL [`ROWS_PER_STATEMENT`] rows a statement, to save round trips.
pub fn upsert(conn: &mut DbConnection, rows: &[PlaceRow]) -> QueryResult<usize> {
    let mut written = 0;
    if let DbConnection::Sqlite(c) = conn {
        for row in rows {
            written += diesel::insert_into(places::table)
                .values(row)
                .on_conflict(places::postcode)
                .do_update()
                .set((
                    places::district.eq(&row.district),
                    places::lat.eq(row.lat),
                    places::lon.eq(row.lon),
                ))
                .execute(c)?;
        }
        return Ok(written);
    }
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        written += match conn {
            DbConnection::Sqlite(_) => 0,
            DbConnection::Pg(c) => diesel::insert_into(places::table)
                .values(chunk)
                .on_conflict(places::postcode)
                .do_update()
                .set((
                    places::district.eq(excluded(places::district)),
                    places::lat.eq(excluded(places::lat)),
                    places::lon.eq(excluded(places::lon)),
                ))
                .execute(c)?,
        };
    }
    Ok(written)
}

/// How many postcodes are known.
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    places::table.count().get_result(conn)
}

/// The district of the known postcode nearest to `at`: looked for within 300 m (a few hundred
/// postcodes in a town), then within 3 km; `None` when none is that near (or none are loaded).
pub fn nearest_district(
    conn: &mut DbConnection,
    at: crate::domain::Location,
) -> QueryResult<Option<String>> {
    for km in [0.3, 3.0] {
        if let Some(d) = nearest_within(conn, at, km)? {
            return Ok(Some(d));
        }
    }
    Ok(None)
}

fn nearest_within(
    conn: &mut DbConnection,
    at: crate::domain::Location,
    km: f64,
) -> QueryResult<Option<String>> {
    let b = at.reach_box(km);
    let near: Vec<(String, f64, f64)> = places::table
        .filter(places::lat.between(b.min_lat, b.max_lat))
        .filter(places::lon.between(b.min_lon, b.max_lon))
        .select((places::district, places::lat, places::lon))
        .limit(5_000)
        .load(conn)?;
    Ok(near
        .into_iter()
        .map(|(d, lat, lon)| (at.distance_km(crate::domain::Location { lat, lon }), d))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, d)| d))
}
