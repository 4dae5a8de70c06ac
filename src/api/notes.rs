//! A person's record: `POST /people/{id}/notes` (a note, or a call logged) and
//! `GET /people/{id}/notes` (newest first, with who wrote each). Coordinators only.

use actix_web::{http::StatusCode, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::{fields, Invalid, NoteId, NoteKind, UserId, Validator};
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
    /// The day to ring on: required for a `call_back`, left out otherwise.
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<chrono::NaiveDate>,
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
    Ok(NewNote {
        kind,
        text,
        due_on: input.due_on,
    })
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

/// Mark a call-back made.
#[utoipa::path(
    post, path = "/api/v1/people/{id}/notes/{note_id}/done", operation_id = "mark_call_back_done",
    tag = "people",
    params(
        ("id" = String, Path, description = "A member or a helper"),
        ("note_id" = String, Path, description = "A call-back on their record"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, body = NoteView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A note or a call, which is not marked done", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn done(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(UserId, NoteId)>,
) -> AppResult<HttpResponse> {
    let (id, note_id) = path.into_inner();
    let saved = state
        .run_as(caller, move |svc, caller| {
            uc::mark_done(svc, caller, &id, &note_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/people/{id}/notes", web::post().to(add));
    api.at("/people/{id}/notes", web::get().to(list));
    api.at("/people/{id}/notes/{note_id}/done", web::post().to(done));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(add, list, done))]
pub struct Operations;
