//! A helper's job inbox: list offers, accept (the first accept wins), decline. Offers show the
//! area and the task, never the member's address, phone or surname; the winner of an accept
//! sees them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::offering;
use super::pagination::{page, Page, Paging};
use super::requests::full_view;
use super::views::{utc, RequestView};
use super::{Error, Result, Services};
use crate::db::{self, offers::OfferRow, requests::RequestRow, DbConnection};
use crate::domain::area::Area;
use crate::domain::Parsed;
use crate::domain::{Caller, Category, HelperId, Location, OfferId, OfferStatus, Role, TimeWindow};

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView {
    pub id: String,
    pub request_id: String,
    pub status: OfferStatus,
    pub category: Category,
    pub description: String,
    pub window: TimeWindow,
    pub duration_minutes: i32,
    /// From the helper's home to the centre of the job's area, to 0.1 km.
    pub distance_km: f64,
    /// For maps: a cell of about a kilometre around the job, never its address.
    pub area: Area,
    /// The area as people name it: the postcode district of the nearest known postcode
    /// ("SE15"); `null` when no postcodes are loaded.
    #[schema(example = "SE15")]
    pub area_name: Option<String>,
    /// The job is one visit of a standing request: accepting with `whole_series` takes the
    /// visits after it too.
    pub standing_request: bool,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    /// The helper's answers, `accept` and `decline`: allowed until `expires_at` while the offer
    /// is open, else why not.
    pub actions: Vec<crate::domain::actions::Action>,
}

impl OfferView {
    pub(super) fn new(
        o: OfferRow,
        r: &RequestRow,
        helper_home: Location,
        now: chrono::NaiveDateTime,
    ) -> Self {
        let area = Area::of(r.location());
        let status = if o.status == OfferStatus::Open && o.expires_at <= now {
            OfferStatus::Lapsed
        } else {
            o.status
        };
        OfferView {
            id: o.id,
            request_id: o.request_id,
            status,
            category: r.category,
            description: r.description.clone(),
            window: TimeWindow {
                start: utc(r.window_start),
                end: utc(r.window_end),
            },
            duration_minutes: r.duration_minutes,
            distance_km: area.distance_km_from(helper_home),
            area,
            area_name: r.area_name.clone(),
            standing_request: r.series_id.is_some(),
            expires_at: utc(o.expires_at),
            created_at: utc(o.created_at),
            actions: crate::domain::actions::offer_actions(o.status, o.expires_at, now),
        }
    }
}

fn helper_home(c: &mut DbConnection, helper: &HelperId) -> Result<Location> {
    let (_, h) = db::helpers::get(c, helper.as_str())?.ok_or(Error::NotFound)?;
    Ok(h.home())
}

/// A helper's offers, newest first.
pub fn inbox(
    svc: &Services,
    caller: &Caller,
    status: impl Into<Parsed<Option<OfferStatus>>>,
    paging: impl Into<Parsed<Paging>>,
) -> Result<Page<OfferView>> {
    super::require(caller, &[Role::Helper])?;
    let paging = paging.into().take()?;
    let status = status.into().take()?;
    let helper = &caller.id.as_helper();
    svc.read(|c| {
        let home = helper_home(c, helper)?;
        let rows = db::offers::inbox(
            c,
            &db::offers::InboxQuery {
                helper_id: helper.as_str(),
                status,
                after: paging.after,
                limit: paging.limit + 1,
            },
        )?;
        let ids: Vec<String> = rows.iter().map(|o| o.request_id.clone()).collect();
        let requests = db::requests::get_many(c, &ids)?;
        let rows: Vec<(OfferRow, RequestRow)> = rows
            .into_iter()
            .filter_map(|o| {
                let r = requests.iter().find(|r| r.id == o.request_id)?.clone();
                Some((o, r))
            })
            .collect();
        Ok(page(
            rows,
            paging.limit,
            |(o, _)| (o.created_at, o.id.clone()),
            |(o, r)| OfferView::new(o, &r, home, svc.now()),
        ))
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub offer: OfferView,
    /// The job, now with the member's name, phone and address.
    pub request: RequestView,
}

/// Accept an offer. Exactly one helper wins a request; later accepts are a conflict.
pub fn accept_offer(
    svc: &Services,
    caller: &Caller,
    offer: &OfferId,
    whole_series: bool,
) -> Result<Accepted> {
    super::require(caller, &[Role::Helper])?;
    let helper = &caller.id.as_helper();
    svc.write(|c| accept_in(c, svc, helper, offer, whole_series, svc.now()))
}

/// Accept an offer in the caller's transaction (the API, or a one-tap link).
pub(super) fn accept_in(
    c: &mut DbConnection,
    svc: &Services,
    helper: &HelperId,
    offer: &OfferId,
    whole_series: bool,
    now: chrono::NaiveDateTime,
) -> Result<Accepted> {
    if whole_series {
        let series = db::offers::get(c, offer.as_str())?
            .filter(|o| o.helper_id == helper.as_str())
            .map(|o| o.request_id)
            .map(|r| db::requests::get(c, &r))
            .transpose()?
            .flatten()
            .and_then(|r| r.series_id);
        if series.is_none() {
            return Err(Error::invalid(
                "whole_series",
                "this job is not part of a standing request",
            ));
        }
    }
    let (offer, request) = offering::accept(c, &svc.settings, offer, helper, now)?;
    if whole_series {
        super::series::become_regular(c, svc, &request, helper.as_str(), now)?;
    }
    let home = helper_home(c, helper)?;
    let offer = OfferView::new(offer, &request, home, now);
    Ok(Accepted {
        offer,
        request: full_view(c, svc, &helper.as_caller(), request)?,
    })
}

/// Decline an offer; the job goes to the next best helpers when no offer is left open.
pub fn decline_offer(svc: &Services, caller: &Caller, offer: &OfferId) -> Result<OfferView> {
    super::require(caller, &[Role::Helper])?;
    let helper = &caller.id.as_helper();
    svc.write(|c| decline_in(c, svc, helper, offer, svc.now()))
}

/// Decline an offer in the caller's transaction.
pub(super) fn decline_in(
    c: &mut DbConnection,
    svc: &Services,
    helper: &HelperId,
    offer: &OfferId,
    now: chrono::NaiveDateTime,
) -> Result<OfferView> {
    let offer = offering::decline(c, &svc.settings, offer, helper, now)?;
    let request = db::requests::get(c, &offer.request_id)?.ok_or(Error::NotFound)?;
    offer_view(c, offer, &request, helper, now)
}

/// An offer as its helper sees it.
pub(super) fn offer_view(
    c: &mut DbConnection,
    offer: OfferRow,
    request: &RequestRow,
    helper: &HelperId,
    now: chrono::NaiveDateTime,
) -> Result<OfferView> {
    let home = helper_home(c, helper)?;
    Ok(OfferView::new(offer, request, home, now))
}
