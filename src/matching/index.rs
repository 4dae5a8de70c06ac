//! A spatial index over helpers' homes for ranking among very many helpers.
//!
//! Homes are points on the unit sphere in 3-D, so that the index's nearest-first order is exactly
//! great-circle order. Helpers are visited nearest first; the search stops once no farther helper
//! could beat the current `limit`-th best (distance costs points, and the only other gains are
//! bounded), or once it is beyond the longest reach any helper has. The member's previous helpers,
//! who may carry a continuity bonus, are scored separately first, so that the bound stays tight.

use std::collections::HashMap;

use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::eligibility::Limits;
use super::facts::{HelperFacts, JobFacts, MemberContext};
use super::rank::{better, evaluate, Candidate};
use super::score::Weights;
use crate::domain::Location;

/// geo's mean Earth radius, km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

type Entry = GeomWithData<[f64; 3], usize>;

fn unit_vector(l: Location) -> [f64; 3] {
    let (lat, lon) = (l.lat.to_radians(), l.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Great-circle distance (km) for a chord length on the unit sphere.
fn chord_to_km(chord: f64) -> f64 {
    2.0 * (chord / 2.0).clamp(0.0, 1.0).asin() * EARTH_RADIUS_KM
}

pub struct HelperIndex {
    tree: RTree<Entry>,
    helpers: Vec<HelperFacts>,
    by_id: HashMap<String, usize>,
    max_reach_km: f64,
}

impl HelperIndex {
    pub fn new(helpers: Vec<HelperFacts>) -> Self {
        let entries = helpers
            .iter()
            .enumerate()
            .map(|(i, h)| Entry::new(unit_vector(h.home), i))
            .collect();
        let by_id = helpers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.clone(), i))
            .collect();
        let max_reach_km = helpers
            .iter()
            .map(|h| h.max_distance_km)
            .fold(0.0, f64::max);
        HelperIndex {
            tree: RTree::bulk_load(entries),
            helpers,
            by_id,
            max_reach_km,
        }
    }

    pub fn len(&self) -> usize {
        self.helpers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.helpers.is_empty()
    }

    pub fn helpers(&self) -> &[HelperFacts] {
        &self.helpers
    }

    /// The best `limit` eligible helpers for the job, best first; the same answer as
    /// [`super::rank`] over every helper.
    pub fn rank(
        &self,
        job: &JobFacts,
        ctx: &MemberContext,
        limits: &Limits,
        weights: &Weights,
        limit: usize,
    ) -> Vec<Candidate> {
        if limit == 0 {
            return Vec::new();
        }
        let mut best: Vec<Candidate> = ctx
            .history
            .keys()
            .filter_map(|id| self.by_id.get(id))
            .filter_map(|&i| evaluate(&self.helpers[i], job, ctx, limits, weights))
            .collect();
        best.sort_by(better);
        best.truncate(limit);
        let bonus = weights.max_non_continuity_bonus();
        let target = unit_vector(job.location);
        for entry in self.tree.nearest_neighbor_iter(&target) {
            let h = &self.helpers[entry.data];
            let p = entry.geom();
            let chord = ((p[0] - target[0]).powi(2)
                + (p[1] - target[1]).powi(2)
                + (p[2] - target[2]).powi(2))
            .sqrt();
            let km = chord_to_km(chord);
            if km > self.max_reach_km + 1e-9 {
                break;
            }
            if best.len() == limit {
                let bound = super::score::BASE_SCORE - weights.distance_per_km * km + bonus;
                if bound < best[limit - 1].score {
                    break;
                }
            }
            if ctx.history.contains_key(&h.id) {
                continue;
            }
            if let Some(c) = evaluate(h, job, ctx, limits, weights) {
                let pos = best
                    .binary_search_by(|x| better(x, &c))
                    .unwrap_or_else(|e| e);
                if pos < limit {
                    best.insert(pos, c);
                    best.truncate(limit);
                }
            }
        }
        best
    }
}
