//! `/health`: whether the service and its database answer.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::state::AppState;
use crate::error::{AppError, AppResult};
use crate::service::housekeeping;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// 200 when the database answers, 503 otherwise.
#[utoipa::path(
    get, path = "/health", tag = "operations",
    responses(
        (status = 200, body = Health),
        (status = 503, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn health(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    state
        .run(housekeeping::database_answers)
        .await
        .map_err(|e| match e {
            AppError::Internal(m) => AppError::Unavailable(m),
            other => other,
        })?;
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}

/// Prometheus metrics: requests and latency by route and status, the pool, the outbox, the
/// matcher's time, requests by status.
#[utoipa::path(
    get, path = "/metrics", tag = "operations",
    responses(
        (status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain; version=0.0.4", body = String),
        (status = 503, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn metrics(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let text = state.run(housekeeping::metrics_text).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(health, metrics))]
pub struct Operations;
