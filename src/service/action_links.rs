//! One-tap links from emails: reading one changes nothing (mail scanners and link previews open
//! links); using one does what it names, once, as its helper, by the same paths as the API (the
//! first accept of a job still wins), and the audit log says what it did. A link ends when its
//! offer does (a confirm link at the visit's start), when it has been used, or when its helper
//! can no longer help.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::offers::{self, Accepted, OfferView};
use super::views::RequestView;
use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, action_links::ActionLinkRow, DbConnection};
use crate::domain::{AuditAction, HelperId, LinkAction, OfferId, RequestId, Role};

/// What a link would do, for its page.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub action: LinkAction,
    /// The offer an accept or decline link answers, as its helper sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferView>,
    /// Whether the job is one visit of a standing request: accepting may then take every visit.
    pub standing_request: bool,
    /// The visit a confirm link confirms, without the member's contact details (a link is
    /// opened without signing in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestView>,
}

/// What using a link did.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkDone {
    pub action: LinkAction,
    /// The offer after an accept or decline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferView>,
    /// The job after an accept or a confirm, as the link's page shows it: without the member's
    /// contact details or exact place (they are in the job's email and in the app).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestView>,
}

/// The choice an accept link's page may send: every visit of a standing request, or just this
/// one (the default).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkChoice {
    #[serde(default)]
    pub whole_series: bool,
}

/// A token as links carry it: 32 random bytes in unpadded base64url. Anything else cannot be a
/// link's, and is not looked up.
fn token_hash(token: &str) -> Option<String> {
    let plausible = token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then(|| refresh::hash(token))
}

/// The link, while it can still be used: 404 for no such link, 410 once used, past its time, or
/// its helper's account closed.
fn usable(c: &mut DbConnection, token: &str, now: chrono::NaiveDateTime) -> Result<ActionLinkRow> {
    let hash = token_hash(token).ok_or(Error::NotFound)?;
    usable_by_hash(c, &hash, now)
}

/// As [`usable`], for the hash of a link's token (a text's code is looked up so).
pub fn usable_by_hash(
    c: &mut DbConnection,
    hash: &str,
    now: chrono::NaiveDateTime,
) -> Result<ActionLinkRow> {
    let link = db::action_links::find(c, hash)?.ok_or(Error::NotFound)?;
    if link.used_at.is_some() {
        return Err(Error::Gone(
            "This link has been used already. Your offers and visits are in the Neighbourly app."
                .into(),
        ));
    }
    if link.expires_at <= now {
        return Err(Error::Gone(
            "This link has run out: the offer or visit it was for has ended.".into(),
        ));
    }
    let active = db::users::find(c, &link.helper_id)?
        .is_some_and(|u| u.is_active() && u.role == Role::Helper);
    if !active {
        return Err(Error::Gone(
            "This link no longer works. Please ring your coordinator.".into(),
        ));
    }
    Ok(link)
}

/// The offer a link names, while it is the one the link was made for: an offer made again later
/// (after being withdrawn) has links of its own.
fn linked_offer(c: &mut DbConnection, link: &ActionLinkRow) -> Result<db::offers::OfferRow> {
    let offer_id = link
        .offer_id
        .as_deref()
        .ok_or_else(|| Error::internal("an offer link without its offer", link.action.as_str()))?;
    match db::offers::get(c, offer_id)? {
        Some(o) if o.helper_id == link.helper_id && o.created_at <= link.created_at => Ok(o),
        _ => Err(Error::Gone(
            "This link is for an earlier offer. Your offers are in the Neighbourly app.".into(),
        )),
    }
}

/// What the link would do. Changes nothing.
pub fn read(svc: &Services, token: &str) -> Result<LinkView> {
    svc.read(|c| {
        let link = usable(c, token, svc.now())?;
        let helper = HelperId::from_string(link.helper_id.clone());
        let request = db::requests::get(c, &link.request_id)?.ok_or(Error::NotFound)?;
        let standing_request = request.series_id.is_some();
        match link.action {
            LinkAction::Accept | LinkAction::Decline => {
                let offer = linked_offer(c, &link)?;
                Ok(LinkView {
                    action: link.action,
                    offer: Some(offers::offer_view(c, offer, &request, &helper, svc.now())?),
                    standing_request,
                    request: None,
                })
            }
            LinkAction::Confirm => {
                if request.helper_id.as_deref() != Some(link.helper_id.as_str()) {
                    return Err(no_longer_theirs());
                }
                let view = super::requests::full_view(c, svc, &helper.as_caller(), request)?;
                Ok(LinkView {
                    action: link.action,
                    offer: None,
                    standing_request,
                    request: Some(view.for_a_link()),
                })
            }
        }
    })
}

fn no_longer_theirs() -> Error {
    Error::Conflict("This visit is no longer yours: nothing more to do.".into())
}

/// Do what the link names, as its helper, once. A conflict (someone else took the job, the offer
/// is no longer open) leaves the link unused.
pub fn act(svc: &Services, token: &str, choice: LinkChoice) -> Result<LinkDone> {
    svc.write(|c| {
        let now = svc.now();
        let link = usable(c, token, now)?;
        act_in(c, svc, &link, choice, "email link", now)
    })
}

/// Do what a usable link names, as its helper, once, in the caller's transaction; the audit
/// says it came `via` ("email link", "text").
pub fn act_in(
    c: &mut DbConnection,
    svc: &Services,
    link: &ActionLinkRow,
    choice: LinkChoice,
    via: &str,
    now: chrono::NaiveDateTime,
) -> Result<LinkDone> {
    {
        if !db::action_links::spend(c, &link.token_hash, now)? {
            return Err(Error::Gone("This link has been used already.".into()));
        }
        let helper = HelperId::from_string(link.helper_id.clone());
        let done = match link.action {
            LinkAction::Accept => {
                let offer = linked_offer(c, link)?;
                let Accepted { offer, request } = offers::accept_in(
                    c,
                    svc,
                    &helper,
                    &OfferId::from_string(offer.id),
                    choice.whole_series,
                    now,
                )?;
                LinkDone {
                    action: link.action,
                    offer: Some(offer),
                    request: Some(request.for_a_link()),
                }
            }
            LinkAction::Decline => {
                let offer = linked_offer(c, link)?;
                let offer =
                    offers::decline_in(c, svc, &helper, &OfferId::from_string(offer.id), now)?;
                LinkDone {
                    action: link.action,
                    offer: Some(offer),
                    request: None,
                }
            }
            LinkAction::Confirm => {
                let id = RequestId::from_string(link.request_id.clone());
                let request = super::visits::confirm_in(c, svc, &helper.as_caller(), &id, now)
                    .map_err(|e| match e {
                        Error::NotFound | Error::Forbidden(_) => no_longer_theirs(),
                        other => other,
                    })?;
                LinkDone {
                    action: link.action,
                    offer: None,
                    request: Some(request.for_a_link()),
                }
            }
        };
        let detail = match choice.whole_series {
            true => format!("{} by {via}, every visit", link.action.as_str()),
            false => format!("{} by {via}", link.action.as_str()),
        };
        db::audit::record(
            c,
            now,
            Some(link.helper_id.as_str()),
            AuditAction::ActionLinkUsed,
            &link.request_id,
            Some(&detail),
        )?;
        Ok(done)
    }
}
