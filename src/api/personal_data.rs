//! A person's data: `GET /users/{id}/export` (that person, or coordinators) and
//! `POST /users/{id}/erase` (coordinators).

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::UserId;
use crate::error::AppResult;
use crate::service::personal_data::{self as uc, Erased, PersonExport};

/// Everything the service holds about one person, as JSON: their account and profile,
/// requests, jobs, offers, visits, standing requests, memberships, ledger movements, ratings,
/// events, the concerns they raised and the audit entries about them. The export is audited.
#[utoipa::path(
    get, path = "/api/v1/users/{id}/export", operation_id = "export_user", tag = "people",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PersonExport),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person, or not the caller's to see", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let export = state
        .run_as(caller, move |svc, caller| uc::export(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"neighbourly-export.json\"",
        ))
        .json(export))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EraseInput {
    /// Why (a request from the person, say); kept in the audit log.
    #[schema(schema_with = super::schemas::reason)]
    pub reason: String,
}

/// Erase a person: their name (a pseudonym in its place), contact details, address, places
/// and free text are removed, their sessions end and emails to them not yet sent are dropped.
/// The ledger's sums and the audit's entries stay. It cannot be undone. Refused (409) while
/// they have requests, visits or standing requests not finished.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/erase", operation_id = "erase_user", tag = "people",
    params(("id" = String, Path)),
    request_body = EraseInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Erased),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Requests, visits or standing requests not finished", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or the caller's own account", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn erase(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
    body: ApiJson<EraseInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.value.reason;
    let erased = state
        .run_as(caller, move |svc, caller| {
            uc::erase(svc, caller, &id, &reason)
        })
        .await?;
    Ok(HttpResponse::Ok().json(erased))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/users/{id}/export", actix_web::web::get().to(export));
    api.at("/users/{id}/erase", actix_web::web::post().to(erase));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(export, erase))]
pub struct Operations;
