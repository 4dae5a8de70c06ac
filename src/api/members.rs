//! `POST /api/v1/members` (sign-up, or a coordinator registering a phone-only member) and
//! `GET /api/v1/members/{id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, IdempotencyKey};
use super::idempotent::Idempotent;
use super::views::MemberView;
use crate::auth::{AuthUser, MaybeAuthUser, Role};
use crate::db::{self, members::MemberRow, users::UserRow};
use crate::domain::{fields, Location, Validator};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::validated;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMember {
    /// Required for self sign-up; a coordinator may leave it out for a phone-only member.
    pub email: Option<String>,
    /// At least 10 characters. Required for self sign-up.
    pub password: Option<String>,
    pub name: String,
    pub phone: Option<String>,
    pub address: String,
    pub location: Location,
}

/// A member signs up, or a coordinator registers one (email and password optional, phone then required).
#[utoipa::path(
    post, path = "/api/v1/members", tag = "accounts",
    request_body = NewMember,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    responses(
        (status = 201, body = MemberView),
        (status = 409, description = "Email already registered", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_member(
    state: web::Data<AppState>,
    caller: MaybeAuthUser,
    key: IdempotencyKey,
    body: ApiJson<NewMember>,
) -> AppResult<HttpResponse> {
    let by_coordinator = caller.0.as_ref().filter(|u| u.is_coordinator()).cloned();
    let input = body.value;
    let mut v = Validator::new();
    let name = v.check("name", fields::name(&input.name));
    let address = v.check("address", fields::address(&input.address));
    let phone = v.check_opt("phone", input.phone.as_deref(), fields::phone);
    let email = v.check_opt("email", input.email.as_deref(), fields::email);
    let password = v.check_opt("password", input.password.as_deref(), fields::password);
    let location = Location::parse(input.location.lat, input.location.lon)
        .map_err(|es| v.extend("location", es))
        .ok();
    if by_coordinator.is_none() {
        if input.email.is_none() {
            v.add("email", "is required to sign up");
        }
        if input.password.is_none() {
            v.add("password", "is required to sign up");
        }
    } else if input.email.is_none() && input.phone.is_none() {
        v.add("phone", "a member with no email needs a phone number");
    }
    if input.password.is_some() && input.email.is_none() {
        v.add("email", "is required when a password is set");
    }
    v.finish()?;
    validated!(name, address, phone, email, password, location);

    let hash = match password {
        Some(p) => {
            let policy = state.passwords();
            Some(
                web::block(move || policy.hash(&p))
                    .await?
                    .map_err(AppError::internal)?,
            )
        }
        None => None,
    };
    let now = db::now();
    let user = UserRow {
        id: db::new_id(),
        role: Role::Member.as_str().into(),
        name,
        email,
        phone,
        password_hash: hash,
        created_at: now,
    };
    let member = MemberRow {
        user_id: user.id.clone(),
        address,
        lat: location.lat,
        lon: location.lon,
        created_by: by_coordinator.as_ref().map(|c| c.id.clone()),
    };
    let caller = caller.0;
    Idempotent {
        state: &state,
        caller: caller.as_ref(),
        key: key.0,
        route: "POST /members",
        body: &body.raw,
    }
    .run(StatusCode::CREATED, || async {
        state
            .db(move |c| {
                if let Some(email) = &user.email {
                    if db::users::email_taken(c, email)? {
                        return Err(AppError::Conflict(
                            "An account with this email already exists.".into(),
                        ));
                    }
                }
                db::members::create(c, &user, &member).map_err(|e| {
                    if db::is_unique_violation(&e) {
                        AppError::Conflict("An account with this email already exists.".into())
                    } else {
                        e.into()
                    }
                })?;
                Ok(MemberView::new(user, member))
            })
            .await
    })
    .await
}

/// A member's profile: that member and coordinators only.
#[utoipa::path(
    get, path = "/api/v1/members/{id}", tag = "accounts",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = MemberView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_member(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    if !(caller.is_coordinator() || caller.id == id) {
        return Err(AppError::NotFound);
    }
    let (user, member) = state
        .db(move |c| db::members::get(c, &id)?.ok_or(AppError::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(MemberView::new(user, member)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BlockInput {
    pub helper_id: String,
}

/// A member (or a coordinator for them) blocks a helper: they are never offered this member's jobs.
#[utoipa::path(
    post, path = "/api/v1/members/{id}/blocks", tag = "accounts",
    params(("id" = String, Path)),
    request_body = BlockInput,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Blocked (also when already blocked)"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn block_helper(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<String>,
    body: ApiJson<BlockInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    if !(caller.is_coordinator() || caller.id == id) {
        return Err(AppError::NotFound);
    }
    let helper_id = body.value.helper_id;
    state
        .db(move |c| {
            db::members::get(c, &id)?.ok_or(AppError::NotFound)?;
            if db::helpers::get(c, &helper_id)?.is_none() {
                return Err(AppError::invalid("helper_id", "no helper has this id"));
            }
            db::matching::block(c, &id, &helper_id, db::now())?;
            db::audit::record(
                c,
                Some(&caller.id),
                "member.blocked_helper",
                &id,
                Some(&helper_id),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lift a block: the helper may be offered this member's jobs again.
#[utoipa::path(
    delete, path = "/api/v1/members/{id}/blocks/{helper_id}", tag = "accounts",
    params(("id" = String, Path), ("helper_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "No longer blocked"),
        (status = 404, description = "No such member or block", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unblock_helper(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, helper_id) = path.into_inner();
    if !(caller.is_coordinator() || caller.id == id) {
        return Err(AppError::NotFound);
    }
    state
        .db(move |c| {
            if !db::matching::unblock(c, &id, &helper_id)? {
                return Err(AppError::NotFound);
            }
            db::audit::record(
                c,
                Some(&caller.id),
                "member.unblocked_helper",
                &id,
                Some(&helper_id),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
