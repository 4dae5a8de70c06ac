//! What the matcher needs to know, read in a handful of set-based queries.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{count, sum};
use diesel::prelude::*;

use super::helpers::HelperRow;
use super::lists::any_of;
use super::schema::{feedback, help_requests as hr, helpers, member_blocks, users};
use super::DbConnection;
use crate::domain::{Category, Location, RequestStatus};

/// A helper found by the reach index, with their name.
#[derive(QueryableByName)]
struct Reaching {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(embed)]
    helper: HelperRow,
}

/// A category's code in SQLite's reach index (`helper_reach_skills`, and the tree
/// `helper_reach_s{code}`): its place in the domain's list.
pub fn skill_code(category: Category) -> i64 {
    Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or_default() as i64
}

/// Approved helpers with the skill whose reach box holds `at`, found through the spatial index
/// (on SQLite the skill's own R*Tree, `helper_reach_s{code}`; on PostgreSQL the skill's own
/// partial GiST index, `helpers_reach_s{code}`), with `columns` selected from `helpers h` and `users u`. Only
/// the entries that hold the place are read, however many helpers there are elsewhere. On
/// PostgreSQL the test is `box @> box` (a point as a box): GiST's box operator class cannot answer
/// `box @> point`, and the query would scan every helper. On SQLite `CROSS JOIN` keeps the planner
/// on the R*Tree first: left to itself it scans every approved helper and probes the R*Tree by id.
fn reaching_query<T>(
    conn: &mut DbConnection,
    columns: &str,
    at: Location,
    category: Category,
) -> QueryResult<Vec<T>>
where
    T: QueryableByName<super::MultiBackend> + 'static,
{
    match conn {
        DbConnection::Sqlite(_) => diesel::sql_query(format!(
            "SELECT {columns} FROM helper_reach_s{code} r \
             CROSS JOIN helper_reach_keys k ON k.id = r.id \
             CROSS JOIN helpers h ON h.user_id = k.user_id \
             JOIN users u ON u.id = h.user_id \
             WHERE r.min_lat <= ?1 AND r.max_lat >= ?1 AND r.min_lon <= ?2 AND r.max_lon >= ?2 \
             AND h.vetting_status = 'approved' AND h.skills LIKE ?3 AND u.deactivated_at IS NULL",
            code = skill_code(category)
        ))
        .bind::<diesel::sql_types::Double, _>(at.lat)
        .bind::<diesel::sql_types::Double, _>(at.lon)
        .bind::<diesel::sql_types::Text, _>(format!("%,{},%", category.as_str()))
        .load(conn),
        DbConnection::Pg(_) => diesel::sql_query(format!(
            "SELECT {columns} FROM helpers h JOIN users u ON u.id = h.user_id \
             WHERE {} AND u.deactivated_at IS NULL",
            pg_reach_condition(category)
        ))
        .bind::<diesel::sql_types::Double, _>(at.lat)
        .bind::<diesel::sql_types::Double, _>(at.lon)
        .load(conn),
    }
}

/// PostgreSQL's test for an approved helper with the skill whose reach box holds the place
/// (`$1` latitude, `$2` longitude). The skill is written in as a literal (a category's fixed
/// code, never user input), so that the planner can prove the predicate of the skill's own
/// partial index `helpers_reach_s{code}` (migration 000015) and use it.
fn pg_reach_condition(category: Category) -> String {
    format!(
        "box(point(h.reach_min_lon, h.reach_min_lat), point(h.reach_max_lon, h.reach_max_lat)) \
         @> box(point($2, $1), point($2, $1)) \
         AND h.vetting_status = 'approved' AND h.skills LIKE '%,{},%'",
        category.as_str()
    )
}

/// Approved helpers with the skill who can reach `at`, with their names.
pub fn helpers_reaching(
    conn: &mut DbConnection,
    at: Location,
    category: Category,
) -> QueryResult<Vec<(String, HelperRow)>> {
    let rows: Vec<Reaching> = reaching_query(conn, "u.name, h.*", at, category)?;
    Ok(rows.into_iter().map(|r| (r.name, r.helper)).collect())
}

/// How the reach index names a helper: SQLite's R*Tree by an integer key (turned into the
/// helper's id only for those the ranking goes on to weigh), PostgreSQL by the id itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HelperKey {
    Key(i64),
    Id(String),
}

/// A helper who can reach a place, as little as it takes to order them by distance: their key,
/// and their home (on SQLite the centre of their reach box, within a metre or two of it: the
/// R*Tree keeps its corners in single precision, rounded outwards).
#[derive(Debug, Clone)]
pub struct Reach {
    pub key: HelperKey,
    pub home: Location,
}

/// How far a home read from the index may be from the true one, in km (a generous bound on
/// single precision's rounding of the box's corners).
pub const INDEXED_HOME_SLACK_KM: f64 = 0.05;

/// An R*Tree entry as the ranking reads it: the key and the box's centre.
#[derive(QueryableByName)]
struct IndexEntry {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Double)]
    lat: f64,
    #[diesel(sql_type = diesel::sql_types::Double)]
    lon: f64,
}

#[derive(QueryableByName)]
struct IdAndHome {
    #[diesel(sql_type = diesel::sql_types::Text)]
    user_id: String,
    #[diesel(sql_type = diesel::sql_types::Double)]
    home_lat: f64,
    #[diesel(sql_type = diesel::sql_types::Double)]
    home_lon: f64,
}

/// As [`helpers_reaching`], but only each helper's key and home, and, given `homes_within_km`,
/// only those whose home lies in the box that holds every point within that distance of the place
/// (some a little farther: the caller keeps those within the distance). Both backends answer from
/// the skill's index alone, which holds each helper's home beside their reach box (migration
/// 000016): no helper or account row is read.
pub fn reach_of_helpers_reaching(
    conn: &mut DbConnection,
    at: Location,
    category: Category,
    homes_within_km: Option<f64>,
) -> QueryResult<Vec<Reach>> {
    use diesel::sql_types::Double;
    let near = homes_within_km.map(|km| at.reach_box(km));
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let sql = match (sqlite, near) {
        (true, _) => format!(
            "SELECT r.id AS id, (r.home_min_lat + r.home_max_lat) / 2.0 AS lat, \
                    (r.home_min_lon + r.home_max_lon) / 2.0 AS lon \
             FROM helper_reach_s{code} r \
             WHERE r.min_lat <= ?1 AND r.max_lat >= ?1 AND r.min_lon <= ?2 AND r.max_lon >= ?2{homes}",
            code = skill_code(category),
            homes = match near {
                Some(_) => " AND r.home_max_lat >= ?3 AND r.home_min_lat <= ?4 \
                            AND r.home_max_lon >= ?5 AND r.home_min_lon <= ?6",
                None => "",
            }
        ),
        // An index-only scan of the skill's index: the helper's account is not joined, and a
        // deactivated helper is dropped when the batches weighed are read (`helpers_by_id`).
        (false, _) => format!(
            "SELECT h.user_id, h.home_lat, h.home_lon FROM helpers h WHERE {}{homes}",
            pg_reach_condition(category),
            homes = match near {
                Some(_) => " AND point(h.home_lon, h.home_lat) <@ box(point($5, $3), point($6, $4))",
                None => "",
            }
        ),
    };
    let mut query = diesel::sql_query(sql)
        .into_boxed::<super::MultiBackend>()
        .bind::<Double, _>(at.lat)
        .bind::<Double, _>(at.lon);
    if let Some(b) = near {
        query = query
            .bind::<Double, _>(b.min_lat)
            .bind::<Double, _>(b.max_lat)
            .bind::<Double, _>(b.min_lon)
            .bind::<Double, _>(b.max_lon);
    }
    if sqlite {
        let rows: Vec<IndexEntry> = query.load(conn)?;
        return Ok(rows
            .into_iter()
            .map(|r| Reach {
                key: HelperKey::Key(r.id),
                home: Location {
                    lat: r.lat,
                    lon: r.lon,
                },
            })
            .collect());
    }
    let rows: Vec<IdAndHome> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Reach {
            key: HelperKey::Id(r.user_id),
            home: Location {
                lat: r.home_lat,
                lon: r.home_lon,
            },
        })
        .collect())
}

/// The ids of the helpers these keys name.
pub fn ids_of(conn: &mut DbConnection, keys: &[HelperKey]) -> QueryResult<Vec<String>> {
    use super::schema::helper_reach_keys as k;
    let mut ids = Vec::with_capacity(keys.len());
    let mut numbers = Vec::new();
    for key in keys {
        match key {
            HelperKey::Id(id) => ids.push(id.clone()),
            HelperKey::Key(n) => numbers.push(*n),
        }
    }
    if !numbers.is_empty() {
        let named: Vec<String> = k::table
            .filter(any_of(k::id, numbers))
            .select(k::user_id)
            .load(conn)?;
        ids.extend(named);
    }
    Ok(ids)
}

/// The helpers these keys name, with their names (in no particular order), leaving out
/// deactivated accounts: on SQLite read through the R*Tree's key table in the same statement.
pub fn helpers_by_key(
    conn: &mut DbConnection,
    keys: &[HelperKey],
) -> QueryResult<Vec<(String, HelperRow)>> {
    use super::schema::helper_reach_keys as k;
    let mut ids = Vec::new();
    let mut numbers = Vec::new();
    for key in keys {
        match key {
            HelperKey::Id(id) => ids.push(id.clone()),
            HelperKey::Key(n) => numbers.push(*n),
        }
    }
    let mut rows = helpers_by_id(conn, &ids)?;
    if !numbers.is_empty() {
        rows.extend(on_backend!(conn, |c| k::table
            .inner_join(users::table.on(users::id.eq(k::user_id)))
            .inner_join(helpers::table.on(helpers::user_id.eq(k::user_id)))
            .filter(any_of(k::id, numbers))
            .filter(users::deactivated_at.is_null())
            .select((users::name, HelperRow::as_select()))
            .load::<(String, HelperRow)>(c))?);
    }
    Ok(rows)
}

/// The keys the reach index names these helpers by.
pub fn keys_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<HelperKey>> {
    use super::schema::helper_reach_keys as k;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match conn {
        DbConnection::Sqlite(c) => Ok(k::table
            .filter(any_of(k::user_id, ids))
            .select(k::id)
            .load::<i64>(c)?
            .into_iter()
            .map(HelperKey::Key)
            .collect()),
        DbConnection::Pg(_) => Ok(ids.iter().cloned().map(HelperKey::Id).collect()),
    }
}

/// These helpers, with their names (in no particular order), leaving out deactivated accounts.
pub fn helpers_by_id(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, HelperRow)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(conn, |c| users::table
        .inner_join(helpers::table)
        .filter(any_of(users::id, ids))
        .filter(users::deactivated_at.is_null())
        .select((users::name, HelperRow::as_select()))
        .load(c))
}

/// One helper by id, with their name.
pub fn helper(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(String, HelperRow)>> {
    users::table
        .inner_join(helpers::table)
        .filter(users::id.eq(id))
        .select((users::name, HelperRow::as_select()))
        .first(conn)
        .optional()
}

/// Assigned jobs of these helpers that start in `[from, to)`: `(helper, start, minutes)`.
pub fn busy(
    conn: &mut DbConnection,
    helper_ids: &[String],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(String, NaiveDateTime, i32)>> {
    let rows: Vec<(Option<String>, Option<NaiveDateTime>, i32)> = on_backend!(conn, |c| hr::table
        .filter(any_of(hr::helper_id, helper_ids))
        .filter(any_of(
            hr::status,
            [
                RequestStatus::Assigned.as_str(),
                RequestStatus::Completed.as_str(),
            ],
        ))
        .filter(hr::scheduled_start.ge(from))
        .filter(hr::scheduled_start.lt(to))
        .select((hr::helper_id, hr::scheduled_start, hr::duration_minutes))
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter_map(|(h, s, d)| Some((h?, s?, d)))
        .collect())
}

/// Minutes of completed work since `since`, per helper.
pub fn recent_minutes(
    conn: &mut DbConnection,
    helper_ids: &[String],
    since: NaiveDateTime,
) -> QueryResult<HashMap<String, i64>> {
    let rows: Vec<(Option<String>, Option<i64>)> = on_backend!(conn, |c| hr::table
        .filter(any_of(hr::helper_id, helper_ids))
        .filter(hr::status.eq(RequestStatus::Completed.as_str()))
        .filter(hr::completed_at.ge(since))
        .group_by(hr::helper_id)
        .select((hr::helper_id, sum(hr::minutes_spent)))
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter_map(|(h, m)| Some((h?, m.unwrap_or(0))))
        .collect())
}

/// `(sum of ratings, number of ratings)` per helper.
pub fn ratings(
    conn: &mut DbConnection,
    helper_ids: &[String],
) -> QueryResult<HashMap<String, (i64, i64)>> {
    let rows: Vec<(String, Option<i64>, i64)> = on_backend!(conn, |c| feedback::table
        .filter(any_of(feedback::helper_id, helper_ids))
        .group_by(feedback::helper_id)
        .select((
            feedback::helper_id,
            sum(feedback::rating),
            count(feedback::rating),
        ))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(h, s, n)| (h, (s.unwrap_or(0), n)))
        .collect())
}

/// Completed jobs for this member per helper, with the member's ratings of them:
/// `helper → (jobs, sum of ratings, number of ratings)`.
pub fn member_history(
    conn: &mut DbConnection,
    member_id: &str,
) -> QueryResult<HashMap<String, (i64, i64, i64)>> {
    Ok(member_histories(conn, &[member_id.to_string()])?
        .remove(member_id)
        .unwrap_or_default())
}

/// One member's history: `helper → (jobs, sum of ratings, number of ratings)`.
pub type History = HashMap<String, (i64, i64, i64)>;

/// [`member_history`] for each of these members, in two statements: `member → history`.
pub fn member_histories(
    conn: &mut DbConnection,
    member_ids: &[String],
) -> QueryResult<HashMap<String, History>> {
    let mut out: HashMap<String, History> = HashMap::new();
    if member_ids.is_empty() {
        return Ok(out);
    }
    let jobs: Vec<(String, Option<String>, i64)> = on_backend!(conn, |c| hr::table
        .filter(any_of(hr::member_id, member_ids))
        .filter(hr::status.eq(RequestStatus::Completed.as_str()))
        .group_by((hr::member_id, hr::helper_id))
        .select((hr::member_id, hr::helper_id, count(hr::id)))
        .load(c))?;
    let rated: Vec<(String, String, Option<i64>, i64)> = on_backend!(conn, |c| feedback::table
        .filter(any_of(feedback::member_id, member_ids))
        .group_by((feedback::member_id, feedback::helper_id))
        .select((
            feedback::member_id,
            feedback::helper_id,
            sum(feedback::rating),
            count(feedback::rating),
        ))
        .load(c))?;
    for (m, h, n) in jobs {
        if let Some(h) = h {
            out.entry(m).or_default().entry(h).or_default().0 = n;
        }
    }
    for (m, h, s, n) in rated {
        let e = out.entry(m).or_default().entry(h).or_default();
        e.1 = s.unwrap_or(0);
        e.2 = n;
    }
    Ok(out)
}

/// The helpers this member has blocked.
pub fn blocked_by(conn: &mut DbConnection, member_id: &str) -> QueryResult<Vec<String>> {
    Ok(blocked_by_each(conn, &[member_id.to_string()])?
        .into_iter()
        .map(|(_, h)| h)
        .collect())
}

/// Every block these members made: `(member, helper)`.
pub fn blocked_by_each(
    conn: &mut DbConnection,
    member_ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    if member_ids.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(conn, |c| member_blocks::table
        .filter(any_of(member_blocks::member_id, member_ids))
        .select((member_blocks::member_id, member_blocks::helper_id))
        .load(c))
}

/// Has this member blocked this helper?
pub fn is_blocked(conn: &mut DbConnection, member_id: &str, helper_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        member_blocks::table.find((member_id, helper_id)),
    ))
    .get_result(conn)
}

/// Which of `members` have blocked `helper_id`.
pub fn blocked_by_among(
    conn: &mut DbConnection,
    helper_id: &str,
    members: &[String],
) -> QueryResult<Vec<String>> {
    member_blocks::table
        .filter(member_blocks::helper_id.eq(helper_id))
        .filter(any_of(member_blocks::member_id, members))
        .select(member_blocks::member_id)
        .load(conn)
}

/// Block a helper for a member; false if already blocked.
pub fn block(
    conn: &mut DbConnection,
    member_id: &str,
    helper_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        member_blocks::member_id.eq(member_id),
        member_blocks::helper_id.eq(helper_id),
        member_blocks::created_at.eq(at),
    );
    Ok(insert_or_ignore!(conn, member_blocks::table, row)? == 1)
}

/// The window of time whose jobs matter for one job: its ISO week (for the cap), padded.
pub fn busy_range(start: NaiveDateTime, end: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    (start - Duration::days(8), end + Duration::days(8))
}

/// Lift a block; false if there was none.
pub fn unblock(conn: &mut DbConnection, member_id: &str, helper_id: &str) -> QueryResult<bool> {
    let n = diesel::delete(member_blocks::table.find((member_id, helper_id))).execute(conn)?;
    Ok(n == 1)
}
