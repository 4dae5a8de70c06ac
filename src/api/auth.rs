//! Sign-in: `POST /auth/login`, `POST /auth/refresh`, `GET /me`.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::ApiJson;
use super::views::{HelperView, MemberView, VettingView};
use crate::auth::{refresh, AuthUser, Role};
use crate::db::{self, refresh_tokens::RefreshTokenRow, users::UserRow, DbConnection};
use crate::domain::{Availability, Category, Location};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshInput {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: String,
    pub role: Role,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Use once with `/auth/refresh`; each use gives a new one.
    pub refresh_token: String,
    pub user: UserSummary,
}

const WRONG_LOGIN: &str = "The email or password is wrong.";

/// Issue an access token and a refresh token in `family` (a new family at login).
fn issue_tokens(
    state: &AppState,
    c: &mut DbConnection,
    user: &UserRow,
    family: Option<String>,
) -> AppResult<TokenResponse> {
    let role = Role::parse(&user.role).ok_or_else(|| AppError::internal("unknown role"))?;
    let token = refresh::new_token();
    let now = db::now();
    db::refresh_tokens::insert(
        c,
        &RefreshTokenRow {
            id: db::new_id(),
            user_id: user.id.clone(),
            family_id: family.unwrap_or_else(db::new_id),
            token_hash: refresh::hash(&token),
            created_at: now,
            expires_at: now + Duration::days(state.settings.auth.refresh_ttl_days),
            used_at: None,
            revoked_at: None,
        },
    )?;
    Ok(TokenResponse {
        access_token: state
            .keys
            .issue(&user.id, role)
            .map_err(AppError::internal)?,
        token_type: "Bearer",
        expires_in: state.keys.access_ttl_secs,
        refresh_token: token,
        user: UserSummary {
            id: user.id.clone(),
            role,
            name: user.name.clone(),
        },
    })
}

/// Sign in with email and password. Rate-limited per account and per client address.
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
    if let Some(addr) = req.peer_addr() {
        state
            .login_limiter
            .attempt(addr.ip())
            .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    }
    let email = body.value.email.trim().to_lowercase();
    let password = body.value.password;
    let st = state.clone();
    let answer = state
        .db(move |c| {
            let auth = &st.settings.auth;
            let now = db::now();
            let window = Duration::seconds(auth.login_failure_window_secs);
            let (failures, oldest) = db::login_failures::since(c, &email, now - window)?;
            if failures >= auth.login_max_failures {
                let retry = oldest
                    .map(|o| (o + window - now).num_seconds())
                    .unwrap_or(1)
                    .max(1);
                return Err(AppError::TooManyRequests {
                    retry_after_secs: retry as u64,
                });
            }
            let user = db::users::find_by_email(c, &email)?;
            let policy = st.passwords();
            let ok = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
                Some(hash) => policy.verify(&password, hash),
                None => {
                    policy.dummy_verify(&password);
                    false
                }
            };
            match user {
                Some(user) if ok => {
                    db::login_failures::clear(c, &email)?;
                    issue_tokens(&st, c, &user, None)
                }
                _ => {
                    db::login_failures::record(c, &email, now)?;
                    Err(AppError::Unauthorized(WRONG_LOGIN.into()))
                }
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
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
    let hash = refresh::hash(body.value.refresh_token.trim());
    let st = state.clone();
    let answer = state
        .db(move |c| {
            let invalid = || {
                AppError::Unauthorized(
                    "The refresh token is invalid, expired or already used.".into(),
                )
            };
            let now = db::now();
            let row = db::refresh_tokens::find_by_hash(c, &hash)?.ok_or_else(invalid)?;
            if row.used_at.is_some() || row.revoked_at.is_some() {
                tracing::warn!(user_id = %row.user_id, "refresh token reused; revoking its family");
                db::refresh_tokens::revoke_family(c, &row.family_id, now)?;
                return Err(invalid());
            }
            if row.expires_at <= now {
                return Err(invalid());
            }
            if !db::refresh_tokens::use_once(c, &row.id, now)? {
                db::refresh_tokens::revoke_family(c, &row.family_id, now)?;
                return Err(invalid());
            }
            let user = db::users::find(c, &row.user_id)?.ok_or_else(invalid)?;
            issue_tokens(&st, c, &user, Some(row.family_id))
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// The caller's account and, spread in, their profile: `address` and `location` for members;
/// `home`, `skills`, `max_distance_km`, `vetting` and `availability` for helpers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<Category>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_distance_km: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vetting: Option<VettingView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
}

/// Who am I?
#[utoipa::path(
    get, path = "/api/v1/me", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn me(state: web::Data<AppState>, caller: AuthUser) -> AppResult<HttpResponse> {
    let me = state
        .db(move |c| {
            let user = db::users::find(c, &caller.id)?
                .ok_or_else(|| AppError::Unauthorized("This account no longer exists.".into()))?;
            let mut me = Me {
                id: user.id.clone(),
                role: caller.role,
                name: user.name.clone(),
                email: user.email.clone(),
                phone: user.phone.clone(),
                address: None,
                location: None,
                home: None,
                skills: None,
                max_distance_km: None,
                vetting: None,
                availability: None,
            };
            match caller.role {
                Role::Member => {
                    if let Some((u, m)) = db::members::get(c, &user.id)? {
                        let v = MemberView::new(u, m);
                        me.address = Some(v.address);
                        me.location = Some(v.location);
                    }
                }
                Role::Helper => {
                    if let Some((u, h)) = db::helpers::get(c, &user.id)? {
                        let v = HelperView::new(u, h);
                        me.home = Some(v.home);
                        me.skills = Some(v.skills);
                        me.max_distance_km = Some(v.max_distance_km);
                        me.vetting = Some(v.vetting);
                        me.availability = Some(v.availability);
                    }
                }
                Role::Coordinator => {}
            }
            Ok(me)
        })
        .await?;
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
    let hash = refresh::hash(body.value.refresh_token.trim());
    state
        .db(move |c| {
            if let Some(row) = db::refresh_tokens::find_by_hash(c, &hash)? {
                db::refresh_tokens::revoke_family(c, &row.family_id, db::now())?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
