//! Where a person is signed in: `GET /me/sessions`, `DELETE /me/sessions/{id}` (sign out on that
//! phone), and `POST /users/{id}/sign-out-everywhere` (that person, or a coordinator for a lost
//! phone).

use actix_web::{web, HttpResponse};

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::{SessionId, UserId};
use crate::error::AppResult;
use crate::service::sessions::{self as uc, SessionView};

/// The phones and browsers the caller is signed in on, most recently used first; `this_one`
/// marks the one asking.
#[utoipa::path(
    get, path = "/api/v1/me/sessions", operation_id = "list_my_sessions", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<SessionView>),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(state: web::Data<AppState>, caller: AuthUser) -> AppResult<HttpResponse> {
    let current = caller.session().cloned();
    let sessions = state
        .run_as(caller, move |svc, c| uc::sessions(svc, c, current.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(sessions))
}

/// Sign out on one of the caller's phones or browsers: it must sign in again there (an access
/// token it holds runs out on its own within 15 minutes).
#[utoipa::path(
    delete, path = "/api/v1/me/sessions/{id}", operation_id = "end_my_session", tag = "auth",
    params(("id" = String, Path, description = "A session from `GET /me/sessions`")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out there"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not one of the caller's, or already signed out", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn end(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<SessionId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .run_as(caller, move |svc, c| uc::end_session(svc, c, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sign a person out on every phone and browser at once, access tokens included: for a lost or
/// shared phone. That person, or coordinators (audited).
#[utoipa::path(
    post, path = "/api/v1/users/{id}/sign-out-everywhere", operation_id = "sign_out_everywhere", tag = "auth",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out everywhere"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn everywhere(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    state
        .run_as(caller, move |svc, c| uc::sign_out_everywhere(svc, c, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/me/sessions", web::get().to(list));
    api.at("/me/sessions/{id}", web::delete().to(end));
    api.at(
        "/users/{id}/sign-out-everywhere",
        web::post().to(everywhere),
    );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(list, end, everywhere))]
pub struct Operations;
