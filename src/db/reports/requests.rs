//! The week's requests by category and state, how fast and how near they were matched, and the
//! demand left unmet, by category and by area.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use super::sql::{floor_int, median_p90, minutes_between, ratio, sql_for, Cell};
use crate::db::schema::help_requests as hr;
use crate::db::DbConnection;
use crate::domain::area::{Area, CELL_LAT, CELL_LON};
use crate::domain::{Category, RequestStatus};
use crate::reports::figures::{AreaCount, Requests, StatusCounts, Unmet};

/// Requests by category and state over `[s, e)`, with the match rate and the times and
/// distances to a helper.
pub(super) fn requests(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<Requests> {
    let in_week = |col: hr::created_at| col.ge(s).and(col.lt(e));
    let created = hr::table
        .filter(in_week(hr::created_at))
        .group_by(hr::category)
        .select((hr::category, count_star()))
        .load(conn)?;
    let assigned = hr::table
        .filter(hr::assigned_at.ge(s).and(hr::assigned_at.lt(e)))
        .group_by(hr::category)
        .select((hr::category, count_star()))
        .load(conn)?;
    let completed = hr::table
        .filter(hr::completed_at.ge(s).and(hr::completed_at.lt(e)))
        .group_by(hr::category)
        .select((hr::category, count_star()))
        .load(conn)?;
    let cancelled = hr::table
        .filter(hr::cancelled_at.ge(s).and(hr::cancelled_at.lt(e)))
        .group_by(hr::category)
        .select((hr::category, count_star()))
        .load(conn)?;
    let expired = hr::table
        .filter(hr::status.eq(RequestStatus::Expired))
        .filter(hr::window_end.ge(s).and(hr::window_end.lt(e)))
        .group_by(hr::category)
        .select((hr::category, count_star()))
        .load(conn)?;
    let open = open_by_category(conn, e)?;
    let counts = |rows: &Vec<(Category, i64)>, c: Category| {
        rows.iter().find(|(k, _)| *k == c).map_or(0, |(_, n)| *n)
    };
    let mut by_category = BTreeMap::new();
    for c in Category::ALL.iter().copied() {
        let counts = StatusCounts {
            created: counts(&created, c),
            assigned: counts(&assigned, c),
            completed: counts(&completed, c),
            cancelled: counts(&cancelled, c),
            expired: counts(&expired, c),
            open: counts(&open, c),
        };
        if counts != StatusCounts::default() {
            by_category.insert(c, counts);
        }
    }
    let mut totals = StatusCounts::default();
    for c in by_category.values() {
        totals.created += c.created;
        totals.assigned += c.assigned;
        totals.completed += c.completed;
        totals.cancelled += c.cancelled;
        totals.expired += c.expired;
        totals.open += c.open;
    }

    let matched: i64 = hr::table
        .filter(in_week(hr::created_at))
        .filter(hr::assigned_at.lt(e))
        .count()
        .get_result(conn)?;
    let assigned_filter = "assigned_at >= ? AND assigned_at < ?";
    let minutes = minutes_between(conn, "assigned_at", "created_at");
    let (median_minutes, p90_minutes) =
        median_p90(conn, &minutes, assigned_filter, s, e, totals.assigned)?;
    let with_distance: i64 = hr::table
        .filter(hr::assigned_at.ge(s).and(hr::assigned_at.lt(e)))
        .filter(hr::assigned_distance_km.is_not_null())
        .count()
        .get_result(conn)?;
    let (median_distance, _) = median_p90(
        conn,
        "assigned_distance_km",
        "assigned_at >= ? AND assigned_at < ? AND assigned_distance_km IS NOT NULL",
        s,
        e,
        with_distance,
    )?;
    Ok(Requests {
        match_rate: ratio(matched, totals.created),
        median_minutes_to_assignment: median_minutes.map(|m| (m * 10.0).round() / 10.0),
        p90_minutes_to_assignment: p90_minutes.map(|m| (m * 10.0).round() / 10.0),
        median_distance_km: median_distance.map(|d| (d * 1000.0).round() / 1000.0),
        by_category,
        totals,
    })
}

/// Open at the week's end: asked before it ended, its window still running, and by then neither
/// given a helper nor cancelled. (A window that ended in the week without a helper is counted as
/// expired.) `?` is the week's end, as often as it appears.
fn open_filter(conn: &DbConnection) -> String {
    // On SQLite the unary `+` keeps the planner on the window_end index: requests still running at
    // the week's end are few, requests created before it are most of the table.
    let created_col = if conn.is_postgres() {
        "created_at"
    } else {
        "+created_at"
    };
    format!(
        "{created_col} < ? AND window_end >= ? AND (assigned_at IS NULL OR assigned_at >= ?) \
         AND (cancelled_at IS NULL OR cancelled_at >= ?)"
    )
}

/// How many requests were open at `e`, by category.
fn open_by_category(
    conn: &mut DbConnection,
    e: NaiveDateTime,
) -> QueryResult<Vec<(Category, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        category: Category,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let filter = open_filter(conn);
    let sql = format!(
        "SELECT category, COUNT(*) AS n FROM help_requests WHERE {filter} GROUP BY category"
    );
    let mut q = diesel::sql_query(sql_for(conn, &sql)).into_boxed();
    for _ in 0..filter.matches('?').count() {
        q = q.bind::<Timestamp, _>(e);
    }
    Ok(q.load::<Row>(conn)?
        .into_iter()
        .map(|r| (r.category, r.n))
        .collect())
}

/// Open at the week's end plus expired in the week: by category (from `by_category`) and by
/// area, most first.
pub(super) fn unmet(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
    by_category: &BTreeMap<Category, StatusCounts>,
) -> QueryResult<Unmet> {
    let mut unmet_by_category = BTreeMap::new();
    for (k, c) in by_category {
        if c.open + c.expired > 0 {
            unmet_by_category.insert(*k, c.open + c.expired);
        }
    }
    let (row, col) = (
        floor_int(conn, &format!("lat / {CELL_LAT}")),
        floor_int(conn, &format!("lon / {CELL_LON}")),
    );
    let open = open_filter(conn);
    let area_sql = sql_for(
        conn,
        &format!(
            "SELECT {row} AS la, {col} AS lo, \
             CAST(COUNT(*) AS BIGINT) AS n FROM help_requests \
             WHERE ({open}) OR (status = '{}' AND window_end >= ? AND window_end < ?) \
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20",
            RequestStatus::Expired.as_str()
        ),
    );
    let mut q = diesel::sql_query(area_sql).into_boxed();
    for _ in 0..open.matches('?').count() {
        q = q.bind::<Timestamp, _>(e);
    }
    let cells: Vec<Cell> = q
        .bind::<Timestamp, _>(s)
        .bind::<Timestamp, _>(e)
        .load(conn)?;
    let by_area = cells
        .into_iter()
        .map(|c| {
            let area = Area::of_cell(c.la.into(), c.lo.into());
            Ok(AreaCount {
                area: area.label(),
                area_name: crate::db::places::nearest_district(conn, area.center)?,
                center: area.center,
                cell_size_m: area.cell_size_m,
                count: c.n,
            })
        })
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(Unmet {
        by_category: unmet_by_category,
        by_area,
    })
}
