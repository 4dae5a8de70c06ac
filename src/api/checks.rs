//! `POST /helpers/{id}/checks` and `GET /helpers/{id}/checks`: the checks behind a helper's
//! vetting (a DBS certificate, references, proof of identity), recorded by coordinators.

use actix_web::{http::StatusCode, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::{dates, fields, CheckKind, HelperId, Invalid, Validator};
use crate::error::AppResult;
use crate::service::checks::{self as uc, CheckView, NewCheck};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInput {
    #[schema(value_type = CheckKind)]
    pub kind: String,
    /// For `dbs` the certificate's 12-digit number (spaces allowed); for `reference` the
    /// referee's name; for `identity` the document seen, if wanted.
    #[schema(schema_with = super::schemas::reason)]
    pub reference: Option<String>,
    /// The day of the check (a DBS certificate's date of issue): today or before, within a year
    /// back.
    #[schema(value_type = String, format = Date)]
    pub checked_on: NaiveDate,
    #[schema(schema_with = super::schemas::reason)]
    pub note: Option<String>,
}

/// Every field checked at once; one 422 names them all.
fn parse_check(input: &CheckInput, today: NaiveDate) -> Result<NewCheck, Invalid> {
    let mut v = Validator::new();
    let kind = v.check("kind", CheckKind::parse(&input.kind));
    let reference = match (kind, input.reference.as_deref().map(str::trim)) {
        (Some(CheckKind::Dbs), Some(r)) => {
            let digits: String = r.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
                Some(Some(digits))
            } else {
                v.add("reference", "a DBS certificate number is 12 digits");
                None
            }
        }
        (Some(CheckKind::Dbs), None) => {
            v.add("reference", "the DBS certificate's number is needed");
            None
        }
        (Some(CheckKind::Reference), None) => {
            v.add("reference", "the referee's name is needed");
            None
        }
        (_, r) => v.check_opt("reference", r, fields::reason),
    };
    v.check("checked_on", dates::date(input.checked_on, today));
    let note = v.check_opt("note", input.note.as_deref(), fields::reason);
    v.finish()?;
    crate::validated!(kind, reference, note);
    Ok(NewCheck {
        kind,
        reference,
        checked_on: input.checked_on,
        note,
    })
}

/// Record a check behind a helper's vetting.
#[utoipa::path(
    post, path = "/api/v1/helpers/{id}/checks", operation_id = "record_check", tag = "accounts",
    params(("id" = String, Path, description = "The helper")),
    request_body = CheckInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CheckView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn record(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
    body: ApiJson<CheckInput>,
) -> AppResult<HttpResponse> {
    let check = parse_check(&body.value, state.services.now().date());
    let id = id.into_inner();
    let saved = state
        .run_as(caller, move |svc, caller| {
            uc::record_check(svc, caller, &id, check)
        })
        .await?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(saved))
}

/// The checks behind a helper's vetting, the latest first: coordinators, or the helper.
#[utoipa::path(
    get, path = "/api/v1/helpers/{id}/checks", operation_id = "list_checks", tag = "accounts",
    params(("id" = String, Path, description = "The helper")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<CheckView>),
        (status = 404, description = "No such helper, or not the caller (unless a coordinator)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let list = state
        .run_as(caller, move |svc, caller| uc::checks(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/helpers/{id}/checks", web::post().to(record));
    api.at("/helpers/{id}/checks", web::get().to(list));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(record, list))]
pub struct Operations;
