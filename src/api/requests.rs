//! Help requests: create, list, read, cancel, complete, feedback, and a coordinator's assign.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, IdempotencyKey, OptionalJson};
use super::idempotent::Idempotent;
use super::pagination::{page, Page, PageParams};
use super::views::{utc, HelperContact, MemberContact, RequestView};
use crate::auth::{AuthUser, Role};
use crate::db::{self, feedback::FeedbackRow, requests::RequestRow, DbConnection};
use crate::domain::{fields, Category, Location, RequestStatus, TimeWindow, Validator};
use crate::error::{AppError, AppResult};
use crate::offering;
use crate::state::AppState;
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
    #[schema(example = "gardening")]
    pub category: String,
    #[schema(example = "Trim the front hedge")]
    pub description: String,
    pub window: WindowInput,
    #[schema(example = 90)]
    pub duration_minutes: i64,
    /// Defaults to the member's home.
    pub location: Option<Location>,
    /// Required when a coordinator asks on a member's behalf.
    pub member_id: Option<String>,
}

/// Contact details for a request's view, shown only to those allowed to see them.
fn contacts(
    c: &mut DbConnection,
    row: &RequestRow,
    reveal_member: bool,
) -> AppResult<(Option<HelperContact>, Option<MemberContact>)> {
    let helper = match &row.helper_id {
        Some(hid) => db::users::find(c, hid)?.map(|u| HelperContact {
            id: u.id,
            name: u.name,
            phone: u.phone,
        }),
        None => None,
    };
    let member = if reveal_member {
        db::members::get(c, &row.member_id)?.map(|(u, m)| MemberContact {
            id: u.id,
            name: u.name,
            phone: u.phone,
            address: m.address,
        })
    } else {
        None
    };
    Ok((helper, member))
}

/// The full view for one caller allowed to see the request.
pub fn full_view(c: &mut DbConnection, row: RequestRow) -> AppResult<RequestView> {
    let (helper, member) = contacts(c, &row, true)?;
    Ok(RequestView::new(row, helper, member))
}

/// Can `caller` see this request at all? Others get a 404.
fn visible_to(caller: &AuthUser, row: &RequestRow) -> bool {
    match caller.role {
        Role::Coordinator => true,
        Role::Member => row.member_id == caller.id,
        Role::Helper => row.helper_id.as_deref() == Some(caller.id.as_str()),
    }
}

fn load_visible(c: &mut DbConnection, caller: &AuthUser, id: &str) -> AppResult<RequestRow> {
    match db::requests::get(c, id)? {
        Some(row) if visible_to(caller, &row) => Ok(row),
        _ => Err(AppError::NotFound),
    }
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
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyKey,
    body: ApiJson<NewRequest>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Member, Role::Coordinator])?;
    let input = &body.value;
    let mut v = Validator::new();
    let category = v.check("category", Category::parse(&input.category));
    let description = v.check("description", fields::description(&input.description));
    let window = TimeWindow::parse_for_request(
        input.window.start,
        input.window.end,
        input.duration_minutes,
        Utc::now(),
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
    let member_id = match (caller.role, &input.member_id) {
        (Role::Coordinator, Some(id)) => Some(id.clone()),
        (Role::Coordinator, None) => {
            v.add(
                "member_id",
                "is required when a coordinator asks for a member",
            );
            None
        }
        (_, Some(id)) if *id != caller.id => {
            return Err(AppError::Forbidden(
                "Members can only ask for help for themselves.".into(),
            ));
        }
        _ => Some(caller.id.clone()),
    };
    v.finish()?;
    validated!(category, description, window, location, member_id);
    let (window, duration) = window;
    let created_by = caller.id.clone();
    Idempotent {
        state: &state,
        caller: Some(&caller),
        key: key.0,
        route: "POST /requests",
        body: &body.raw,
    }
    .run(StatusCode::CREATED, || async {
        let st = state.clone();
        state
            .db(move |c| {
                db::write_tx(c, |c| {
                    let Some((_, member)) = db::members::get(c, &member_id)? else {
                        return Err(AppError::invalid("member_id", "no member has this id"));
                    };
                    let loc = location.unwrap_or(Location {
                        lat: member.lat,
                        lon: member.lon,
                    });
                    let row = RequestRow {
                        id: db::new_id(),
                        member_id,
                        created_by,
                        category: category.as_str().into(),
                        description,
                        status: RequestStatus::Open.as_str().into(),
                        window_start: window.start.naive_utc(),
                        window_end: window.end.naive_utc(),
                        duration_minutes: duration,
                        lat: loc.lat,
                        lon: loc.lon,
                        helper_id: None,
                        scheduled_start: None,
                        created_at: db::now(),
                        assigned_at: None,
                        completed_at: None,
                        cancelled_at: None,
                        cancel_reason: None,
                        minutes_spent: None,
                        assigned_distance_km: None,
                    };
                    db::requests::insert(c, &row)?;
                    let now = row.created_at;
                    offering::offer_next(c, &st.settings, &row.id, now)?;
                    let row = db::requests::get(c, &row.id)?.ok_or(AppError::NotFound)?;
                    full_view(c, row)
                })
            })
            .await
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListFilter {
    /// Only requests with this status (coordinators use `open` for the unmatched queue).
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Members see their own requests, helpers those assigned to them, coordinators all. Newest first.
#[utoipa::path(
    get, path = "/api/v1/requests", tag = "requests",
    params(ListFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<RequestView>),
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
    };
    let limit = paging.limit()?;
    let after = paging.after()?;
    let status = q
        .status
        .as_deref()
        .map(RequestStatus::parse)
        .transpose()
        .map_err(|m| AppError::invalid("status", m))?;
    let result: Page<RequestView> = state
        .db(move |c| {
            let scope = match caller.role {
                Role::Member => db::requests::Scope::Member(&caller.id),
                Role::Helper => db::requests::Scope::Helper(&caller.id),
                Role::Coordinator => db::requests::Scope::All,
            };
            let rows = db::requests::list(
                c,
                &db::requests::ListQuery {
                    scope,
                    status,
                    after,
                    limit: limit + 1,
                },
            )?;
            let helper_ids: Vec<String> = rows.iter().filter_map(|r| r.helper_id.clone()).collect();
            let helpers = db::users::names(c, &helper_ids)?;
            Ok(page(
                rows,
                limit,
                |r| (r.created_at, r.id.clone()),
                |r| {
                    let helper = r.helper_id.as_ref().and_then(|hid| {
                        helpers
                            .iter()
                            .find(|(id, _, _)| id == hid)
                            .map(|(id, name, phone)| HelperContact {
                                id: id.clone(),
                                name: name.clone(),
                                phone: phone.clone(),
                            })
                    });
                    RequestView::new(r, helper, None)
                },
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
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
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .db(move |c| {
            let row = load_visible(c, &caller, &id)?;
            full_view(c, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelInput {
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
    id: web::Path<String>,
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
    let st = state.clone();
    let view = state
        .db(move |c| {
            db::write_tx(c, |c| {
                let row = load_visible(c, &caller, &id)?;
                caller.require(&[Role::Member, Role::Coordinator])?;
                let now = db::now();
                let row = offering::flow::transition(c, &row, RequestStatus::Cancelled, |c| {
                    db::requests::cancel(c, &id, reason.as_deref(), now)
                })?;
                db::offers::withdraw_open(c, &id, now)?;
                crate::notify::events::cancelled(c, &st.settings, &row, reason.as_deref(), now)?;
                db::audit::record(
                    c,
                    Some(&caller.id),
                    "request.cancelled",
                    &id,
                    reason.as_deref(),
                )?;
                full_view(c, row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CompleteInput {
    /// Time the job took, 1 to 1440 minutes.
    #[schema(example = 75)]
    pub minutes_spent: i64,
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
    id: web::Path<String>,
    body: ApiJson<CompleteInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let minutes = body.value.minutes_spent;
    if !(1..=1440).contains(&minutes) {
        return Err(AppError::invalid(
            "minutes_spent",
            "must be between 1 and 1440",
        ));
    }
    let view = state
        .db(move |c| {
            db::write_tx(c, |c| {
                let row = load_visible(c, &caller, &id)?;
                caller.require(&[Role::Helper, Role::Coordinator])?;
                let now = db::now();
                let row = offering::flow::transition(c, &row, RequestStatus::Completed, |c| {
                    db::requests::complete(c, &id, minutes as i32, now)
                })?;
                db::audit::record(c, Some(&caller.id), "request.completed", &id, None)?;
                full_view(c, row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FeedbackInput {
    /// 1 (poor) to 5 (excellent).
    #[schema(example = 5)]
    pub rating: i64,
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    pub request_id: String,
    pub helper_id: String,
    pub rating: i32,
    pub comment: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
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
    id: web::Path<String>,
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
    let view = state
        .db(move |c| {
            let row = load_visible(c, &caller, &id)?;
            if caller.role != Role::Member {
                return Err(AppError::Forbidden(
                    "Only the member who asked can give feedback.".into(),
                ));
            }
            if row.status() != RequestStatus::Completed {
                return Err(AppError::Conflict(format!(
                    "Feedback can be given once the job is completed; this request is {}.",
                    row.status().as_str()
                )));
            }
            let helper_id = row
                .helper_id
                .clone()
                .ok_or_else(|| AppError::internal("completed without helper"))?;
            let fb = FeedbackRow {
                request_id: row.id,
                member_id: caller.id.clone(),
                helper_id,
                rating,
                comment,
                created_at: db::now(),
            };
            if !db::feedback::insert_once(c, &fb)? {
                return Err(AppError::Conflict(
                    "Feedback for this request was already given.".into(),
                ));
            }
            Ok(FeedbackView {
                request_id: fb.request_id,
                helper_id: fb.helper_id,
                rating: fb.rating,
                comment: fb.comment,
                created_at: utc(fb.created_at),
            })
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
    id: web::Path<String>,
    body: ApiJson<AssignInput>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Coordinator])?;
    let id = id.into_inner();
    let input = body.value;
    let reason = input
        .reason
        .as_deref()
        .map(fields::reason)
        .transpose()
        .map_err(|m| AppError::invalid("reason", m))?;
    if input.force && reason.is_none() {
        return Err(AppError::invalid("reason", "is required with force"));
    }
    let st = state.clone();
    let view = state
        .db(move |c| {
            db::write_tx(c, |c| {
                let by = offering::flow::ByHand {
                    helper_id: &input.helper_id,
                    force: input.force,
                    reason: reason.as_deref(),
                    coordinator_id: &caller.id,
                };
                let row = offering::flow::assign_by_hand(c, &st.settings, &id, &by, db::now())?;
                full_view(c, row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CandidatesQuery {
    /// How many, 1 to 100 (default from settings).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub helper_id: String,
    pub name: String,
    pub distance_km: f64,
    pub score: f64,
    /// The earliest time inside the window the helper is free.
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<Utc>,
    pub reasons: crate::matching::Reasons,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Candidates {
    pub items: Vec<CandidateView>,
}

/// The eligible helpers for a request, best first, with their scores and reasons.
#[utoipa::path(
    get, path = "/api/v1/requests/{id}/candidates", tag = "requests",
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
    id: web::Path<String>,
    q: web::Query<CandidatesQuery>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Coordinator])?;
    let limit = q.limit.unwrap_or(state.settings.matching.candidates_limit);
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid("limit", "must be between 1 and 100"));
    }
    let id = id.into_inner();
    let st = state.clone();
    let items = state
        .db(move |c| {
            let row = db::requests::get(c, &id)?.ok_or(AppError::NotFound)?;
            Ok(offering::flow::rank(
                c,
                &st.settings,
                &row,
                limit,
                db::now(),
            )?)
        })
        .await?;
    let items = items
        .into_iter()
        .map(|c| CandidateView {
            helper_id: c.helper_id,
            name: c.name,
            distance_km: crate::matching::score::round(c.distance_km, 3),
            score: crate::matching::score::round(c.score, 3),
            start: c.start,
            reasons: c.reasons,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Candidates { items }))
}
