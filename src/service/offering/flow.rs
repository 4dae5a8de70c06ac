//! Offers: make them, accept one (first accept wins), decline one (and re-offer when none is left).

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};

use super::facts;
use crate::config::Settings;
use crate::db::{self, matching::HelperKey, offers::OfferRow, requests::RequestRow, DbConnection};
use crate::domain::RequestStatus;
use crate::domain::{AuditAction, HelperId, OfferId, OfferStatus, VettingStatus};
use crate::matching::{self, Candidate};
use crate::service::{Error, Result};

/// When a new offer lapses: after the TTL counted in waking hours, or sooner when the job must
/// start soon.
pub fn offer_expiry(settings: &Settings, row: &RequestRow, now: NaiveDateTime) -> NaiveDateTime {
    open_for(
        settings,
        row,
        now,
        Duration::minutes(settings.matching.offer_ttl_minutes),
    )
}

/// `length` of the Circle's waking hours from `now`, but no later than the job's latest start.
fn open_for(
    settings: &Settings,
    row: &RequestRow,
    now: NaiveDateTime,
    length: Duration,
) -> NaiveDateTime {
    let latest_start = row.window_end - Duration::minutes(row.duration_minutes.into());
    settings
        .quiet_hours()
        .add_waking(now.and_utc(), length)
        .naive_utc()
        .min(latest_start)
        .max(now + Duration::minutes(1))
}

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

/// How many helpers' facts are read at a time, nearest first.
const BATCH: usize = 24;

/// The rings the helpers who can reach a job are read in, nearest first: those whose home lies
/// within each distance of it (km), then everyone else who can reach it. With a million helpers
/// over London about 60 of a skill live within half a kilometre of a place and 3,500 can reach it;
/// the ranking usually stops in the first or second ring.
const RINGS_KM: [Option<f64>; 5] = [Some(0.5), Some(1.0), Some(2.0), Some(4.0), None];

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

/// Offer the job to each of `offered`, in a few statements whatever their number: the new offers
/// in one insert, the helpers' emails in one read and one insert. A helper in `reopen` whose
/// withdrawn offer for this job is still there has it opened anew (one offer per helper and
/// request).
fn make_offers(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    offered: &[Candidate],
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
    reopen: &HashSet<String>,
) -> Result<()> {
    let mut new = Vec::with_capacity(offered.len());
    for c in offered {
        let offer = OfferRow {
            id: db::new_id(),
            request_id: row.id.clone(),
            helper_id: c.helper_id.clone(),
            status: OfferStatus::Open,
            score: c.score,
            distance_km: c.distance_km,
            reasons: serde_json::to_string(&c.reasons)?,
            start_at: c.start.naive_utc(),
            created_at: now,
            expires_at,
            responded_at: None,
        };
        if reopen.contains(&c.helper_id) {
            // The earlier offer's lines stay in the request's story.
            if let Some(old) = db::offers::withdrawn_of(conn, &row.id, &c.helper_id)? {
                let kept = serde_json::json!({
                    "helper": old.helper_id,
                    "offered_at": old.created_at,
                    "km": old.distance_km,
                    "answer": old.status.as_str(),
                    "answered_at": old.responded_at,
                });
                db::audit::record(
                    conn,
                    now,
                    None,
                    AuditAction::OfferSuperseded,
                    &row.id,
                    Some(&kept.to_string()),
                )?;
            }
            if db::offers::reopen(conn, &offer)? {
                continue;
            }
        }
        new.push(offer);
    }
    db::offers::insert_all(conn, &new)?;
    let helpers: Vec<&str> = offered.iter().map(|c| c.helper_id.as_str()).collect();
    let made = db::offers::open_for(conn, &row.id, &helpers)?;
    crate::notify::events::offers_made(conn, settings, row, &made, now)?;
    Ok(())
}

/// Serialise work on one request across processes: on PostgreSQL this takes the row lock for the
/// rest of the transaction (SQLite's write transaction already holds the database lock).
fn lock_request(conn: &mut DbConnection, id: &str) -> Result<Option<RequestRow>> {
    db::requests::lock(conn, id)?;
    Ok(db::requests::get(conn, id)?)
}

/// The best helpers for a request not yet in the database, ranked before its write transaction
/// (so that SQLite's single writer is not held while ranking), with the member's context they
/// were ranked in; [`write_and_offer`] checks them again inside it.
pub struct RankedBefore {
    ctx: matching::MemberContext,
    ranked: Vec<Candidate>,
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

/// Write a new request, offered to the helpers ranked before the transaction if every one still
/// passes every hard rule on what the database says now (otherwise ranked again here), or open
/// when nobody is eligible. A request written in this transaction has no offers yet, nobody has
/// turned it down, and no other caller can see it: none of [`offer_next_with`]'s checks on an
/// existing request applies. Of the member's context only their blocks decide who may be
/// offered, and they are read again; their history only weighs the score and is taken from
/// before. Returns the row as written.
pub fn write_and_offer(
    conn: &mut DbConnection,
    settings: &Settings,
    row: RequestRow,
    before: RankedBefore,
    now: NaiveDateTime,
) -> Result<RequestRow> {
    let RankedBefore { mut ctx, ranked } = before;
    ctx.blocked = facts::blocked(conn, &row.member_id)?;
    let rechecked = match ranked.is_empty() {
        true => None,
        false => recheck(conn, settings, &row, &ctx, &ranked, now)?,
    };
    let ranked = match rechecked {
        Some(ranked) => ranked,
        None => {
            let limit = settings.matching.offers_per_request;
            rank_nearest_first(conn, settings, &row, &ctx, limit, now)?
        }
    };
    let status = match ranked.is_empty() {
        true => RequestStatus::Open,
        false => RequestStatus::Offered,
    };
    let row = RequestRow { status, ..row };
    db::requests::insert(conn, &row)?;
    let expires_at = offer_expiry(settings, &row, now);
    make_offers(
        conn,
        settings,
        &row,
        &ranked,
        expires_at,
        now,
        &HashSet::new(),
    )?;
    Ok(row)
}

/// If the request has no open offer, offer it to the next best eligible helpers. Returns how
/// many offers were made. The request becomes `offered`, or stays (or goes back to) `open` when
/// nobody is eligible.
pub fn offer_next(
    conn: &mut DbConnection,
    settings: &Settings,
    request_id: &str,
    now: NaiveDateTime,
) -> Result<usize> {
    let Some(row) = lock_request(conn, request_id)? else {
        return Err(Error::NotFound);
    };
    let status = row.status();
    if !matches!(status, RequestStatus::Open | RequestStatus::Offered) {
        return Ok(0);
    }
    if db::offers::open_count(conn, request_id, now)? > 0 {
        return Ok(0);
    }
    // Who holds an offer (open, or accepted) is not offered it again, nor who turned it down
    // (in the context); an offer withdrawn because someone else said yes, and that person then
    // withdrew or did not come, is opened anew.
    let mut ctx = facts::context(conn, &row)?;
    let mut withdrawn = std::collections::HashSet::new();
    for (helper, status) in db::offers::offered_helpers(conn, request_id)? {
        match status {
            OfferStatus::Withdrawn => {
                withdrawn.insert(helper);
            }
            OfferStatus::Open | OfferStatus::Accepted => {
                ctx.declined.insert(helper);
            }
            OfferStatus::Declined | OfferStatus::Lapsed => {}
        }
    }
    let limit = settings.matching.offers_per_request;
    let ranked = rank_nearest_first(conn, settings, &row, &ctx, limit, now)?;
    let expires_at = offer_expiry(settings, &row, now);
    make_offers(conn, settings, &row, &ranked, expires_at, now, &withdrawn)?;
    let to = if ranked.is_empty() {
        RequestStatus::Open
    } else {
        RequestStatus::Offered
    };
    if to != status {
        db::requests::set_status(conn, request_id, status, to)?;
    }
    Ok(ranked.len())
}

/// The helpers ranked before, scored again on fresh facts; `None` when any no longer passes.
fn recheck(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    ctx: &matching::MemberContext,
    before: &[Candidate],
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<Vec<Candidate>>> {
    let ids: Vec<String> = before.iter().map(|c| c.helper_id.clone()).collect();
    let job = facts::job(row);
    let limits = settings.matching.limits();
    let fresh = facts::some_helpers(conn, row, &ids, now)?;
    let mut again: Vec<Candidate> = fresh
        .iter()
        .filter_map(|h| matching::rank::evaluate(h, &job, ctx, &limits, &settings.matching.weights))
        .collect();
    if again.len() != before.len() {
        return Ok(None);
    }
    again.sort_by(matching::rank::better);
    Ok(Some(again))
}

/// Offer an occurrence of a standing request to its regular helper alone, open for
/// `hours` (first refusal); false when they cannot take it (away, busy, no longer approved …),
/// and the caller offers it as usual.
pub fn offer_to_regular(
    conn: &mut DbConnection,
    settings: &Settings,
    request_id: &str,
    helper_id: &str,
    hours: i64,
    now: NaiveDateTime,
) -> Result<bool> {
    let Some(row) = lock_request(conn, request_id)? else {
        return Err(Error::NotFound);
    };
    if !matches!(row.status(), RequestStatus::Open | RequestStatus::Offered)
        || db::offers::open_count(conn, request_id, now)? > 0
    {
        return Ok(false);
    }
    let ctx = facts::context(conn, &row)?;
    let Some(h) = facts::one_helper(conn, &row, helper_id, now)? else {
        return Ok(false);
    };
    let job = facts::job(&row);
    let limits = settings.matching.limits();
    let Some(c) = matching::rank::evaluate(&h, &job, &ctx, &limits, &settings.matching.weights)
    else {
        return Ok(false);
    };
    let expires_at = open_for(settings, &row, now, Duration::hours(hours));
    let reopen = HashSet::from([c.helper_id.clone()]);
    make_offers(conn, settings, &row, &[c], expires_at, now, &reopen)?;
    if row.status() == RequestStatus::Open {
        db::requests::set_status(conn, &row.id, RequestStatus::Open, RequestStatus::Offered)?;
    }
    Ok(true)
}

/// Offer a request to one chosen helper (batch runs).
pub fn offer_to(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &RequestRow,
    c: &Candidate,
    now: NaiveDateTime,
) -> Result<()> {
    let expires_at = offer_expiry(settings, row, now);
    make_offers(
        conn,
        settings,
        row,
        std::slice::from_ref(c),
        expires_at,
        now,
        &HashSet::new(),
    )?;
    if row.status() == RequestStatus::Open {
        db::requests::set_status(conn, &row.id, RequestStatus::Open, RequestStatus::Offered)?;
    }
    Ok(())
}

/// Load an offer that belongs to `helper_id`; anyone else's is a 404.
fn own_offer(
    conn: &mut DbConnection,
    offer_id: &OfferId,
    helper_id: &HelperId,
) -> Result<OfferRow> {
    match db::offers::get(conn, offer_id.as_str())? {
        Some(o) if o.helper_id == helper_id.as_str() => Ok(o),
        _ => Err(Error::NotFound),
    }
}

/// Why the offer cannot be answered now: the rule its `actions` show.
fn not_open(o: &OfferRow, now: NaiveDateTime) -> Option<String> {
    crate::domain::actions::offer_closed(o.status, o.expires_at, now)
}

/// Accept an offer. Exactly one helper wins a request: the conditional update on the request
/// decides; everyone else's offers are withdrawn and later accepts get a 409.
pub fn accept(
    conn: &mut DbConnection,
    settings: &Settings,
    offer_id: &OfferId,
    helper_id: &HelperId,
    now: NaiveDateTime,
) -> Result<(OfferRow, RequestRow)> {
    let offer = own_offer(conn, offer_id, helper_id)?;
    if let Some(why) = not_open(&offer, now) {
        return Err(Error::Conflict(why));
    }
    let approved = db::helpers::get(conn, helper_id.as_str())?
        .is_some_and(|(_, h)| h.vetting_status == VettingStatus::Approved);
    if !approved {
        return Err(Error::Conflict(
            "Only approved helpers can take jobs; please contact your coordinator.".into(),
        ));
    }
    if !db::requests::assign(
        conn,
        &offer.request_id,
        helper_id.as_str(),
        offer.start_at,
        offer.distance_km,
        now,
    )? {
        db::offers::respond(conn, offer_id.as_str(), OfferStatus::Withdrawn, now)?;
        return Err(Error::Conflict(
            "This job was taken by another helper.".into(),
        ));
    }
    db::offers::respond(conn, offer_id.as_str(), OfferStatus::Accepted, now)?;
    db::offers::withdraw_open(conn, &offer.request_id, now)?;
    let request = db::requests::get(conn, &offer.request_id)?.ok_or(Error::NotFound)?;
    crate::notify::events::job_taken(conn, settings, &request, now)?;
    db::audit::record(
        conn,
        now,
        Some(helper_id.as_str()),
        AuditAction::OfferAccepted,
        &offer.request_id,
        Some(offer_id.as_str()),
    )?;
    db::audit::record(
        conn,
        now,
        Some(helper_id.as_str()),
        AuditAction::MemberAddressRevealed,
        &request.member_id,
        Some(&request.id),
    )?;
    let offer = db::offers::get(conn, offer_id.as_str())?.ok_or(Error::NotFound)?;
    Ok((offer, request))
}

/// Decline an offer; when it was the last one open, the next best helpers are offered the job.
pub fn decline(
    conn: &mut DbConnection,
    settings: &Settings,
    offer_id: &OfferId,
    helper_id: &HelperId,
    now: NaiveDateTime,
) -> Result<OfferRow> {
    let offer = own_offer(conn, offer_id, helper_id)?;
    if let Some(why) = not_open(&offer, now) {
        return Err(Error::Conflict(why));
    }
    db::offers::respond(conn, offer_id.as_str(), OfferStatus::Declined, now)?;
    offer_next(conn, settings, &offer.request_id, now)?;
    db::offers::get(conn, offer_id.as_str())?.ok_or(Error::NotFound)
}

/// Move a request to `to` with `apply`, a conditional update that reports whether it changed the
/// row. A step the lifecycle forbids is a 409 with the reason; so is losing a race to another
/// caller, with the reason the new state gives. Returns the request as it now is.
pub fn transition(
    conn: &mut DbConnection,
    row: &RequestRow,
    to: RequestStatus,
    apply: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<bool>,
) -> Result<RequestRow> {
    row.status().check_transition(to).map_err(Error::Conflict)?;
    if !apply(conn)? {
        let now = db::requests::get(conn, &row.id)?.ok_or(Error::NotFound)?;
        now.status().check_transition(to).map_err(Error::Conflict)?;
        return Err(Error::Conflict(
            "The request changed while this was being done; try again.".into(),
        ));
    }
    db::requests::get(conn, &row.id)?.ok_or(Error::NotFound)
}

/// A coordinator's assignment by hand.
pub struct ByHand<'a> {
    pub helper_id: &'a str,
    /// Assign even though a hard rule fails (needs `reason`; logged).
    pub force: bool,
    pub reason: Option<&'a str>,
    pub coordinator_id: &'a str,
}

/// Give a request to a named helper. The matcher's hard rules apply unless forced; a forced
/// assignment is written to the audit log with the rule it broke and the reason given.
/// Whether a coordinator has suspended this helper.
fn suspended(conn: &mut DbConnection, helper_id: &str) -> Result<bool> {
    Ok(db::helpers::get(conn, helper_id)?
        .is_some_and(|(_, h)| h.vetting_status == VettingStatus::Suspended))
}

pub fn assign_by_hand(
    conn: &mut DbConnection,
    settings: &Settings,
    request_id: &str,
    by: &ByHand<'_>,
    now: NaiveDateTime,
) -> Result<RequestRow> {
    let row = db::requests::get(conn, request_id)?.ok_or(Error::NotFound)?;
    let Some(helper) = facts::one_helper(conn, &row, by.helper_id, now)? else {
        return Err(Error::invalid("helper_id", "no helper has this id"));
    };
    row.status()
        .check_transition(RequestStatus::Assigned)
        .map_err(Error::Conflict)?;
    let job = facts::job(&row);
    let ctx = facts::context(conn, &row)?;
    let limits = settings.matching.limits();
    let start = match matching::eligibility::check(&helper, &job, &ctx, &limits) {
        Ok(fit) => fit.start,
        // No reason sends a suspended helper, or one whose vetting has lapsed, into a home.
        Err(rule)
            if rule == matching::eligibility::Rule::VettingValid
                || (rule == matching::eligibility::Rule::Approved
                    && suspended(conn, by.helper_id)?) =>
        {
            let why = match rule {
                matching::eligibility::Rule::Approved => "the helper is suspended",
                _ => rule.describe(),
            };
            return Err(Error::Conflict(format!(
                "This helper cannot take the job: {why}."
            )));
        }
        Err(rule) if !by.force => {
            return Err(Error::Conflict(format!(
                "This helper cannot take the job: {}. Use force with a reason to override.",
                rule.describe()
            )));
        }
        Err(rule) => {
            let detail = format!(
                "override: {}; reason: {}",
                rule.describe(),
                by.reason.unwrap_or_default()
            );
            tracing::warn!(request_id, helper_id = by.helper_id, %detail, "hard rule overridden");
            db::audit::record(
                conn,
                now,
                Some(by.coordinator_id),
                AuditAction::RequestAssignForced,
                request_id,
                Some(&detail),
            )?;
            matching::eligibility::earliest_start(&helper, &job, &limits)
                .unwrap_or(job.window_start)
        }
    };
    let distance = helper.home.distance_km(job.location);
    let row = transition(conn, &row, RequestStatus::Assigned, |c| {
        db::requests::assign(
            c,
            request_id,
            by.helper_id,
            start.naive_utc(),
            distance,
            now,
        )
    })?;
    db::offers::withdraw_open(conn, request_id, now)?;
    crate::notify::events::job_taken(conn, settings, &row, now)?;
    db::audit::record(
        conn,
        now,
        Some(by.coordinator_id),
        AuditAction::RequestAssigned,
        request_id,
        Some(by.helper_id),
    )?;
    db::audit::record(
        conn,
        now,
        Some(by.helper_id),
        AuditAction::MemberAddressRevealed,
        &row.member_id,
        Some(request_id),
    )?;
    Ok(row)
}

/// A helper stopped being approved (rejected or suspended) or was deactivated: they stop being
/// anyone's regular helper, and their open offers are withdrawn and those jobs passed on to the
/// next best helpers. Returns how many jobs were passed on.
pub fn helper_withdrawn(
    conn: &mut DbConnection,
    settings: &Settings,
    helper_id: &str,
    now: NaiveDateTime,
) -> Result<usize> {
    db::series::drop_helper(conn, helper_id)?;
    let requests = db::offers::withdraw_for_helper(conn, helper_id, now)?;
    for request_id in &requests {
        offer_next(conn, settings, request_id, now)?;
    }
    Ok(requests.len())
}

/// A coordinator's vetting decision: record it and audit it; approving emails the helper,
/// rejecting or suspending withdraws their open offers and passes those jobs on.
pub fn decide_vetting(
    conn: &mut DbConnection,
    settings: &Settings,
    helper_id: &str,
    change: &db::helpers::VettingChange<'_>,
) -> Result<()> {
    if db::helpers::set_vetting(conn, helper_id, change)? == 0 {
        return Err(Error::NotFound);
    }
    let detail = format!(
        "status={} expires_on={:?}",
        change.status, change.expires_on
    );
    db::audit::record(
        conn,
        change.at,
        Some(change.by),
        AuditAction::HelperVetting,
        helper_id,
        Some(&detail),
    )?;
    match (change.status, change.expires_on) {
        (VettingStatus::Approved, Some(until)) => {
            crate::notify::events::vetting_approved(conn, helper_id, until, change.at)?;
        }
        (VettingStatus::Approved, None) | (VettingStatus::Pending, _) => {}
        _ => {
            helper_withdrawn(conn, settings, helper_id, change.at)?;
        }
    }
    Ok(())
}
