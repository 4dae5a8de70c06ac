//! Access to accounts: coordinators deactivate and reactivate them; anyone asks for a password
//! reset link and uses it.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, OptionalJson};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::{fields, UserId, Validator};
use crate::error::AppResult;
use crate::service::access::{self as uc, AccountView};

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeactivateInput {
    /// Why, for the audit log.
    #[schema(schema_with = super::schemas::required_reason)]
    pub reason: String,
}

/// Deactivate an account: its tokens stop working at once (the next call is 401), a helper's
/// open offers are withdrawn and those jobs passed on.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/deactivate", operation_id = "deactivate_user", tag = "people",
    params(("id" = String, Path)),
    request_body = DeactivateInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = AccountView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or the caller's own account", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn deactivate(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
    body: ApiJson<DeactivateInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.value.reason;
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::deactivate(svc, caller, &id, &reason)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReactivateInput {
    #[schema(schema_with = super::schemas::reason)]
    pub reason: Option<String>,
}

/// Let a deactivated account in again; the person signs in afresh.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/reactivate", operation_id = "reactivate_user", tag = "people",
    params(("id" = String, Path)),
    request_body(content = Option<ReactivateInput>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AccountView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reactivate(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<UserId>,
    body: OptionalJson<ReactivateInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.value.reason;
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::reactivate(svc, caller, &id, reason.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequest {
    #[schema(schema_with = super::schemas::email)]
    pub email: String,
}

/// A sentence for the person, and nothing that tells more.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    pub message: &'static str,
}

/// Ask for a password reset link. The answer is the same whether or not the email has an
/// account: if it has, a link that works once, for an hour, goes to it.
#[utoipa::path(
    post, path = "/api/v1/auth/password-reset", operation_id = "request_password_reset", tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 202, body = Notice),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<ResetRequest>,
) -> AppResult<HttpResponse> {
    let mut v = Validator::new();
    let email = v.check("email", fields::email(&body.value.email));
    v.finish()?;
    crate::validated!(email);
    let trusted = &state.settings.auth.trusted_proxies;
    super::client::limit(&req, trusted, &state.reset_limiter)?;
    state
        .run(move |svc| uc::request_password_reset(svc, &email))
        .await?;
    Ok(HttpResponse::Accepted().json(Notice {
        message: "If this email has an account, a link to choose a new password is on its way.",
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetConfirm {
    /// The token from the emailed link.
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    #[schema(schema_with = super::schemas::password)]
    pub password: String,
}

/// Choose a new password with the emailed link's token. It works once; every session of the
/// account is signed out.
#[utoipa::path(
    post, path = "/api/v1/auth/password-reset/confirm", operation_id = "confirm_password_reset", tag = "auth",
    request_body = ResetConfirm,
    responses(
        (status = 200, body = Notice),
        (status = 422, description = "The token is unknown, used or expired, or the password too weak", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn confirm_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<ResetConfirm>,
) -> AppResult<HttpResponse> {
    let mut v = Validator::new();
    let password = v.check("password", fields::password(&body.value.password));
    if body.value.token.is_empty() || body.value.token.len() > 200 {
        v.add("token", "must be the token from the emailed link");
    }
    v.finish()?;
    crate::validated!(password);
    let trusted = &state.settings.auth.trusted_proxies;
    super::client::limit(&req, trusted, &state.reset_limiter)?;
    let token = body.value.token;
    state
        .run(move |svc| uc::confirm_password_reset(svc, &token, &password))
        .await?;
    Ok(HttpResponse::Ok().json(Notice {
        message: "Your password is changed. Sign in with the new one.",
    }))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at(
        "/auth/password-reset",
        actix_web::web::post().to(request_reset),
    );
    api.at(
        "/auth/password-reset/confirm",
        actix_web::web::post().to(confirm_reset),
    );
    api.at(
        "/users/{id}/deactivate",
        actix_web::web::post().to(deactivate),
    );
    api.at(
        "/users/{id}/reactivate",
        actix_web::web::post().to(reactivate),
    );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(request_reset, confirm_reset, deactivate, reactivate))]
pub struct Operations;
