//! Offers: make them for a new request, to the next helpers when none is left open, to a
//! standing request's regular helper first, or to one helper named.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};

use super::facts;
use super::ranking::{rank_nearest_first, RankedBefore};
use crate::config::Settings;
use crate::db::{self, offers::OfferRow, requests::RequestRow, DbConnection};
use crate::domain::{AuditAction, OfferStatus};
use crate::domain::{HelperId, RequestStatus};
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

/// Write a new request and offer it to `helper` alone first ("Ask Clive again"), open for
/// `series.regular_first_hours`; when they cannot take it (away, busy, no longer approved,
/// blocked), to the best helpers as usual.
pub fn write_and_offer_first(
    conn: &mut DbConnection,
    settings: &Settings,
    row: RequestRow,
    helper: &HelperId,
    now: NaiveDateTime,
) -> Result<RequestRow> {
    db::requests::insert(conn, &row)?;
    let hours = settings.series.regular_first_hours;
    if !offer_to_regular(conn, settings, &row.id, helper.as_str(), hours, now)? {
        offer_next(conn, settings, &row.id, now)?;
    }
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
