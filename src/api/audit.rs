//! `GET /api/v1/audit`: the audit log, for coordinators.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::UserId;
use crate::error::AppResult;
use crate::service::audit::{self as uc, AuditEntryView};
use crate::service::pagination::{Page, PageParams};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only lines about this account, request or offer.
    pub subject_id: Option<String>,
    /// Only lines of what this account did.
    pub actor_id: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// Who did what to whom, newest first.
#[utoipa::path(
    get, path = "/api/v1/audit", operation_id = "read_audit_log", tag = "people",
    params(AuditFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<AuditEntryView>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read_log(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<AuditFilter>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let paging = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse();
    let actor = q.actor_id.map(UserId::from_string);
    let subject = q.subject_id;
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::read_log(svc, caller, subject, actor, paging)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/audit", actix_web::web::get().to(read_log));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(read_log))]
pub struct Operations;
