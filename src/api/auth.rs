//! Sign-in: `POST /auth/login`, `POST /auth/refresh`, `POST /auth/logout`, `GET /me`. A kept
//! sign-in ("Keep me signed in on this phone") carries its refresh token in a cookie that scripts
//! cannot read, sent only to `/api/v1/auth`.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, OptionalJson};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::error::{AppError, AppResult};
use crate::service::sessions::{self as uc, Issued, Me, SignInFrom, TokenResponse};
use crate::service::text_sign_in;

/// The cookie that holds a kept sign-in's refresh token.
pub const REFRESH_COOKIE: &str = "neighbourly_refresh";

#[derive(Deserialize, ToSchema)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    /// Keep this phone or browser signed in: the refresh token goes into a cookie (`HttpOnly`,
    /// `SameSite=Strict`, `Path=/api/v1/auth`) lasting `auth.remember_days` from its last use,
    /// and is left out of the answer.
    #[serde(default)]
    pub remember: bool,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct RefreshInput {
    /// The refresh token; left out, the kept sign-in's cookie is read.
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// The refresh token sent in the body, else the kept sign-in's cookie.
fn refresh_token_of(req: &HttpRequest, body: RefreshInput) -> Option<String> {
    body.refresh_token
        .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()))
        .filter(|t| !t.trim().is_empty())
}

/// The cookie for a kept sign-in's refresh token, or one that clears it (`None`).
fn refresh_cookie(state: &AppState, kept: Option<(&str, i64)>) -> Cookie<'static> {
    let (value, max_age) = kept.unwrap_or(("", 0));
    Cookie::build(REFRESH_COOKIE, value.to_string())
        .path("/api/v1/auth")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.server.public_url.starts_with("https://"))
        .max_age(time::Duration::seconds(max_age))
        .finish()
}

/// The answer with new tokens; a kept sign-in's refresh token set as the cookie.
fn signed_in(state: &AppState, issued: Issued) -> HttpResponse {
    let mut answer = HttpResponse::Ok();
    if let Some(kept) = &issued.remembered {
        let secs = kept.lasts.num_seconds();
        answer.cookie(refresh_cookie(state, Some((&kept.refresh_token, secs))));
    }
    answer.json(issued.tokens)
}

/// Sign in with email and password. Rate-limited per client address, and wrong passwords per
/// account and client address. With `"remember": true` the refresh token is set as the cookie
/// `neighbourly_refresh` instead of being in the answer.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginInput,
    responses(
        (status = 200, body = TokenResponse, headers(("Set-Cookie" = String, description = "With `remember`: `neighbourly_refresh`, HttpOnly, SameSite=Strict, Path=/api/v1/auth"))),
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
    let LoginInput {
        email,
        password,
        remember,
    } = body.value;
    let from = SignInFrom {
        network: from,
        user_agent: user_agent(&req),
        remember,
    };
    let issued = state
        .run(move |svc| uc::login(svc, &email, &password, from))
        .await?;
    Ok(signed_in(&state, issued))
}

#[derive(Deserialize, ToSchema)]
pub struct CodeRequest {
    /// The number on the account, as the person writes it.
    #[schema(example = "07700 900123", min_length = 1, max_length = 32)]
    pub phone: String,
}

#[derive(Deserialize, ToSchema)]
pub struct CodeLogin {
    #[schema(example = "07700 900123", min_length = 1, max_length = 32)]
    pub phone: String,
    /// The six digits texted (spaces allowed between them).
    #[schema(example = "482193", pattern = "^[0-9 ]{6,8}$")]
    pub code: String,
    /// As for `/auth/login`: keep this phone signed in.
    #[serde(default)]
    pub remember: bool,
}

/// The client's network, for limits per address.
fn network(state: &AppState, req: &HttpRequest) -> String {
    let trusted = &state.settings.auth.trusted_proxies;
    super::client::address(req, trusted).map_or_else(String::new, |ip| {
        crate::auth::rate_limit::network(ip).to_string()
    })
}

fn phone_field(phone: &str) -> AppResult<()> {
    match phone.chars().count() {
        0 => Err(AppError::invalid("phone", "must not be empty")),
        1..=32 => Ok(()),
        _ => Err(AppError::invalid("phone", "must be at most 32 characters")),
    }
}

/// Text a six-digit code to sign in with to the account that has this mobile number. The
/// answer is the same whether or not there is one; a number is sent at most three codes an
/// hour, and one network may ask ten times an hour.
#[utoipa::path(
    post, path = "/api/v1/auth/sms-code", operation_id = "ask_for_sign_in_code", tag = "auth",
    request_body = CodeRequest,
    responses(
        (status = 202, description = "If the number is on an account, a code is on its way (valid 10 minutes)"),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many asks from this network; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ask_for_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<CodeRequest>,
) -> AppResult<HttpResponse> {
    let CodeRequest { phone } = body.value;
    phone_field(&phone)?;
    let network = network(&state, &req);
    state
        .run(move |svc| text_sign_in::ask_for_code(svc, &phone, &network))
        .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sign in with the code texted to this number: five tries, ten minutes, once.
#[utoipa::path(
    post, path = "/api/v1/auth/sms-login", operation_id = "sign_in_with_code", tag = "auth",
    request_body = CodeLogin,
    responses(
        (status = 200, body = TokenResponse, headers(("Set-Cookie" = String, description = "With `remember`: `neighbourly_refresh`, HttpOnly, SameSite=Strict, Path=/api/v1/auth"))),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_in_with_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<CodeLogin>,
) -> AppResult<HttpResponse> {
    let trusted = &state.settings.auth.trusted_proxies;
    super::client::limit(&req, trusted, &state.login_limiter)?;
    let CodeLogin {
        phone,
        code,
        remember,
    } = body.value;
    phone_field(&phone)?;
    let shaped = (6..=8).contains(&code.chars().count())
        && code.chars().all(|c| c.is_ascii_digit() || c == ' ');
    if !shaped {
        return Err(AppError::invalid("code", "must be the six numbers texted"));
    }
    let from = SignInFrom {
        network: network(&state, &req),
        user_agent: user_agent(&req),
        remember,
    };
    let issued = state
        .run(move |svc| text_sign_in::sign_in(svc, &phone, &code, from))
        .await?;
    Ok(signed_in(&state, issued))
}

fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Trade a refresh token for new tokens. Each refresh token works once; reusing one signs out
/// every session that grew from the same login (unless within seconds of its first use, as two
/// tabs opening at once do). With no body, or no `refresh_token`, the kept sign-in's cookie is
/// read, and its new refresh token set as the cookie again.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    params(("neighbourly_refresh" = Option<String>, Cookie, description = "A kept sign-in's refresh token, read when the body names none")),
    request_body(content = Option<RefreshInput>, description = "May be left out for a kept sign-in"),
    responses(
        (status = 200, body = TokenResponse, headers(("Set-Cookie" = String, description = "For a kept sign-in: its new refresh token"))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn refresh_tokens(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: OptionalJson<RefreshInput>,
) -> AppResult<HttpResponse> {
    let Some(token) = refresh_token_of(&req, body.value) else {
        return Err(AppError::Unauthorized(
            "This phone is not signed in: sign in again.".into(),
        ));
    };
    let issued = state
        .run(move |svc| uc::refresh_session(svc, &token))
        .await?;
    Ok(signed_in(&state, issued))
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

/// Sign out: the refresh token (sent, or the kept sign-in's cookie) and every token grown from
/// the same login stop working, and the cookie is cleared. Access tokens already issued run out
/// on their own (15 minutes).
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    params(("neighbourly_refresh" = Option<String>, Cookie, description = "A kept sign-in's refresh token, read when the body names none")),
    request_body(content = Option<RefreshInput>, description = "May be left out for a kept sign-in"),
    responses(
        (status = 204, description = "Signed out (also when the token was already unknown or revoked)", headers(("Set-Cookie" = String, description = "Clears `neighbourly_refresh`"))),
    )
)]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: OptionalJson<RefreshInput>,
) -> AppResult<HttpResponse> {
    if let Some(token) = refresh_token_of(&req, body.value) {
        state.run(move |svc| uc::logout(svc, &token)).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(refresh_cookie(&state, None))
        .finish())
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/auth/login", actix_web::web::post().to(login));
    api.at("/auth/refresh", actix_web::web::post().to(refresh_tokens));
    api.at("/auth/logout", actix_web::web::post().to(logout));
    api.at("/auth/sms-code", actix_web::web::post().to(ask_for_code));
    api.at(
        "/auth/sms-login",
        actix_web::web::post().to(sign_in_with_code),
    );
    api.at("/me", actix_web::web::get().to(me));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(login, refresh_tokens, logout, me, ask_for_code, sign_in_with_code))]
pub struct Operations;
