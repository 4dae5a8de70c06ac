//! A helper's job inbox: `GET /offers`, accept, decline. Offers show the area and the task,
//! never the member's address, phone or surname; the winner of an accept sees them.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pagination::{page, Page, PageParams};
use super::requests::full_view;
use super::views::{utc, RequestView};
use crate::auth::{AuthUser, Role};
use crate::db::{self, offers::OfferRow, requests::RequestRow};
use crate::domain::area::Area;
use crate::domain::{Category, Location, TimeWindow};
use crate::error::{AppError, AppResult};
use crate::offering;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView {
    pub id: String,
    pub request_id: String,
    /// `open`, `accepted`, `declined`, `lapsed` or `withdrawn`.
    #[schema(example = "open")]
    pub status: String,
    pub category: Category,
    pub description: String,
    pub window: TimeWindow,
    pub duration_minutes: i32,
    /// From the helper's home to the centre of the job's area, to 0.1 km.
    pub distance_km: f64,
    pub area: Area,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
}

impl OfferView {
    fn new(o: OfferRow, r: &RequestRow, helper_home: Location) -> Self {
        let area = Area::of(Location {
            lat: r.lat,
            lon: r.lon,
        });
        let now = db::now();
        let status = if o.status == "open" && o.expires_at <= now {
            "lapsed".to_string()
        } else {
            o.status
        };
        OfferView {
            id: o.id,
            request_id: o.request_id,
            status,
            category: Category::parse(&r.category).unwrap_or(Category::Other),
            description: r.description.clone(),
            window: TimeWindow {
                start: utc(r.window_start),
                end: utc(r.window_end),
            },
            duration_minutes: r.duration_minutes,
            distance_km: area.distance_km_from(helper_home),
            area,
            expires_at: utc(o.expires_at),
            created_at: utc(o.created_at),
        }
    }
}

fn helper_home(c: &mut db::DbConnection, helper_id: &str) -> AppResult<Location> {
    let (_, h) = db::helpers::get(c, helper_id)?.ok_or(AppError::NotFound)?;
    Ok(Location {
        lat: h.home_lat,
        lon: h.home_lon,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct InboxFilter {
    /// Only offers in this state, e.g. `open`.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A helper's offers, newest first.
#[utoipa::path(
    get, path = "/api/v1/offers", tag = "offers",
    params(InboxFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<OfferView>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn inbox(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<InboxFilter>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Helper])?;
    let q = q.into_inner();
    let paging = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    };
    let (limit, after) = (paging.limit()?, paging.after()?);
    let status = match q.status.as_deref() {
        None => None,
        Some(s @ ("open" | "accepted" | "declined" | "lapsed" | "withdrawn")) => {
            Some(s.to_string())
        }
        Some(_) => {
            return Err(AppError::invalid(
                "status",
                "must be open, accepted, declined, lapsed or withdrawn",
            ))
        }
    };
    let result: Page<OfferView> = state
        .db(move |c| {
            let home = helper_home(c, &caller.id)?;
            let rows = db::offers::inbox(
                c,
                &db::offers::InboxQuery {
                    helper_id: &caller.id,
                    status: status.as_deref(),
                    after,
                    limit: limit + 1,
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
                limit,
                |(o, _)| (o.created_at, o.id.clone()),
                |(o, r)| OfferView::new(o, &r, home),
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub offer: OfferView,
    /// The job, now with the member's name, phone and address.
    pub request: RequestView,
}

/// Accept an offer. The first helper to accept gets the job; later accepts get a 409.
#[utoipa::path(
    post, path = "/api/v1/offers/{id}/accept", tag = "offers",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Accepted),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else took the job, or the offer lapsed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn accept(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Helper])?;
    let id = id.into_inner();
    let st = state.clone();
    let answer = state
        .db(move |c| {
            db::write_tx(c, |c| {
                let (offer, request) =
                    offering::accept(c, &st.settings, &id, &caller.id, db::now())?;
                let home = helper_home(c, &caller.id)?;
                let offer = OfferView::new(offer, &request, home);
                Ok(Accepted {
                    offer,
                    request: full_view(c, request)?,
                })
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// Decline an offer; the job goes to the next best helpers when no offer is left open.
#[utoipa::path(
    post, path = "/api/v1/offers/{id}/decline", tag = "offers",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OfferView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decline(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Helper])?;
    let id = id.into_inner();
    let st = state.clone();
    let view = state
        .db(move |c| {
            db::write_tx(c, |c| {
                let offer = offering::decline(c, &st.settings, &id, &caller.id, db::now())?;
                let request = db::requests::get(c, &offer.request_id)?.ok_or(AppError::NotFound)?;
                let home = helper_home(c, &caller.id)?;
                Ok(OfferView::new(offer, &request, home))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
