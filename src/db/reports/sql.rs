//! The SQL both backends share for the report: placeholders, floors, minutes between two times,
//! and medians and percentiles by `ORDER BY … LIMIT 1 OFFSET k`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Timestamp};

use crate::db::DbConnection;

/// Rewrite `?` placeholders for PostgreSQL (`$1`, `$2`, …).
pub(super) fn sql_for(conn: &DbConnection, sql: &str) -> String {
    if !conn.is_postgres() {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// `floor(expr)` as an integer: PostgreSQL's FLOOR; SQLite (whose FLOOR needs the optional math
/// functions) truncates and steps down for negative values.
pub(super) fn floor_int(conn: &DbConnection, expr: &str) -> String {
    if conn.is_postgres() {
        format!("CAST(FLOOR({expr}) AS INTEGER)")
    } else {
        format!("(CAST({expr} AS INTEGER) - (({expr}) < CAST({expr} AS INTEGER)))")
    }
}

pub(super) fn minutes_between(conn: &DbConnection, later: &str, earlier: &str) -> String {
    if conn.is_postgres() {
        format!("CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) / 60.0 AS DOUBLE PRECISION)")
    } else {
        format!("((julianday({later}) - julianday({earlier})) * 1440.0)")
    }
}

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = Nullable<Double>)]
    v: Option<f64>,
}

#[derive(QueryableByName)]
pub(super) struct Cell {
    #[diesel(sql_type = Integer)]
    pub la: i32,
    #[diesel(sql_type = Integer)]
    pub lo: i32,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// The `k`-th smallest of `expr` over rows matching `filter` (two timestamp binds).
pub(super) fn nth(
    conn: &mut DbConnection,
    expr: &str,
    filter: &str,
    s: NaiveDateTime,
    e: NaiveDateTime,
    k: i64,
) -> QueryResult<Option<f64>> {
    let sql = sql_for(
        conn,
        &format!(
            "SELECT {expr} AS v FROM help_requests WHERE {filter} ORDER BY 1 LIMIT 1 OFFSET {k}"
        ),
    );
    let rows: Vec<Value> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(s)
        .bind::<Timestamp, _>(e)
        .load(conn)?;
    Ok(rows.first().and_then(|r| r.v))
}

/// Median (mean of the two middle values) and 90th percentile (nearest rank) of `expr`.
pub(super) fn median_p90(
    conn: &mut DbConnection,
    expr: &str,
    filter: &str,
    s: NaiveDateTime,
    e: NaiveDateTime,
    n: i64,
) -> QueryResult<(Option<f64>, Option<f64>)> {
    if n == 0 {
        return Ok((None, None));
    }
    let lo = nth(conn, expr, filter, s, e, (n - 1) / 2)?;
    let hi = nth(conn, expr, filter, s, e, n / 2)?;
    let median = lo.zip(hi).map(|(a, b)| (a + b) / 2.0);
    let rank = ((0.9 * n as f64).ceil() as i64).clamp(1, n) - 1;
    Ok((median, nth(conn, expr, filter, s, e, rank)?))
}

pub(super) fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| round4(a as f64 / b as f64))
}

pub(super) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
