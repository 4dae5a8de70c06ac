//! A visit's steps: `POST /requests/{id}/confirm`, `/running-late`, `/check-in`, `/check-out`,
//! `/withdraw` (the assigned helper) and `/no-show` (the member or a coordinator).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, OptionalJson};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::{fields, RequestId, Validator};
use crate::error::AppResult;
use crate::service::views::RequestView;
use crate::service::visits as uc;
use crate::validated;

/// The assigned helper confirms they are coming, or a coordinator confirms for them (a helper who
/// rang); the timeline and the audit log say who.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/confirm", operation_id = "confirm_visit", tag = "visits",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request, with `confirmed_at`", body = RequestView),
        (status = 403, description = "Neither the helper going nor a coordinator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request is not assigned", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn confirm(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::confirm(svc, caller, &id, svc.now())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MomentInput {
    /// When; now if left out. Not in the future.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub at: Option<DateTime<Utc>>,
}

/// The assigned helper arrives.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/check-in", operation_id = "check_in", tag = "visits",
    params(("id" = String, Path)),
    request_body(content = Option<MomentInput>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request, with `checked_in_at`", body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not assigned, or already checked in", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn check_in(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: OptionalJson<MomentInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let at = body.value.at.map(|t| t.naive_utc());
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::check_in(svc, caller, &id, at, svc.now())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The assigned helper leaves (after checking in).
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/check-out", operation_id = "check_out", tag = "visits",
    params(("id" = String, Path)),
    request_body(content = Option<MomentInput>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request, with `checked_out_at`", body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not assigned, not checked in, or already checked out", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn check_out(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: OptionalJson<MomentInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let at = body.value.at.map(|t| t.naive_utc());
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::check_out(svc, caller, &id, at, svc.now())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RunningLateInput {
    /// About how many minutes late: 5 to 120.
    #[schema(minimum = 5, maximum = 120, example = 15)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub minutes: i64,
    #[schema(schema_with = super::schemas::reason)]
    pub note: Option<String>,
}

/// The assigned helper is running late: the member is told at once (by text, or by email and
/// on their phone), and the request shows `eta`, when they now expect to arrive. From when
/// arriving opens until the window ends, before they arrive; said again, it replaces what was
/// said.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/running-late", operation_id = "say_running_late", tag = "visits",
    params(("id" = String, Path)),
    request_body = RunningLateInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request, with `eta`", body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not assigned, not open yet, already arrived, or the window has passed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn running_late(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: ApiJson<RunningLateInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let RunningLateInput { minutes, note } = body.value;
    let mut v = Validator::new();
    if !(5..=120).contains(&minutes) {
        v.add("minutes", "must be 5 to 120 minutes");
    }
    let note = v.check_opt("note", note.as_deref(), fields::reason);
    v.finish()?;
    validated!(note);
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::running_late(svc, caller, &id, minutes, note)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WithdrawInput {
    #[schema(schema_with = super::schemas::required_reason)]
    pub reason: String,
}

/// The assigned helper cannot go (or a coordinator says so for a helper who rang): the visit
/// goes to others. Closer to the start than a day (a setting), it is a late withdrawal
/// (`late: true`).
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/withdraw", operation_id = "withdraw_from_visit", tag = "visits",
    params(("id" = String, Path)),
    request_body = WithdrawInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request, back to `offered` or `open`, with `late`", body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not assigned, or the visit has started", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: ApiJson<WithdrawInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let mut v = Validator::new();
    let reason = v.check("reason", fields::reason(&body.value.reason));
    v.finish()?;
    validated!(reason);
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::withdraw(svc, caller, &id, &reason, svc.now())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NoShowInput {
    #[schema(schema_with = super::schemas::reason)]
    pub note: Option<String>,
}

/// The helper did not come (the member or a coordinator, once the visit has started): counted
/// against the helper, and the visit goes to others if its window allows, else it expires.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/no-show", operation_id = "report_no_show", tag = "visits",
    params(("id" = String, Path)),
    request_body(content = Option<NoShowInput>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request, back to `offered` or `open`, or `expired`", body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not assigned, not started yet, or the helper checked in", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn no_show(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: OptionalJson<NoShowInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let mut v = Validator::new();
    let note = v.check_opt("note", body.value.note.as_deref(), fields::reason);
    v.finish()?;
    validated!(note);
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::no_show(svc, caller, &id, note.as_deref(), svc.now())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/requests/{id}/confirm", actix_web::web::post().to(confirm));
    api.at(
        "/requests/{id}/running-late",
        actix_web::web::post().to(running_late),
    );
    api.at(
        "/requests/{id}/check-in",
        actix_web::web::post().to(check_in),
    );
    api.at(
        "/requests/{id}/check-out",
        actix_web::web::post().to(check_out),
    );
    api.at(
        "/requests/{id}/withdraw",
        actix_web::web::post().to(withdraw),
    );
    api.at("/requests/{id}/no-show", actix_web::web::post().to(no_show));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(confirm, running_late, check_in, check_out, withdraw, no_show))]
pub struct Operations;
