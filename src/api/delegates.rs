//! Family delegates: `POST/GET /members/{id}/delegates` and `DELETE
//! /members/{id}/delegates/{delegate_id}` (the member, coordinators), and the invitation's link:
//! `GET /delegate-invitations/{token}` and `POST /delegate-invitations/{token}/accept`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, OptionalJson};
use crate::api::signed_in::{AuthUser, MaybeAuthUser};
use crate::api::state::AppState;
use crate::domain::delegation::Rights;
use crate::domain::{fields, MemberId, Right, Validator};
use crate::error::AppResult;
use crate::service::delegates::{
    self as uc, DelegateView, Delegation, InvitationView, NewDelegateAccount,
};
use crate::validated;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewDelegate {
    /// Where the invitation goes.
    #[schema(schema_with = super::schemas::email)]
    pub email: String,
    /// Their name, as the member knows them ("Sarah Okoye").
    #[schema(schema_with = super::schemas::name)]
    pub name: String,
    /// What they may do: `ask` (ask for help, cancel it, say nobody came), `see` (visits, the
    /// words at the door, events), `account` (tokens, membership, details: coordinators only).
    #[schema(value_type = Vec<Right>, min_items = 1, max_items = 3)]
    pub can: Vec<String>,
}

fn parse_new(input: &NewDelegate) -> AppResult<uc::Invitation> {
    let mut v = Validator::new();
    let email = v.check("email", fields::email(&input.email));
    let name = v.check("name", fields::name(&input.name));
    let can = v.check("can", rights(&input.can));
    v.finish()?;
    validated!(email, name, can);
    Ok(uc::Invitation { email, name, can })
}

/// The rights named, each once, at least one.
fn rights(words: &[String]) -> Result<Rights, String> {
    let mut list = Vec::new();
    for w in words {
        let right = Right::parse(w)?;
        if list.contains(&right) {
            return Err(format!("names {w} twice"));
        }
        list.push(right);
    }
    match list.is_empty() {
        true => Err("give at least one of ask, see, account".into()),
        false => Ok(Rights::new(list)),
    }
}

/// Invite someone (a daughter, a friend) to arrange help for the member: they are emailed a
/// link (`{server.public_url}/app/d/{token}`, 7 days, once). Only a coordinator gives `account`.
#[utoipa::path(
    post, path = "/api/v1/members/{id}/delegates", operation_id = "invite_delegate", tag = "accounts",
    params(("id" = String, Path, description = "The member")),
    request_body = NewDelegate,
    security(("bearer" = [])),
    responses(
        (status = 201, body = DelegateView),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account` asked for by someone who is not a coordinator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member, or not the caller's to manage", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already invited, too many, or the member's account is closed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn invite(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<MemberId>,
    body: ApiJson<NewDelegate>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let invitation = parse_new(&body.value)?;
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::invite(svc, caller, &id, invitation)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// The member's delegates and the invitations not yet accepted.
#[utoipa::path(
    get, path = "/api/v1/members/{id}/delegates", operation_id = "list_delegates", tag = "accounts",
    params(("id" = String, Path, description = "The member")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<DelegateView>),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<MemberId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let views = state
        .run_as(caller, move |svc, caller| uc::list(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// Stop a delegate (or withdraw an invitation): their next call for the member is refused.
#[utoipa::path(
    delete, path = "/api/v1/members/{id}/delegates/{delegate_id}", operation_id = "remove_delegate", tag = "accounts",
    params(
        ("id" = String, Path, description = "The member"),
        ("delegate_id" = String, Path, description = "The `id` of the delegate as listed"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Stopped"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn remove(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(MemberId, String)>,
) -> AppResult<HttpResponse> {
    let (id, delegate) = path.into_inner();
    state
        .run_as(caller, move |svc, caller| {
            uc::remove(svc, caller, &id, &delegate)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What an invitation asks, for the page its link opens. No sign-in: the token is the key.
#[utoipa::path(
    get, path = "/api/v1/delegate-invitations/{token}", operation_id = "read_delegate_invitation", tag = "accounts",
    params(("token" = String, Path, description = "The token from the invitation's link")),
    responses(
        (status = 200, body = InvitationView),
        (status = 404, description = "No such invitation", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used already, or past its 7 days", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read_invitation(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let view = state.run(move |svc| uc::invitation(svc, &token)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InvitationAnswer {
    /// For a new account (no bearer token): its password; the account's email is the one invited.
    #[schema(schema_with = super::schemas::optional_password)]
    pub password: Option<String>,
    /// For a new account: the name to go by (the invitation's name when left out).
    #[schema(schema_with = super::schemas::optional_name)]
    pub name: Option<String>,
}

/// Accept an invitation: signed in (any account but the member's own or a coordinator's), or
/// with no bearer token and a `password` for a new account (role `delegate`) for the invited
/// email.
#[utoipa::path(
    post, path = "/api/v1/delegate-invitations/{token}/accept", operation_id = "accept_delegate_invitation", tag = "accounts",
    params(("token" = String, Path, description = "The token from the invitation's link")),
    request_body(content = Option<InvitationAnswer>, description = "Needed only without a bearer token"),
    security((), ("bearer" = [])),
    responses(
        (status = 200, body = Delegation),
        (status = 401, description = "A bearer token was sent that is not valid or no longer works", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email has an account already (sign in first), the caller already acts for the member, or is the member", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used already, or past its 7 days", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn accept(
    state: web::Data<AppState>,
    caller: MaybeAuthUser,
    token: web::Path<String>,
    body: OptionalJson<InvitationAnswer>,
) -> AppResult<HttpResponse> {
    let token = token.into_inner();
    let input = body.value;
    let mut v = Validator::new();
    let password = v.check_opt("password", input.password.as_deref(), fields::password);
    let name = v.check_opt("name", input.name.as_deref(), fields::name);
    v.finish()?;
    validated!(password, name);
    let new_account = password.map(|password| NewDelegateAccount { password, name });
    let caller = caller.0;
    let accepted = state
        .run(move |svc| uc::accept(svc, caller.as_ref(), &token, new_account))
        .await?;
    Ok(HttpResponse::Ok().json(accepted))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/members/{id}/delegates", web::post().to(invite))
        .at("/members/{id}/delegates", web::get().to(list))
        .at(
            "/members/{id}/delegates/{delegate_id}",
            web::delete().to(remove),
        )
        .at(
            "/delegate-invitations/{token}",
            web::get().to(read_invitation),
        )
        .at(
            "/delegate-invitations/{token}/accept",
            web::post().to(accept),
        );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(invite, list, remove, read_invitation, accept))]
pub struct Operations;
