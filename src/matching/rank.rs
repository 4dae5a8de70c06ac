//! Rank the eligible helpers for one job, best first.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::eligibility::{check, Limits};
use super::facts::{HelperFacts, JobFacts, MemberContext};
use super::score::{Reasons, Weights};

/// An eligible helper with their score, reasons, and when they could start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub helper_id: String,
    pub name: String,
    pub distance_km: f64,
    pub score: f64,
    pub start: DateTime<Utc>,
    pub reasons: Reasons,
}

/// Best first: higher score, then nearer, then helper id (so that the order is stable).
pub fn better(a: &Candidate, b: &Candidate) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.distance_km.total_cmp(&b.distance_km))
        .then_with(|| a.helper_id.cmp(&b.helper_id))
}

/// Score one helper if eligible.
pub fn evaluate(
    h: &HelperFacts,
    job: &JobFacts,
    ctx: &MemberContext,
    limits: &Limits,
    weights: &Weights,
) -> Option<Candidate> {
    let fit = check(h, job, ctx, limits).ok()?;
    let (score, reasons) = weights.score(h, fit.distance_km, ctx);
    Some(Candidate {
        helper_id: h.id.clone(),
        name: h.name.clone(),
        distance_km: fit.distance_km,
        score,
        start: fit.start,
        reasons,
    })
}

/// Every eligible helper among `helpers`, best first, at most `limit`.
pub fn rank<'a>(
    helpers: impl IntoIterator<Item = &'a HelperFacts>,
    job: &JobFacts,
    ctx: &MemberContext,
    limits: &Limits,
    weights: &Weights,
    limit: usize,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = helpers
        .into_iter()
        .filter_map(|h| evaluate(h, job, ctx, limits, weights))
        .collect();
    out.sort_by(better);
    out.truncate(limit);
    out
}
