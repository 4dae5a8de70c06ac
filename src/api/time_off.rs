//! `POST /helpers/{id}/time-off`: a helper away ("away 14 to 28 December"), added by them or by
//! a coordinator when they ring, with the visits it touches listed or passed on at once.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::availability::TimeOffInput;
use crate::domain::HelperId;
use crate::error::AppResult;
use crate::service::time_off::{self as uc, NewTimeOff, TimeOffAdded};

#[derive(Debug, Deserialize, ToSchema)]
pub struct TimeOffAddInput {
    /// The period away: dates (`2026-12-14` to `2026-12-28`, whole days in the helper's time
    /// zone, the end day included) or RFC 3339 times, within a year back and three years ahead,
    /// ending after now.
    #[serde(flatten)]
    pub period: TimeOffInput,
    /// Withdraw the helper from their visits in that time (as if they had rung to withdraw) and
    /// offer those visits, and their open offers for jobs wholly in that time, to other helpers.
    /// Left out: the visits are only listed.
    #[serde(default)]
    pub offer_to_others: bool,
}

/// Add a period away to a helper's time off; the answer lists their visits in it, each as it
/// stands after (passed on to others, or still theirs and why).
#[utoipa::path(
    post, path = "/api/v1/helpers/{id}/time-off", operation_id = "add_time_off", tag = "accounts",
    params(("id" = String, Path, description = "The helper")),
    request_body = TimeOffAddInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = TimeOffAdded),
        (status = 404, description = "No such helper, or not the caller (unless a coordinator)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
    body: ApiJson<TimeOffAddInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let new = NewTimeOff {
        period: body.value.period,
        offer_to_others: body.value.offer_to_others,
    };
    let added = state
        .run_as(caller, move |svc, caller| {
            uc::add_time_off(svc, caller, &id, new)
        })
        .await?;
    Ok(HttpResponse::Ok().json(added))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/helpers/{id}/time-off", web::post().to(add));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(add))]
pub struct Operations;
