//! Why nobody fits: how many helpers with the skill near a job each hard rule turned away (the
//! first rule each one failed), so that a coordinator sees what to change.

use chrono::NaiveDateTime;

use super::facts;
use crate::config::Settings;
use crate::db::{self, requests::RequestRow, DbConnection};
use crate::domain::directory::HelperFilter;
use crate::matching::{eligibility, Rule};
use crate::service::views::Excluded;

/// How far from the job a helper is counted, in kilometres.
pub const NEAR_KM: f64 = 10.0;

/// Per hard rule, in the matcher's order, how many active helpers with the skill within
/// [`NEAR_KM`] of the job it turned away; rules that turned nobody away are left out.
pub fn excluded(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<Excluded>> {
    let at = row.location();
    let filter = HelperFilter {
        skill: Some(row.category),
        near: Some((at, NEAR_KM)),
        ..HelperFilter::default()
    };
    let rows: Vec<_> = db::directory::list_helpers(conn, &filter, None)?
        .into_iter()
        .filter(|(u, h)| u.is_active() && h.home().distance_km(at) <= NEAR_KM)
        .map(|(u, h)| (u.name, h))
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ctx = facts::context(conn, row)?;
    let (from, to) = db::matching::busy_range(row.window_start, row.window_end);
    let helpers = facts::helpers(conn, rows, from, to, now)?;
    let job = facts::job(row);
    let limits = settings.matching.limits();
    let mut counts = [0usize; Rule::ALL.len()];
    for h in &helpers {
        if let Err(rule) = eligibility::check(h, &job, &ctx, &limits) {
            counts[Rule::ALL.iter().position(|r| *r == rule).unwrap_or(0)] += 1;
        }
    }
    Ok(Rule::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(rule, count)| Excluded { rule: *rule, count })
        .collect())
}
