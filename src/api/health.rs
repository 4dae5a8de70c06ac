//! `/health`: whether the service and its database answer.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::service::housekeeping;
use crate::state::AppState;

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
