//! A person's record: `POST /people/{id}/notes` (a note, or a call logged) and
//! `GET /people/{id}/notes` (newest first, with who wrote each). Coordinators only.

use actix_web::{http::StatusCode, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::{fields, Invalid, NoteKind, UserId, Validator};
use crate::error::AppResult;
use crate::service::notes::{self as uc, NewNote, NoteView};
use crate::service::pagination::{Page, PageParams};

#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteInput {
    #[schema(value_type = NoteKind)]
    pub kind: String,
    /// What was said or done, in the coordinator's words (line breaks kept).
    #[schema(schema_with = super::schemas::description)]
    pub text: String,
}

/// Write a note, or log a call, on a person's record.
#[utoipa::path(
    post, path = "/api/v1/people/{id}/notes", operation_id = "add_note", tag = "people",
    params(("id" = String, Path, description = "A member or a helper")),
    request_body = NoteInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = NoteView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
    body: ApiJson<NoteInput>,
) -> AppResult<HttpResponse> {
    let note = parse_note(&body.value);
    let id = id.into_inner();
    let saved = state
        .run_as(caller, move |svc, caller| {
            uc::add_note(svc, caller, &id, note)
        })
        .await?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(saved))
}

/// Both fields checked at once; one 422 names them all.
fn parse_note(input: &NoteInput) -> Result<NewNote, Invalid> {
    let mut v = Validator::new();
    let kind = v.check("kind", NoteKind::parse(&input.kind));
    let text = v.check("text", fields::description(&input.text));
    v.finish()?;
    crate::validated!(kind, text);
    Ok(NewNote { kind, text })
}

/// A person's record, newest first.
#[utoipa::path(
    get, path = "/api/v1/people/{id}/notes", operation_id = "list_notes", tag = "people",
    params(("id" = String, Path, description = "A member or a helper"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<NoteView>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
    q: web::Query<PageParams>,
) -> AppResult<HttpResponse> {
    let paging = q.parse();
    let id = id.into_inner();
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::notes(svc, caller, &id, paging)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/people/{id}/notes", web::post().to(add));
    api.at("/people/{id}/notes", web::get().to(list));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(add, list))]
pub struct Operations;
