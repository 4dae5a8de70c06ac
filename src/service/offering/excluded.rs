//! Why nobody fits: how many helpers with the skill near a job each hard rule turned away (the
//! first rule each one failed), so that a coordinator sees what to change.

use std::collections::HashMap;

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
    Ok(excluded_each(conn, settings, &[row], now)?
        .remove(&row.id)
        .unwrap_or_default())
}

/// [`excluded`] for each of these jobs, by job id, in the same few statements however many: one
/// read of the helpers near any of them, their facts once (busy times over all the jobs'
/// weeks), and the members' contexts together.
pub fn excluded_each(
    conn: &mut DbConnection,
    settings: &Settings,
    rows: &[&RequestRow],
    now: NaiveDateTime,
) -> diesel::QueryResult<HashMap<String, Vec<Excluded>>> {
    let Some(first) = rows.first() else {
        return Ok(HashMap::new());
    };
    // One box holding every job's circle of NEAR_KM: around the first job, as far as the
    // farthest one plus NEAR_KM.
    let centre = first.location();
    let reach = rows
        .iter()
        .map(|r| centre.distance_km(r.location()))
        .fold(0.0, f64::max)
        + NEAR_KM;
    let filter = HelperFilter {
        near: Some((centre, reach)),
        ..HelperFilter::default()
    };
    let near: Vec<_> = db::directory::list_helpers(conn, &filter, None)?
        .into_iter()
        .filter(|(u, h)| {
            u.is_active()
                && rows
                    .iter()
                    .any(|r| h.home().distance_km(r.location()) <= NEAR_KM)
        })
        .map(|(u, h)| (u.name, h))
        .collect();
    if near.is_empty() {
        return Ok(rows.iter().map(|r| (r.id.clone(), Vec::new())).collect());
    }
    let from = rows
        .iter()
        .map(|r| db::matching::busy_range(r.window_start, r.window_end).0)
        .min()
        .unwrap_or(first.window_start);
    let to = rows
        .iter()
        .map(|r| db::matching::busy_range(r.window_start, r.window_end).1)
        .max()
        .unwrap_or(first.window_end);
    let helpers = facts::helpers(conn, near, from, to, now)?;
    let mut contexts = facts::contexts(conn, rows)?;
    let limits = settings.matching.limits();
    Ok(rows
        .iter()
        .map(|row| {
            let at = row.location();
            let ctx = contexts.remove(&row.id).unwrap_or_default();
            let job = facts::job(row);
            let mut counts = [0usize; Rule::ALL.len()];
            for h in helpers
                .iter()
                .filter(|h| h.skills.has(row.category) && h.home.distance_km(at) <= NEAR_KM)
            {
                if let Err(rule) = eligibility::check(h, &job, &ctx, &limits) {
                    counts[Rule::ALL.iter().position(|r| *r == rule).unwrap_or(0)] += 1;
                }
            }
            let why = Rule::ALL
                .iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .map(|(rule, count)| Excluded { rule: *rule, count })
                .collect();
            (row.id.clone(), why)
        })
        .collect())
}
