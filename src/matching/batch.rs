//! Batch assignment: serve as many jobs as possible, then at the least total distance.
//!
//! Each job may go to one of its eligible helpers or stay unassigned; each helper takes at most
//! `capacity` jobs. Leaving a job unassigned costs more than any set of distances could (`BIG`),
//! so minimising total cost serves the most jobs first, then minimises distance. This is a
//! min-cost assignment (jobs on one side, helper places and one private "unassigned" place per job
//! on the other), solved exactly with shortest augmenting paths (Dijkstra on reduced costs, stopped
//! at the first free place), one job at a time. Costs are whole metres, so the optimum is exact.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use super::facts::SkillSet;
use crate::domain::{Category, Location};

/// One eligible pair: job → helper at `cost` (metres).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub helper: usize,
    pub cost: i64,
}

/// The solver's answer: for each job, its helper (index) or None.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    pub assignment: Vec<Option<usize>>,
    pub assigned: usize,
    pub total_cost: i64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Node {
    Job(usize),
    Helper(usize),
}

/// Solve the assignment. `edges[j]` lists job j's eligible helpers; `capacity[h]` is how many
/// jobs helper h may take.
pub fn solve(edges: &[Vec<Edge>], capacity: &[u32]) -> Solution {
    let jobs = edges.len();
    let helpers = capacity.len();
    let max_cost = edges
        .iter()
        .flatten()
        .map(|e| e.cost)
        .max()
        .unwrap_or(0)
        .max(0);
    let big = (max_cost + 1).saturating_mul(jobs as i64 + 1);

    // Current state.
    let mut job_helper: Vec<Option<usize>> = vec![None; jobs];
    let mut job_cost: Vec<i64> = vec![0; jobs];
    let mut helper_jobs: Vec<Vec<usize>> = vec![Vec::new(); helpers];
    // Potentials (dual values) keep reduced costs non-negative.
    let mut pj = vec![0i64; jobs];
    let mut ph = vec![0i64; helpers];
    // Scratch space reused across searches.
    let mut dj = vec![i64::MAX; jobs];
    let mut dh = vec![i64::MAX; helpers];
    let mut done_j = vec![false; jobs];
    let mut done_h = vec![false; helpers];
    let mut pred_j: Vec<usize> = vec![usize::MAX; jobs]; // job reached from helper
    let mut pred_h: Vec<usize> = vec![usize::MAX; helpers]; // helper reached from job
    let mut touched_j: Vec<usize> = Vec::new();
    let mut touched_h: Vec<usize> = Vec::new();

    for start in 0..jobs {
        let mut heap: BinaryHeap<Reverse<(i64, u8, usize)>> = BinaryHeap::new();
        dj[start] = 0;
        touched_j.push(start);
        heap.push(Reverse((0, 0, start)));
        // The end of the shortest path: a helper with room, or a job giving up its place.
        let mut end: Option<(Node, i64)> = None;
        // Best offer to end so far (reaching "free" via a job's own unassigned place or a helper's room).
        let mut best_end: Option<(i64, Node)> = None;
        while let Some(Reverse((d, kind, v))) = heap.pop() {
            if let Some((bd, node)) = best_end {
                if bd <= d {
                    end = Some((node, bd));
                    break;
                }
            }
            let node = if kind == 0 {
                Node::Job(v)
            } else {
                Node::Helper(v)
            };
            match node {
                Node::Job(j) => {
                    if done_j[j] || d > dj[j] {
                        continue;
                    }
                    done_j[j] = true;
                    // Give up its place: the job becomes unassigned (cost BIG, end potential 0).
                    if job_helper[j].is_some() || j == start {
                        let nd = d + big + pj[j];
                        if best_end.is_none_or(|(bd, _)| nd < bd) {
                            best_end = Some((nd, Node::Job(j)));
                        }
                    }
                    for e in &edges[j] {
                        if job_helper[j] == Some(e.helper) {
                            continue;
                        }
                        let h = e.helper;
                        let nd = d + e.cost + pj[j] - ph[h];
                        if !done_h[h] && nd < dh[h] {
                            if dh[h] == i64::MAX {
                                touched_h.push(h);
                            }
                            dh[h] = nd;
                            pred_h[h] = j;
                            heap.push(Reverse((nd, 1, h)));
                        }
                    }
                }
                Node::Helper(h) => {
                    if done_h[h] || d > dh[h] {
                        continue;
                    }
                    done_h[h] = true;
                    if (helper_jobs[h].len() as u32) < capacity[h] {
                        let nd = d + ph[h];
                        if best_end.is_none_or(|(bd, _)| nd < bd) {
                            best_end = Some((nd, Node::Helper(h)));
                        }
                    }
                    for &j in &helper_jobs[h] {
                        let nd = d - job_cost[j] + ph[h] - pj[j];
                        if !done_j[j] && nd < dj[j] {
                            if dj[j] == i64::MAX {
                                touched_j.push(j);
                            }
                            dj[j] = nd;
                            pred_j[j] = h;
                            heap.push(Reverse((nd, 0, j)));
                        }
                    }
                }
            }
        }
        if end.is_none() {
            end = best_end.map(|(bd, node)| (node, bd));
        }
        let (end_node, total) = end.expect("a job can always stay unassigned");

        // Update potentials: finalised nodes nearer than the end move by (d - total).
        for &j in &touched_j {
            if done_j[j] && dj[j] < total {
                pj[j] += dj[j] - total;
            }
        }
        for &h in &touched_h {
            if done_h[h] && dh[h] < total {
                ph[h] += dh[h] - total;
            }
        }

        // Augment along the path back to `start`.
        let mut cur = end_node;
        if let Node::Job(j) = cur {
            // j gives up its helper (if any) and becomes unassigned.
            if let Some(h) = job_helper[j].take() {
                helper_jobs[h].retain(|&x| x != j);
                cur = Node::Helper(h);
            } else {
                cur = Node::Job(j); // start itself stays unassigned
            }
        }
        while let Node::Helper(h) = cur {
            let j = pred_h[h];
            let cost = edges[j]
                .iter()
                .find(|e| e.helper == h)
                .map(|e| e.cost)
                .unwrap_or(0);
            let previous = job_helper[j].replace(h);
            job_cost[j] = cost;
            helper_jobs[h].push(j);
            match previous {
                Some(ph_prev) => {
                    helper_jobs[ph_prev].retain(|&x| x != j);
                    cur = Node::Helper(ph_prev);
                }
                None => cur = Node::Job(j),
            }
        }

        for &j in &touched_j {
            dj[j] = i64::MAX;
            done_j[j] = false;
            pred_j[j] = usize::MAX;
        }
        for &h in &touched_h {
            dh[h] = i64::MAX;
            done_h[h] = false;
            pred_h[h] = usize::MAX;
        }
        touched_j.clear();
        touched_h.clear();
    }

    let assigned = job_helper.iter().filter(|h| h.is_some()).count();
    let total_cost = job_helper
        .iter()
        .enumerate()
        .filter(|(_, h)| h.is_some())
        .map(|(j, _)| job_cost[j])
        .sum();
    Solution {
        assignment: job_helper,
        assigned,
        total_cost,
    }
}

// ---- The file format of `neighbourly match batch` ----

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceHelper {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub max_distance_km: f64,
    pub skills: Vec<Category>,
    #[serde(default = "one")]
    pub capacity: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceRequest {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Instance {
    pub helpers: Vec<InstanceHelper>,
    pub requests: Vec<InstanceRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub request_id: String,
    pub helper_id: String,
    pub distance_km: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub assignments: Vec<Assignment>,
    pub unassigned: Vec<String>,
    pub total_distance_km: f64,
}

/// Parse and check an instance file: every coordinate in range, distances positive, ids unique.
pub fn parse_instance(text: &str) -> Result<Instance, String> {
    let inst: Instance =
        serde_json::from_str(text).map_err(|e| format!("invalid instance: {e}"))?;
    let mut ids = std::collections::HashSet::new();
    for (i, h) in inst.helpers.iter().enumerate() {
        Location::parse(h.lat, h.lon).map_err(|_| format!("helpers[{i}]: lat/lon out of range"))?;
        if !(h.max_distance_km.is_finite() && h.max_distance_km >= 0.0) {
            return Err(format!(
                "helpers[{i}]: max_distance_km must be a number >= 0"
            ));
        }
        if !ids.insert(("h", h.id.as_str())) {
            return Err(format!("helpers[{i}]: duplicate id {:?}", h.id));
        }
    }
    for (i, r) in inst.requests.iter().enumerate() {
        Location::parse(r.lat, r.lon)
            .map_err(|_| format!("requests[{i}]: lat/lon out of range"))?;
        if !ids.insert(("r", r.id.as_str())) {
            return Err(format!("requests[{i}]: duplicate id {:?}", r.id));
        }
    }
    Ok(inst)
}

/// Metres, the unit the solver optimises in.
pub fn metres(km: f64) -> i64 {
    (km * 1000.0).round() as i64
}

/// The eligible pairs of an instance: skill, and distance within the helper's max distance.
/// Uses a spatial index so that far-away helpers are never looked at.
pub fn instance_edges(inst: &Instance) -> Vec<Vec<(usize, f64)>> {
    use rstar::primitives::GeomWithData;
    use rstar::{RTree, AABB};
    let skills: Vec<SkillSet> = inst
        .helpers
        .iter()
        .map(|h| SkillSet::of(&h.skills))
        .collect();
    // Index each helper's reach as a lat/lon box; a request looks up the boxes that hold it.
    let boxes: Vec<GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>> = inst
        .helpers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let reach = crate::domain::Location {
                lat: h.lat,
                lon: h.lon,
            }
            .reach_box(h.max_distance_km);
            GeomWithData::new(
                rstar::primitives::Rectangle::from_aabb(AABB::from_corners(
                    [reach.min_lat, reach.min_lon],
                    [reach.max_lat, reach.max_lon],
                )),
                i,
            )
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    inst.requests
        .iter()
        .map(|r| {
            let here = Location {
                lat: r.lat,
                lon: r.lon,
            };
            let mut list: Vec<(usize, f64)> = tree
                .locate_all_at_point(&[r.lat, r.lon])
                .filter_map(|b| {
                    let i = b.data;
                    let h = &inst.helpers[i];
                    if !skills[i].has(r.category) {
                        return None;
                    }
                    let d = Location {
                        lat: h.lat,
                        lon: h.lon,
                    }
                    .distance_km(here);
                    (d <= h.max_distance_km).then_some((i, d))
                })
                .collect();
            list.sort_by_key(|(i, _)| *i);
            list
        })
        .collect()
}

/// Solve an instance from the file format.
pub fn plan(inst: &Instance) -> Plan {
    let pairs = instance_edges(inst);
    let edges: Vec<Vec<Edge>> = pairs
        .iter()
        .map(|l| {
            l.iter()
                .map(|&(helper, d)| Edge {
                    helper,
                    cost: metres(d),
                })
                .collect()
        })
        .collect();
    let capacity: Vec<u32> = inst.helpers.iter().map(|h| h.capacity).collect();
    let solution = solve(&edges, &capacity);
    let mut assignments = Vec::new();
    let mut unassigned = Vec::new();
    for (j, h) in solution.assignment.iter().enumerate() {
        match h {
            Some(h) => {
                let d = pairs[j]
                    .iter()
                    .find(|(i, _)| i == h)
                    .map(|(_, d)| *d)
                    .unwrap_or(0.0);
                assignments.push(Assignment {
                    request_id: inst.requests[j].id.clone(),
                    helper_id: inst.helpers[*h].id.clone(),
                    distance_km: super::score::round(d, 3),
                });
            }
            None => unassigned.push(inst.requests[j].id.clone()),
        }
    }
    let total = assignments.iter().map(|a| a.distance_km).sum::<f64>();
    Plan {
        assignments,
        unassigned,
        total_distance_km: super::score::round(total, 3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Try every assignment: (most assigned, least cost).
    fn brute(edges: &[Vec<Edge>], capacity: &[u32]) -> (usize, i64) {
        fn go(
            j: usize,
            edges: &[Vec<Edge>],
            used: &mut Vec<u32>,
            cap: &[u32],
            n: usize,
            c: i64,
            best: &mut (usize, i64),
        ) {
            if j == edges.len() {
                if n > best.0 || (n == best.0 && c < best.1) {
                    *best = (n, c);
                }
                return;
            }
            go(j + 1, edges, used, cap, n, c, best);
            for e in &edges[j] {
                if used[e.helper] < cap[e.helper] {
                    used[e.helper] += 1;
                    go(j + 1, edges, used, cap, n + 1, c + e.cost, best);
                    used[e.helper] -= 1;
                }
            }
        }
        let mut best = (0, 0);
        go(
            0,
            edges,
            &mut vec![0; capacity.len()],
            capacity,
            0,
            0,
            &mut best,
        );
        best
    }

    /// A small deterministic generator, so that failures reproduce.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn matches_brute_force_on_small_random_instances() {
        let mut rng = Lcg(7);
        for case in 0..600 {
            let jobs = 1 + rng.next(7) as usize;
            let helpers = 1 + rng.next(5) as usize;
            let capacity: Vec<u32> = (0..helpers).map(|_| rng.next(3) as u32).collect();
            let mut edges: Vec<Vec<Edge>> = Vec::new();
            for _ in 0..jobs {
                let mut list = Vec::new();
                for h in 0..helpers {
                    if rng.next(100) < 60 {
                        list.push(Edge {
                            helper: h,
                            cost: rng.next(5000) as i64,
                        });
                    }
                }
                edges.push(list);
            }
            let got = solve(&edges, &capacity);
            // The answer is a valid assignment ...
            let mut used = vec![0u32; helpers];
            let mut cost = 0;
            for (j, h) in got.assignment.iter().enumerate() {
                if let Some(h) = h {
                    used[*h] += 1;
                    cost += edges[j]
                        .iter()
                        .find(|e| e.helper == *h)
                        .expect("eligible pair")
                        .cost;
                }
            }
            assert!(
                used.iter().zip(&capacity).all(|(u, c)| u <= c),
                "case {case}: capacity"
            );
            assert_eq!(cost, got.total_cost, "case {case}: cost adds up");
            // ... and optimal.
            assert_eq!(
                (got.assigned, got.total_cost),
                brute(&edges, &capacity),
                "case {case}: {edges:?} {capacity:?}"
            );
        }
    }

    #[test]
    fn prefers_serving_more_jobs_over_shorter_distance() {
        // Job 0 can go to helper 0 (near) or 1 (far); job 1 only to helper 0.
        let edges = vec![
            vec![
                Edge {
                    helper: 0,
                    cost: 100,
                },
                Edge {
                    helper: 1,
                    cost: 9000,
                },
            ],
            vec![Edge {
                helper: 0,
                cost: 200,
            }],
        ];
        let s = solve(&edges, &[1, 1]);
        assert_eq!(s.assignment, vec![Some(1), Some(0)]);
        assert_eq!(s.total_cost, 9200);
    }

    #[test]
    fn plan_reads_the_file_format() {
        let inst: Instance = serde_json::from_str(
            r#"{"helpers": [
                {"id": "h1", "lat": 51.4740, "lon": -0.0690, "max_distance_km": 2.0, "skills": ["gardening"], "capacity": 1},
                {"id": "h2", "lat": 51.4740, "lon": -0.0930, "max_distance_km": 2.0, "skills": ["gardening", "diy"], "capacity": 2}
              ],
              "requests": [
                {"id": "r1", "lat": 51.4740, "lon": -0.0700, "category": "gardening"},
                {"id": "r2", "lat": 51.4740, "lon": -0.0920, "category": "diy"},
                {"id": "r3", "lat": 51.6000, "lon": -0.0900, "category": "diy"}
              ]}"#,
        )
        .unwrap();
        let p = plan(&inst);
        assert_eq!(p.unassigned, vec!["r3"]);
        assert_eq!(p.assignments.len(), 2);
        assert_eq!(p.assignments[0].helper_id, "h1");
        assert_eq!(p.assignments[1].helper_id, "h2");
        assert!(p.total_distance_km < 0.2, "{p:?}");
    }
}
