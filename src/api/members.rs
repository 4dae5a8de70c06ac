//! `POST /api/v1/members` (sign-up, or a coordinator registering a phone-only member) and
//! `GET /api/v1/members/{id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::answer_once;
use super::extract::{ApiJson, IdempotencyHeader};
use crate::api::signed_in::{AuthUser, MaybeAuthUser};
use crate::api::state::AppState;
use crate::domain::{fields, HelperId, Location, MemberId, Validator};
use crate::error::AppResult;
use crate::service::accounts as uc;
use crate::service::views::MemberView;
use crate::validated;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMember {
    /// Required for self sign-up; a coordinator may leave it out for a phone-only member (who
    /// then needs a phone). Signing up without email and password is for coordinators only (403).
    #[schema(schema_with = super::schemas::optional_email)]
    pub email: Option<String>,
    /// Required for self sign-up; needs an email.
    #[schema(schema_with = super::schemas::optional_password)]
    pub password: Option<String>,
    #[schema(schema_with = super::schemas::name)]
    pub name: String,
    #[schema(schema_with = super::schemas::optional_phone)]
    pub phone: Option<String>,
    #[schema(schema_with = super::schemas::address)]
    pub address: String,
    /// Where they live: the postcode's place is used (one of `postcode` and `location` is needed;
    /// a `location` given wins).
    #[schema(schema_with = super::schemas::optional_postcode)]
    pub postcode: Option<String>,
    pub location: Option<Location>,
}

/// A member signs up, or a coordinator registers one (email and password optional, phone then required).
#[utoipa::path(
    post, path = "/api/v1/members", tag = "accounts",
    request_body = NewMember,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    responses(
        (status = 201, body = MemberView),
        (status = 401, description = "A bearer token was sent that is not valid or no longer works (a sign-up needs none)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email already registered", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_member(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeAuthUser,
    key: IdempotencyHeader,
    body: ApiJson<NewMember>,
) -> AppResult<HttpResponse> {
    let by_coordinator = caller.0.as_ref().is_some_and(|u| u.is_coordinator());
    let new = parse_new_member(&body.value, by_coordinator)?;
    if !by_coordinator {
        let trusted = &state.settings.auth.trusted_proxies;
        super::client::limit(&req, trusted, &state.signup_limiter)?;
    }
    let caller = caller.0;
    let key = key.for_body(caller.as_ref(), "POST /members", &body.raw);
    let once = state
        .run(move |svc| uc::register_member(svc, caller.as_ref(), new, key.as_ref()))
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

/// Self sign-up needs an email and a password; a coordinator may register a phone-only member.
fn parse_new_member(input: &NewMember, by_coordinator: bool) -> AppResult<uc::NewMember> {
    let mut v = Validator::new();
    let name = v.check("name", fields::name(&input.name));
    let address = v.check("address", fields::address(&input.address));
    let phone = v.check_opt("phone", input.phone.as_deref(), fields::phone);
    let email = v.check_opt("email", input.email.as_deref(), fields::email);
    let password = v.check_opt("password", input.password.as_deref(), fields::password);
    let location = super::places::parse_place(
        &mut v,
        "location",
        input.location,
        input.postcode.as_deref(),
    );
    if !by_coordinator {
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
    Ok(uc::NewMember {
        name,
        email,
        phone,
        password,
        address,
        place: location,
    })
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
    id: web::Path<MemberId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| uc::member(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
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
    id: web::Path<MemberId>,
    body: ApiJson<BlockInput>,
) -> AppResult<HttpResponse> {
    let member = id.into_inner();
    let helper = HelperId::from_string(body.value.helper_id);
    state
        .run_as(caller, move |svc, caller| {
            uc::block_helper(svc, caller, &member, &helper)
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
    path: web::Path<(MemberId, HelperId)>,
) -> AppResult<HttpResponse> {
    let (member, helper) = path.into_inner();
    state
        .run_as(caller, move |svc, caller| {
            uc::unblock_helper(svc, caller, &member, &helper)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/members", actix_web::web::post().to(create_member));
    api.at("/members/{id}", actix_web::web::get().to(get_member));
    api.at(
        "/members/{id}/blocks",
        actix_web::web::post().to(block_helper),
    );
    api.at(
        "/members/{id}/blocks/{helper_id}",
        actix_web::web::delete().to(unblock_helper),
    );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(create_member, get_member, block_helper, unblock_helper))]
pub struct Operations;
