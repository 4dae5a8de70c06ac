//! `GET /follow-ups`: what needs a coordinator today, oldest first (coordinators only).

use actix_web::{web, HttpResponse};

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::error::AppResult;
use crate::service::follow_ups::{self as uc, FollowUpPage};
use crate::service::pagination::PageParams;

/// Visits with no outcome, concerns due for review, failed emails before a visit, members no
/// one can reach, and call-backs whose day has come.
#[utoipa::path(
    get, path = "/api/v1/follow-ups", operation_id = "list_follow_ups", tag = "follow-ups",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, body = FollowUpPage),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<PageParams>,
) -> AppResult<HttpResponse> {
    let paging = q.parse();
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::follow_ups(svc, caller, paging)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/follow-ups", web::get().to(list));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(list))]
pub struct Operations;
