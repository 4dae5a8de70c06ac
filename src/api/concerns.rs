//! Safeguarding concerns: `POST /concerns`, `GET /concerns`, `GET /concerns/{id}`,
//! `POST /concerns/{id}/status`. There is no PATCH and no DELETE: a concern is never changed or
//! removed, only added to.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::answer_once;
use super::extract::{ApiJson, IdempotencyHeader};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::Invalid;
use crate::domain::{
    fields, ConcernCategory, ConcernId, ConcernStatus, RequestId, Urgency, UserId, Validator,
};
use crate::error::AppResult;
use crate::service::concerns::{self as uc, ConcernView, NewConcern, StatusChange};
use crate::service::pagination::{Page, PageParams};
use crate::validated;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConcernInput {
    /// The person it is about, if it is about someone.
    pub about_id: Option<String>,
    /// The visit it is about, if any.
    pub request_id: Option<String>,
    #[schema(value_type = ConcernCategory)]
    pub category: String,
    /// What happened, in the raiser's words.
    #[schema(schema_with = super::schemas::description)]
    pub description: String,
    #[schema(value_type = Urgency)]
    pub urgency: String,
}

/// Raise a safeguarding concern (a coordinator may raise one for someone on the phone). An
/// urgent one emails every coordinator at once.
#[utoipa::path(
    post, path = "/api/v1/concerns", operation_id = "raise_concern", tag = "safeguarding",
    request_body = ConcernInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = ConcernView),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn raise(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyHeader,
    body: ApiJson<ConcernInput>,
) -> AppResult<HttpResponse> {
    let input = &body.value;
    let mut v = Validator::new();
    let category = v.check("category", ConcernCategory::parse(&input.category));
    let urgency = v.check("urgency", Urgency::parse(&input.urgency));
    let description = v.check("description", fields::description(&input.description));
    v.finish()?;
    validated!(category, urgency, description);
    let new = NewConcern {
        about_id: input.about_id.clone().map(UserId::from_string),
        request_id: input.request_id.clone().map(RequestId::from_string),
        category,
        description,
        urgency,
    };
    let key = key.for_body(Some(caller.claims()), "POST /concerns", &body.raw);
    let once = state
        .run_as(caller, move |svc, caller| {
            uc::raise(svc, caller, new, key.as_ref())
        })
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConcernFilter {
    /// Only concerns in this state (coordinators: `open` is the queue to pick up).
    #[param(value_type = Option<ConcernStatus>)]
    pub status: Option<String>,
    #[param(value_type = Option<Urgency>)]
    pub urgency: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// Concerns, newest first: coordinators see every one (each read is audited); anyone else sees
/// those they raised, without coordinators' notes.
#[utoipa::path(
    get, path = "/api/v1/concerns", operation_id = "list_concerns", tag = "safeguarding",
    params(ConcernFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<ConcernView>),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<ConcernFilter>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut v = Validator::new();
    let status = v.check_opt("status", q.status.as_deref(), ConcernStatus::parse);
    let urgency = v.check_opt("urgency", q.urgency.as_deref(), Urgency::parse);
    v.finish()?;
    validated!(status, urgency);
    let paging = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::list(svc, caller, status, urgency, paging)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One concern: coordinators (the read is audited), or its raiser without coordinators' notes.
/// The person it is about, and anyone else, get 404.
#[utoipa::path(
    get, path = "/api/v1/concerns/{id}", operation_id = "get_concern", tag = "safeguarding",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ConcernView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<ConcernId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| uc::concern(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusInput {
    /// `investigating`, `referred` or `closed` (or the same status again, to note progress).
    #[schema(value_type = ConcernStatus)]
    pub status: String,
    /// What was done or found.
    #[schema(schema_with = super::schemas::description)]
    pub note: String,
    /// Required for `referred`: to whom (adult social care, the police, a GP …).
    #[schema(schema_with = super::schemas::reason)]
    pub referred_to: Option<String>,
    /// Their case reference, if they gave one.
    #[schema(schema_with = super::schemas::reason)]
    pub reference: Option<String>,
    /// Required for `closed`.
    #[schema(schema_with = super::schemas::reason)]
    pub closure_reason: Option<String>,
    /// The coordinator who owns it from now on; left out, its owner stays (or, when it has none,
    /// becomes the coordinator making this change).
    pub owner_id: Option<String>,
    /// When it is next to be looked at: today or later, within a year; left out, a week from
    /// today. A closed concern has none.
    #[schema(value_type = Option<String>, format = Date)]
    pub review_on: Option<chrono::NaiveDate>,
}

/// A coordinator moves a concern on: each change is kept, with who, when and the note.
#[utoipa::path(
    post, path = "/api/v1/concerns/{id}/status", operation_id = "change_concern_status", tag = "safeguarding",
    params(("id" = String, Path)),
    request_body = StatusInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = ConcernView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed concerns stay closed; none goes back to open; or another coordinator changed it at the same moment", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn change_status(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<ConcernId>,
    body: ApiJson<StatusInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let change = parse_status(body.value, state.services.now().date());
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::change_status(svc, caller, &id, change)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

fn parse_status(input: StatusInput, today: chrono::NaiveDate) -> Result<StatusChange, Invalid> {
    let mut v = Validator::new();
    let status = v.check("status", ConcernStatus::parse(&input.status));
    let note = v.check("note", fields::description(&input.note));
    let referred_to = v.check_opt("referred_to", input.referred_to.as_deref(), fields::reason);
    let reference = v.check_opt("reference", input.reference.as_deref(), fields::reason);
    let closure_reason = v.check_opt(
        "closure_reason",
        input.closure_reason.as_deref(),
        fields::reason,
    );
    match status {
        Some(ConcernStatus::Open) => v.add("status", "a concern never goes back to open"),
        Some(ConcernStatus::Referred) if input.referred_to.is_none() => {
            v.add("referred_to", "is required when referring")
        }
        Some(ConcernStatus::Closed) if input.closure_reason.is_none() => {
            v.add("closure_reason", "is required when closing")
        }
        _ => {}
    }
    match input.review_on {
        Some(_) if status == Some(ConcernStatus::Closed) => v.add(
            "review_on",
            "a closed concern has no review date; leave it out",
        ),
        Some(d) if d < today => v.add("review_on", "must be today or later"),
        Some(d) if d > crate::domain::dates::a_year_from(today) => {
            v.add("review_on", "must be within a year")
        }
        _ => {}
    }
    v.finish()?;
    validated!(status, note, referred_to, reference, closure_reason);
    Ok(StatusChange {
        status,
        note,
        referred_to,
        reference,
        closure_reason,
        owner_id: input.owner_id.map(UserId::from_string),
        review_on: input.review_on,
    })
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/concerns", actix_web::web::get().to(list));
    api.at("/concerns", actix_web::web::post().to(raise));
    api.at("/concerns/{id}", actix_web::web::get().to(get));
    api.at(
        "/concerns/{id}/status",
        actix_web::web::post().to(change_status),
    );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(raise, list, get, change_status))]
pub struct Operations;
