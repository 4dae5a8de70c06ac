//! Help requests: create, list, read, cancel, complete, feedback, and a coordinator's assign.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::answer_once;
use super::extract::{ApiJson, IdempotencyHeader, OptionalJson};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::auth::Role;
use crate::domain::{
    fields, Category, HelperId, Location, MemberId, RequestId, RequestStatus, TimeWindow, Validator,
};
use crate::domain::{Caller, Invalid};
use crate::error::{AppError, AppResult};
use crate::service::pagination::{Page, PageParams};
use crate::service::requests::{self as uc, Candidates, FeedbackView};
use crate::service::timeline::Timeline;
use crate::service::views::RequestView;
use crate::service::Asked;
use crate::validated;

#[derive(Debug, Deserialize, ToSchema)]
pub struct WindowInput {
    #[schema(value_type = String, format = DateTime, example = "2026-11-23T10:00:00Z")]
    pub start: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime, example = "2026-11-23T16:00:00Z")]
    pub end: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewRequest {
    #[schema(value_type = Category)]
    pub category: String,
    #[schema(schema_with = super::schemas::description)]
    pub description: String,
    pub window: WindowInput,
    /// 1 to 480 minutes, and no longer than the window.
    #[schema(example = 90, minimum = 1, maximum = 480)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub duration_minutes: i64,
    /// Defaults to the member's home.
    pub location: Option<Location>,
    /// Required when a coordinator asks on a member's behalf.
    pub member_id: Option<String>,
    /// Coordinators only, with `reason`: ask although the member's account is short (when
    /// tokens are required).
    #[serde(default)]
    pub allow_negative: bool,
    /// Why the account may go below zero (with `allow_negative`).
    #[schema(schema_with = super::schemas::reason)]
    pub reason: Option<String>,
    /// "Ask Clive again": a helper who has done a visit for this member, offered the job alone
    /// first (for `series.regular_first_hours`, as a standing request's regular helper is),
    /// then others as usual. Anyone else is a 422 naming it.
    pub ask_first: Option<String>,
}

/// A member asks for help, or a coordinator asks for a member.
#[utoipa::path(
    post, path = "/api/v1/requests", tag = "requests",
    request_body = NewRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Tokens are required and the member's account is short", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyHeader,
    body: ApiJson<NewRequest>,
) -> AppResult<HttpResponse> {
    let input = &body.value;
    let new = uc::AskedRequest {
        beyond_account: input.allow_negative,
        asked: Asked {
            member: input.member_id.clone().map(MemberId::from_string),
            details: parse_new_request(
                caller.claims(),
                input,
                state.services.now().and_utc(),
                state.services.settings.notice(),
            )
            .into(),
        },
    };
    let key = key.for_body(Some(caller.claims()), "POST /requests", &body.raw);
    let once = state
        .run_as(caller, move |svc, caller| {
            uc::create_request(svc, caller, new, key.as_ref())
        })
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

/// Every field checked at once; one 422 names them all.
/// `now` is the service's clock: a window is checked against the time the service acts at.
fn parse_new_request(
    caller: &Caller,
    input: &NewRequest,
    now: chrono::DateTime<Utc>,
    notice: crate::domain::window::Notice,
) -> Result<uc::NewRequest, Invalid> {
    let mut v = Validator::new();
    let category = v.check("category", Category::parse(&input.category));
    let description = v.check("description", fields::description(&input.description));
    let window = TimeWindow::parse_for_request(
        input.window.start,
        input.window.end,
        input.duration_minutes,
        now,
        notice,
    )
    .map_err(|es| v.extend("", es))
    .ok();
    let location = match input.location {
        Some(l) => Location::parse(l.lat, l.lon)
            .map(Some)
            .map_err(|es| v.extend("location", es))
            .ok(),
        None => Some(None),
    };
    let member = match (caller.role, &input.member_id) {
        (Role::Coordinator, None) => {
            v.add(
                "member_id",
                "is required when a coordinator asks for a member",
            );
            None
        }
        (_, Some(id)) => Some(MemberId::from_string(id.clone())),
        (_, None) => Some(caller.id.as_member()),
    };
    let reason = v.check_opt("reason", input.reason.as_deref(), fields::reason);
    if input.allow_negative && input.reason.is_none() {
        v.add("reason", "is required with allow_negative");
    }
    v.finish()?;
    validated!(category, description, window, location, member, reason);
    let (window, duration_minutes) = window;
    Ok(uc::NewRequest {
        member,
        category,
        description,
        window,
        duration_minutes,
        location,
        overdraw_reason: reason.filter(|_| input.allow_negative),
        ask_first: input.ask_first.clone().map(HelperId::from_string),
    })
}

/// The order of a list of requests.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum ListOrder {
    /// Newest first (the default).
    Newest,
    /// Soonest window first: a queue of work.
    Soonest,
    /// Latest window first: a member's requests, the day furthest ahead first.
    Latest,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Only requests with this status (coordinators use `open` for the unmatched queue).
    #[param(value_type = Option<RequestStatus>)]
    pub status: Option<String>,
    /// Coordinators: only this member's requests (a member's account page, finding a past
    /// request). Members may give their own id; anyone else's is refused.
    pub member_id: Option<String>,
    /// Coordinators: only this helper's visits (their diary; with `order=soonest`, what is
    /// coming). Helpers may give their own id; anyone else's is refused.
    pub helper_id: Option<String>,
    /// `newest` (the default), `soonest` (soonest window first, a queue of work) or `latest`
    /// (latest window first).
    #[param(value_type = Option<ListOrder>)]
    pub order: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// Members see their own requests, helpers those assigned to them, coordinators all (or one
/// member's with `member_id`, or one helper's visits with `helper_id`). Newest first.
#[utoipa::path(
    get, path = "/api/v1/requests", tag = "requests",
    params(ListFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<RequestView>),
        (status = 403, description = "`member_id` names another member, or `helper_id` another helper, and the caller is not a coordinator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_requests(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<ListFilter>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let paging = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let status = q
        .status
        .as_deref()
        .map(RequestStatus::parse)
        .transpose()
        .map_err(|m| AppError::invalid("status", m))?;
    let order = match q.order.as_deref() {
        None | Some("newest") => uc::Order::Newest,
        Some("soonest") => uc::Order::Soonest,
        Some("latest") => uc::Order::Latest,
        Some(_) => {
            return Err(AppError::invalid(
                "order",
                "must be newest, soonest or latest",
            ))
        }
    };
    let filter = uc::RequestFilter {
        status,
        member: q.member_id.map(MemberId::from_string),
        helper: q.helper_id.map(HelperId::from_string),
        order,
    };
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::list_requests(svc, caller, &filter, paging)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// How many requests wait in each queue (nobody found yet, waiting for a yes, a helper going):
/// the numbers at the top of a coordinator's Today.
#[utoipa::path(
    get, path = "/api/v1/requests/counts", operation_id = "count_requests", tag = "requests",
    security(("bearer" = [])),
    responses(
        (status = 200, body = uc::RequestCounts),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn count_requests(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> AppResult<HttpResponse> {
    let counts = state.run_as(caller, uc::count_requests).await?;
    Ok(HttpResponse::Ok().json(counts))
}

/// One request: its member, its assigned helper, or coordinators.
#[utoipa::path(
    get, path = "/api/v1/requests/{id}", tag = "requests",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = RequestView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .read_as(caller, move |svc, caller| uc::request(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelInput {
    #[schema(schema_with = super::schemas::reason)]
    pub reason: Option<String>,
}

/// The member or a coordinator cancels a request that is not finished.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/cancel", tag = "requests",
    params(("id" = String, Path)),
    request_body(content = Option<CancelInput>),
    security(("bearer" = [])),
    responses(
        (status = 200, body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: OptionalJson<CancelInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body
        .value
        .reason
        .as_deref()
        .map(fields::reason)
        .transpose()
        .map_err(|m| AppError::invalid("reason", m))?;
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::cancel_request(svc, caller, &id, reason)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CompleteInput {
    /// Time the job took, 1 to 1440 minutes. Left out, it is the time between the helper's
    /// check-in and check-out (rounded up to the minute).
    #[schema(value_type = i64, example = 75, minimum = 1, maximum = 1440)]
    #[serde(default, deserialize_with = "super::extract::some_whole_number")]
    pub minutes_spent: Option<i64>,
}

/// The assigned helper or a coordinator marks the job done.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/complete", tag = "requests",
    params(("id" = String, Path)),
    request_body = CompleteInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn complete_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: OptionalJson<CompleteInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let minutes = body.value.minutes_spent;
    if minutes.is_some_and(|m| !(1..=1440).contains(&m)) {
        return Err(AppError::invalid(
            "minutes_spent",
            "must be between 1 and 1440",
        ));
    }
    let minutes = minutes.map(|m| m as i32);
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::complete_request(svc, caller, &id, minutes)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FeedbackInput {
    /// 1 (poor) to 5 (excellent).
    #[schema(example = 5, minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub rating: i64,
    #[schema(schema_with = super::schemas::comment)]
    pub comment: Option<String>,
}

/// The member rates a completed job, once.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/feedback", tag = "requests",
    params(("id" = String, Path)),
    request_body = FeedbackInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = FeedbackView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not completed yet, or feedback already given", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn give_feedback(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: ApiJson<FeedbackInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.value;
    let mut v = Validator::new();
    if !(1..=5).contains(&input.rating) {
        v.add("rating", "must be between 1 and 5");
    }
    let comment = v.check_opt("comment", input.comment.as_deref(), fields::comment);
    v.finish()?;
    validated!(comment);
    let rating = input.rating as i32;
    let view: FeedbackView = state
        .run_as(caller, move |svc, caller| {
            uc::give_feedback(svc, caller, &id, rating, comment)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignInput {
    pub helper_id: String,
    /// Assign even though a hard rule fails; needs `reason`, and is logged.
    #[serde(default)]
    pub force: bool,
    /// Required with `force`.
    #[schema(schema_with = super::schemas::reason)]
    pub reason: Option<String>,
}

/// A coordinator gives the job to a helper by hand; the hard rules still apply unless forced.
#[utoipa::path(
    post, path = "/api/v1/requests/{id}/assign", tag = "requests",
    params(("id" = String, Path)),
    request_body = AssignInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = RequestView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn assign_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    body: ApiJson<AssignInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let assignment = parse_assignment(body.value);
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::assign_request(svc, caller, &id, assignment)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The helper chosen by hand, and why the checks are overridden if they are.
fn parse_assignment(input: AssignInput) -> Result<uc::Assignment, Invalid> {
    let reason = input
        .reason
        .as_deref()
        .map(fields::reason)
        .transpose()
        .map_err(|m| Invalid::field("reason", m))?;
    if input.force && reason.is_none() {
        return Err(Invalid::field("reason", "is required with force"));
    }
    Ok(uc::Assignment {
        helper: HelperId::from_string(input.helper_id),
        force: input.force,
        reason,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidatesQuery {
    /// How many, 1 to 100 (default from settings).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
}

/// The eligible helpers for a request, best first, with their scores and reasons.
#[utoipa::path(
    get, path = "/api/v1/requests/{id}/candidates", operation_id = "request_candidates", tag = "requests",
    params(("id" = String, Path), CandidatesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Candidates),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn candidates(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
    q: web::Query<CandidatesQuery>,
) -> AppResult<HttpResponse> {
    let limit = match q.limit.unwrap_or(state.settings.matching.candidates_limit) {
        limit @ 1..=100 => Ok(limit),
        _ => Err(Invalid::field("limit", "must be between 1 and 100")),
    };
    let id = id.into_inner();
    let found: Candidates = state
        .run_as(caller, move |svc, caller| {
            uc::candidates(svc, caller, &id, limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// One request's story, oldest first: asked, offered, declined, lapsed, accepted, the address
/// shown, assigned, completed or cancelled. Coordinators only (others: 404).
#[utoipa::path(
    get, path = "/api/v1/requests/{id}/timeline", operation_id = "request_timeline", tag = "requests",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Timeline),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn timeline(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<RequestId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let timeline = state
        .run_as(caller, move |svc, caller| {
            crate::service::timeline::timeline(svc, caller, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(timeline))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/requests", actix_web::web::get().to(list_requests));
    api.at("/requests", actix_web::web::post().to(create_request));
    api.at("/requests/counts", actix_web::web::get().to(count_requests));
    api.at("/requests/{id}", actix_web::web::get().to(get_request));
    api.at(
        "/requests/{id}/cancel",
        actix_web::web::post().to(cancel_request),
    );
    api.at(
        "/requests/{id}/complete",
        actix_web::web::post().to(complete_request),
    );
    api.at(
        "/requests/{id}/feedback",
        actix_web::web::post().to(give_feedback),
    );
    api.at(
        "/requests/{id}/assign",
        actix_web::web::post().to(assign_request),
    );
    api.at(
        "/requests/{id}/candidates",
        actix_web::web::get().to(candidates),
    );
    api.at(
        "/requests/{id}/timeline",
        actix_web::web::get().to(timeline),
    );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_request,
    list_requests,
    count_requests,
    get_request,
    cancel_request,
    complete_request,
    give_feedback,
    assign_request,
    candidates,
    timeline
))]
pub struct Operations;
