//! A coordinator's batch run: assign every open request at once, the most served and then the
//! least total distance, with the exact solver in `matching::batch`.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::{facts, flow};
use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::matching::batch::{metres, solve, Edge};
use crate::matching::eligibility::check;
use crate::matching::rank::evaluate;
use crate::matching::{Candidate, HelperFacts};
use crate::service::Result;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proposal {
    pub request_id: String,
    pub helper_id: String,
    pub helper_name: String,
    pub distance_km: f64,
    pub score: f64,
    #[schema(value_type = String, format = DateTime)]
    pub start: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchRun {
    pub dry_run: bool,
    pub proposals: Vec<Proposal>,
    /// Open requests no eligible helper could take.
    pub unassigned: Vec<String>,
    pub total_distance_km: f64,
}

pub fn run(
    conn: &mut DbConnection,
    settings: &Settings,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<BatchRun> {
    let rows = db::requests::open_and_live(conn, now)?;
    let limits = settings.matching.limits();
    // Every helper who can reach any open request, once.
    let mut helpers: Vec<HelperFacts> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut eligible: Vec<Vec<Candidate>> = Vec::with_capacity(rows.len());
    let mut contexts = Vec::with_capacity(rows.len());
    for row in &rows {
        let job = facts::job(row);
        let ctx = facts::context(conn, row)?;
        let mut list = Vec::new();
        for h in facts::candidates(conn, row, now)? {
            if let Some(c) = evaluate(&h, &job, &ctx, &limits, &settings.matching.weights) {
                list.push(c);
            }
            if !index.contains_key(&h.id) {
                index.insert(h.id.clone(), helpers.len());
                helpers.push(h);
            }
        }
        eligible.push(list);
        contexts.push(ctx);
    }
    let capacity: Vec<u32> = helpers
        .iter()
        .map(|_| settings.matching.weekly_cap_jobs as u32)
        .collect();
    let edges: Vec<Vec<Edge>> = eligible
        .iter()
        .map(|l| {
            l.iter()
                .map(|c| Edge {
                    helper: index[&c.helper_id],
                    cost: metres(c.distance_km),
                })
                .collect()
        })
        .collect();
    let solution = solve(&edges, &capacity);

    // A helper's jobs must not overlap: place each in turn, keeping the travel buffer.
    let mut by_helper: HashMap<usize, Vec<usize>> = HashMap::new();
    for (j, h) in solution.assignment.iter().enumerate() {
        if let Some(h) = h {
            by_helper.entry(*h).or_default().push(j);
        }
    }
    let mut chosen: Vec<Option<Candidate>> = vec![None; rows.len()];
    for (h, mut jobs) in by_helper {
        let cand = |j: usize| {
            eligible[j]
                .iter()
                .find(|c| c.helper_id == helpers[h].id)
                .cloned()
        };
        jobs.sort_by_key(|&j| cand(j).map(|c| c.start));
        let mut facts = helpers[h].clone();
        for j in jobs {
            let job = facts::job(&rows[j]);
            if let (Ok(fit), Some(mut c)) = (check(&facts, &job, &contexts[j], &limits), cand(j)) {
                c.start = fit.start;
                facts.busy.push((
                    fit.start,
                    fit.start + chrono::Duration::minutes(job.duration_minutes),
                ));
                chosen[j] = Some(c);
            }
        }
    }

    let mut proposals = Vec::new();
    let mut unassigned = Vec::new();
    for (row, c) in rows.iter().zip(chosen) {
        match c {
            Some(c) => {
                if !dry_run {
                    flow::offer_to(conn, settings, row, &c, now)?;
                }
                proposals.push(Proposal {
                    request_id: row.id.clone(),
                    helper_id: c.helper_id,
                    helper_name: c.name,
                    distance_km: crate::matching::score::round(c.distance_km, 3),
                    score: crate::matching::score::round(c.score, 3),
                    start: c.start,
                });
            }
            None => unassigned.push(row.id.clone()),
        }
    }
    let total = proposals.iter().map(|p| p.distance_km).sum::<f64>();
    Ok(BatchRun {
        dry_run,
        proposals,
        unassigned,
        total_distance_km: crate::matching::score::round(total, 3),
    })
}
