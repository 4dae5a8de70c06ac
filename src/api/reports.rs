//! Coordinators' weekly report (JSON or CSV), sending it by email, and the outbox's failures.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::{Invalid, OutboxStatus};
use crate::error::AppResult;
use crate::reports::{self, IsoWeek, WeeklyReport};
use crate::service::reports::{self as uc, OutboxList, Queued};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// An ISO week, `2026-W47`; the last complete week when left out.
    #[param(schema_with = super::schemas::iso_week)]
    pub week: Option<String>,
}

fn week_of(state: &AppState, q: &WeekQuery) -> Result<IsoWeek, Invalid> {
    let week = q
        .week
        .as_deref()
        .map(IsoWeek::parse)
        .transpose()
        .map_err(|m| Invalid::field("week", m))?;
    Ok(uc::week_or_last(
        &state.settings,
        week,
        state.services.now(),
    ))
}

pub fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"))
}

/// The weekly report: JSON, or CSV with `Accept: text/csv`.
#[utoipa::path(
    get, path = "/api/v1/reports/weekly", operation_id = "weekly_report", tag = "reports",
    params(WeekQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = WeeklyReport, description = "JSON; with Accept: text/csv, CSV in words: `Section,Figure,Detail,This week,The week before,Coordinates`"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn weekly(
    state: web::Data<AppState>,
    caller: AuthUser,
    req: HttpRequest,
    q: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let week = week_of(&state, &q);
    let report = state
        .run_as(caller, move |svc, caller| {
            uc::weekly_report(svc, crate::service::Requester::Person(caller), week)
        })
        .await?;
    if wants_csv(&req) {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"neighbourly-{}.csv\"", report.week),
            ))
            .body(reports::csv(&report)));
    }
    Ok(HttpResponse::Ok().json(report))
}

/// Email the weekly report to every coordinator (through the outbox).
#[utoipa::path(
    post, path = "/api/v1/reports/weekly/send", operation_id = "send_weekly_report", tag = "reports",
    params(WeekQuery),
    security(("bearer" = [])),
    responses(
        (status = 202, body = Queued),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn send_weekly(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let week = week_of(&state, &q);
    let queued = state
        .run_as(caller, move |svc, caller| {
            uc::send_weekly_report(svc, crate::service::Requester::Person(caller), week)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(queued))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Default `failed`.
    #[param(value_type = Option<OutboxStatus>)]
    pub status: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Emails by state; coordinators look here for the ones that could not be delivered.
#[utoipa::path(
    get, path = "/api/v1/outbox", operation_id = "list_outbox", tag = "reports",
    params(OutboxQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OutboxList),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn outbox(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<OutboxQuery>,
) -> AppResult<HttpResponse> {
    let status = match q.status.as_deref() {
        None => Ok(OutboxStatus::Failed),
        Some(s) => OutboxStatus::parse(s)
            .map_err(|_| Invalid::field("status", "must be pending, sending, sent or failed")),
    };
    let limit = match q.limit.unwrap_or(50) {
        limit @ 1..=200 => Ok(limit),
        _ => Err(Invalid::field("limit", "must be between 1 and 200")),
    };
    let list = state
        .run_as(caller, move |svc, caller| {
            uc::outbox(svc, caller, status, limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/reports/weekly", actix_web::web::get().to(weekly));
    api.at(
        "/reports/weekly/send",
        actix_web::web::post().to(send_weekly),
    );
    api.at("/outbox", actix_web::web::get().to(outbox));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(weekly, send_weekly, outbox))]
pub struct Operations;
