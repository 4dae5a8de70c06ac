//! `GET` and `POST /action-links/{token}`: the one-tap links in emails, used without signing in.
//! Reading changes nothing; posting does what the link names, once.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::extract::OptionalJson;
use crate::api::state::AppState;
use crate::error::AppResult;
use crate::service::action_links::{self as uc, LinkChoice, LinkDone, LinkView};

/// What a link from an email would do: accept or decline an offer (shown as its helper sees it),
/// or confirm a visit. Changes nothing, so that mail scanners and link previews may open it.
#[utoipa::path(
    get, path = "/api/v1/action-links/{token}", operation_id = "read_action_link", tag = "action links",
    params(("token" = String, Path, description = "The token from the link, as it came")),
    responses(
        (status = 200, body = LinkView),
        (status = 404, description = "No such link (a changed or made-up token)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A confirm link for a visit that is no longer the helper's", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used already, past its time, or the helper's account is closed", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read(state: web::Data<AppState>, token: web::Path<String>) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let view = state.run(move |svc| uc::read(svc, &token)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(view))
}

/// Do what the link names, as its helper, once: accept (the first helper to accept gets the job;
/// `whole_series` takes every visit of a standing request), decline, or confirm a visit.
#[utoipa::path(
    post, path = "/api/v1/action-links/{token}", operation_id = "use_action_link", tag = "action links",
    params(("token" = String, Path, description = "The token from the link, as it came")),
    request_body(content = Option<LinkChoice>, description = "May be left out"),
    responses(
        (status = 200, description = "Done; the job without the member's contact details, which the helper has by email and in the app", body = LinkDone),
        (status = 404, description = "No such link (a changed or made-up token)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else took the job, the offer is no longer open, or the visit is no longer the helper's", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used already, past its time, or the helper's account is closed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`whole_series` for a job that is not part of a standing request", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn act(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: OptionalJson<LinkChoice>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let choice = body.value;
    let done = state.run(move |svc| uc::act(svc, &token, choice)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(done))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/action-links/{token}", actix_web::web::get().to(read));
    api.at("/action-links/{token}", actix_web::web::post().to(act));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(read, act))]
pub struct Operations;
