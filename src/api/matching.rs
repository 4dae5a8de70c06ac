//! `POST /api/v1/matching/runs`: a coordinator assigns all open requests at once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::OptionalJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::error::AppResult;
use crate::service::matching_runs as uc;
use crate::service::offering::batch::BatchRun;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RunInput {
    /// Only propose; make no offers.
    #[serde(default)]
    pub dry_run: bool,
}

/// Match every open request at once: the most requests served, then the least total distance.
/// Each proposal becomes an offer to that helper unless `dry_run`.
#[utoipa::path(
    post, path = "/api/v1/matching/runs", operation_id = "run_matching", tag = "matching",
    request_body(content = Option<RunInput>),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Dry run: proposals only", body = BatchRun),
        (status = 201, description = "Offers made", body = BatchRun),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn run(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: OptionalJson<RunInput>,
) -> AppResult<HttpResponse> {
    let dry_run = body.value.dry_run;
    let result = state
        .run_as(caller, move |svc, caller| {
            uc::run_batch(svc, caller, dry_run)
        })
        .await?;
    let status = if dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(HttpResponse::build(status).json(result))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/matching/runs", actix_web::web::post().to(run));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(run))]
pub struct Operations;
