//! Who to offer a job to, best first: the matcher's ranking over the helpers who fit, made
//! before the write transaction and checked again inside it.

use std::collections::HashSet;

use chrono::NaiveDateTime;

use super::facts;
use crate::config::Settings;
use crate::db::{self, matching::HelperKey, requests::RequestRow, DbConnection};
use crate::matching::{self, Candidate};

/// How many helpers' facts are read at a time, nearest first.
const BATCH: usize = 24;

/// The rings the helpers who can reach a job are read in, nearest first: those whose home lies
/// within each distance of it (km), then everyone else who can reach it. With a million helpers
/// over London about 60 of a skill live within half a kilometre of a place and 3,500 can reach it;
/// the ranking usually stops in the first or second ring.
const RINGS_KM: [Option<f64>; 5] = [Some(0.5), Some(1.0), Some(2.0), Some(4.0), None];

/// Rank the eligible helpers for a request, best first.
pub fn rank(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    limit: usize,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<Candidate>> {
    let ctx = facts::context(conn, row)?;
    rank_nearest_first(conn, settings, row, &ctx, limit, now)
}

/// The best `limit` eligible helpers, best first: the same answer as [`matching::rank`] over
/// every helper who can reach the job, without reading most of them. The spatial index gives who
/// can reach the place (ids and homes only), a ring of distance at a time; they are taken nearest
/// first, a batch at a time, with their facts (availability, busy times, hours, ratings) read for
/// that batch alone. The scan stops once no farther helper could beat the `limit`-th best:
/// distance costs points, and every other gain but continuity is bounded; the member's previous
/// helpers, who may carry continuity, are scored first.
pub fn rank_nearest_first(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    ctx: &matching::MemberContext,
    limit: usize,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<Candidate>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let job = facts::job(row);
    let limits = settings.matching.limits();
    let weights = &settings.matching.weights;
    let mut best: Vec<Candidate> = Vec::new();
    let consider = |helpers: Vec<matching::HelperFacts>, best: &mut Vec<Candidate>| {
        for h in &helpers {
            if let Some(c) = matching::rank::evaluate(h, &job, ctx, &limits, weights) {
                let at = best.binary_search_by(|x| matching::rank::better(x, &c));
                best.insert(at.unwrap_or_else(|e| e), c);
                best.truncate(limit);
            }
        }
    };
    // Whether nobody whose home is at least `km` away (as the index gives it, which may be a
    // little off: the bound allows for it) could beat the `limit`-th best.
    let bonus = weights.max_non_continuity_bonus();
    let beaten = |km: f64, best: &[Candidate]| {
        let nearest = km - db::matching::INDEXED_HOME_SLACK_KM;
        best.len() == limit
            && matching::score::BASE_SCORE - weights.distance_per_km * nearest + bonus
                < best[limit - 1].score
    };
    let history: Vec<String> = ctx.history.keys().cloned().collect();
    let theirs = db::matching::keys_of(conn, &history)?;
    if !theirs.is_empty() {
        consider(facts::helpers_by_key(conn, row, &theirs, now)?, &mut best);
    }
    let theirs: HashSet<HelperKey> = theirs.into_iter().collect();
    // Every helper whose home is at most this far from the job has been weighed.
    let mut weighed_km = f64::NEG_INFINITY;
    for ring in RINGS_KM {
        if beaten(weighed_km.max(0.0), &best) {
            break;
        }
        let mut reach: Vec<(f64, HelperKey)> =
            db::matching::reach_of_helpers_reaching(conn, job.location, row.category, ring)?
                .into_iter()
                .map(|r| (r.home.distance_km(job.location), r.key))
                .filter(|(km, key)| {
                    *km > weighed_km && ring.is_none_or(|r| *km <= r) && !theirs.contains(key)
                })
                .collect();
        reach.sort_by(|a, b| a.0.total_cmp(&b.0));
        for batch in reach.chunks(BATCH) {
            if beaten(batch[0].0, &best) {
                return Ok(best);
            }
            let keys: Vec<HelperKey> = batch.iter().map(|(_, key)| key.clone()).collect();
            consider(facts::helpers_by_key(conn, row, &keys, now)?, &mut best);
        }
        weighed_km = ring.unwrap_or(f64::INFINITY);
    }
    Ok(best)
}

/// The best helpers for a request not yet in the database, ranked before its write transaction
/// (so that SQLite's single writer is not held while ranking), with the member's context they
/// were ranked in; [`write_and_offer`] checks them again inside it.
pub struct RankedBefore {
    pub(super) ctx: matching::MemberContext,
    pub(super) ranked: Vec<Candidate>,
}

/// Rank the helpers for a request about to be written, outside its write transaction.
pub fn rank_before_writing(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    now: NaiveDateTime,
) -> diesel::QueryResult<RankedBefore> {
    let ctx = facts::context(conn, row)?;
    let ranked = rank_nearest_first(
        conn,
        settings,
        row,
        &ctx,
        settings.matching.offers_per_request,
        now,
    )?;
    Ok(RankedBefore { ctx, ranked })
}
