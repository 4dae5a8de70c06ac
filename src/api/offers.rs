//! A helper's job inbox: `GET /offers`, accept, decline.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::extract::OptionalJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::Invalid;
use crate::domain::{OfferId, OfferStatus};
use crate::error::AppResult;
use crate::service::offers::{self as uc, Accepted, OfferView};
use crate::service::pagination::{Page, PageParams};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxFilter {
    /// Only offers in this state, e.g. `open`.
    #[param(value_type = Option<OfferStatus>)]
    pub status: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// A helper's offers, newest first.
#[utoipa::path(
    get, path = "/api/v1/offers", operation_id = "offer_inbox", tag = "offers",
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
    let q = q.into_inner();
    let paging = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse();
    let status = q
        .status
        .as_deref()
        .map(OfferStatus::parse)
        .transpose()
        .map_err(|m| Invalid::field("status", m));
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::inbox(svc, caller, status, paging)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AcceptInput {
    /// For an occurrence of a standing request: become its regular helper, offered every later
    /// occurrence first.
    #[serde(default)]
    pub whole_series: bool,
}

/// Accept an offer. The first helper to accept gets the job; later accepts get a 409. With
/// `whole_series`, the helper becomes the standing request's regular helper.
#[utoipa::path(
    post, path = "/api/v1/offers/{id}/accept", operation_id = "accept_offer", tag = "offers",
    params(("id" = String, Path)),
    request_body(content = Option<AcceptInput>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Accepted),
        (status = 403, description = "Only helpers take offers", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else took the job, or the offer lapsed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`whole_series` for a job that is not part of a standing request", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn accept(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<OfferId>,
    body: OptionalJson<AcceptInput>,
) -> AppResult<HttpResponse> {
    let offer = id.into_inner();
    let whole = body.value.whole_series;
    let answer = state
        .run_as(caller, move |svc, caller| {
            uc::accept_offer(svc, caller, &offer, whole)
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// Decline an offer; the job goes to the next best helpers when no offer is left open.
#[utoipa::path(
    post, path = "/api/v1/offers/{id}/decline", operation_id = "decline_offer", tag = "offers",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OfferView),
        (status = 403, description = "Only helpers take offers", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decline(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<OfferId>,
) -> AppResult<HttpResponse> {
    let offer = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::decline_offer(svc, caller, &offer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/offers", actix_web::web::get().to(inbox));
    api.at("/offers/{id}/accept", actix_web::web::post().to(accept));
    api.at("/offers/{id}/decline", actix_web::web::post().to(decline));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(inbox, accept, decline))]
pub struct Operations;
