//! A helper's answer to an offer: the first yes wins the job, a no offers it to the next.

use chrono::NaiveDateTime;

use super::flow::offer_next;
use crate::config::Settings;
use crate::db::{self, offers::OfferRow, requests::RequestRow, DbConnection};
use crate::domain::RequestStatus;
use crate::domain::{AuditAction, HelperId, OfferId, OfferStatus, VettingStatus};
use crate::service::{Error, Result};

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
    let words = crate::domain::doorstep::draw();
    db::doorstep::set(conn, &request.id, helper_id.as_str(), &words, now)?;
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
