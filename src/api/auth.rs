//! Sign-in: `POST /auth/login`, `POST /auth/refresh`, `GET /me`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::error::AppResult;
use crate::service::sessions::{self as uc, Me, TokenResponse};

#[derive(Deserialize, ToSchema)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshInput {
    pub refresh_token: String,
}

/// Sign in with email and password. Rate-limited per client address, and wrong passwords per
/// account and client address.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginInput,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<LoginInput>,
) -> AppResult<HttpResponse> {
    let trusted = &state.settings.auth.trusted_proxies;
    super::client::limit(&req, trusted, &state.login_limiter)?;
    let from = super::client::address(&req, trusted).map_or_else(String::new, |ip| {
        crate::auth::rate_limit::network(ip).to_string()
    });
    let LoginInput { email, password } = body.value;
    let tokens = state
        .run(move |svc| uc::login(svc, &email, &password, &from))
        .await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Trade a refresh token for new tokens. Each refresh token works once; reusing one signs out
/// every session that grew from the same login.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshInput,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn refresh_tokens(
    state: web::Data<AppState>,
    body: ApiJson<RefreshInput>,
) -> AppResult<HttpResponse> {
    let token = body.value.refresh_token;
    let tokens = state
        .run(move |svc| uc::refresh_session(svc, &token))
        .await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Who am I?
#[utoipa::path(
    get, path = "/api/v1/me", operation_id = "get_me", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn me(state: web::Data<AppState>, caller: AuthUser) -> AppResult<HttpResponse> {
    let me: Me = state.run_as(caller, uc::me).await?;
    Ok(HttpResponse::Ok().json(me))
}

/// Sign out: the refresh token and every token grown from the same login stop working.
/// Access tokens already issued run out on their own (15 minutes).
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = RefreshInput,
    responses(
        (status = 204, description = "Signed out (also when the token was already unknown or revoked)"),
    )
)]
pub async fn logout(
    state: web::Data<AppState>,
    body: ApiJson<RefreshInput>,
) -> AppResult<HttpResponse> {
    let token = body.value.refresh_token;
    state.run(move |svc| uc::logout(svc, &token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/auth/login", actix_web::web::post().to(login));
    api.at("/auth/refresh", actix_web::web::post().to(refresh_tokens));
    api.at("/auth/logout", actix_web::web::post().to(logout));
    api.at("/me", actix_web::web::get().to(me));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(login, refresh_tokens, logout, me))]
pub struct Operations;
