//! `AuthUser`: the signed-in caller, from `Authorization: Bearer <token>`. It is the domain's
//! `Caller`, read from a token checked with the `TokenKeys` the application registers, and then
//! against the account: a deactivated account, or a token issued before a password change, is
//! refused at once (one primary-key read on the blocking pool).

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::TokenKeys;
use crate::domain::{Caller, UserId};
use crate::error::AppError;
use crate::service::access;
use crate::state::AppState;

/// The signed-in caller; a missing or bad token is a 401.
pub type AuthUser = Caller;

fn bearer(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| AppError::Unauthorized("The Authorization header is not readable.".into()))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| {
            AppError::Unauthorized("Use Authorization: Bearer <access_token>.".into())
        })?;
    Ok(Some(token.trim().to_string()))
}

/// The caller a token names, and the token's version; not yet checked against the account.
fn claimed(req: &HttpRequest) -> Result<Option<(Caller, i32)>, AppError> {
    let Some(token) = bearer(req)? else {
        return Ok(None);
    };
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| AppError::internal("token keys are not registered"))?;
    let (id, role, version) = keys.verify(&token).ok_or_else(|| {
        AppError::Unauthorized("The access token is invalid or has expired.".into())
    })?;
    let caller = Caller {
        id: UserId::from_string(id),
        role,
    };
    Ok(Some((caller, version)))
}

/// The claimed caller, if their account still accepts this token.
fn authenticate(req: &HttpRequest) -> LocalBoxFuture<'static, Result<Option<Caller>, AppError>> {
    let claimed = claimed(req);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    Box::pin(async move {
        let Some((caller, version)) = claimed? else {
            return Ok(None);
        };
        let state = state.ok_or_else(|| AppError::internal("the state is not registered"))?;
        let id = caller.id.clone();
        if state
            .run(move |svc| access::token_is_current(svc, &id, version))
            .await?
        {
            Ok(Some(caller))
        } else {
            Err(AppError::Unauthorized(
                "This access token no longer works: sign in again.".into(),
            ))
        }
    })
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = authenticate(req);
        Box::pin(async move {
            caller.await?.ok_or_else(|| {
                AppError::Unauthorized("Sign in first: no access token was sent.".into())
            })
        })
    }
}

/// The caller if signed in; anonymous callers are allowed. A token that is sent must be valid.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<Caller>);

impl FromRequest for MaybeAuthUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = authenticate(req);
        Box::pin(async move { caller.await.map(MaybeAuthUser) })
    }
}
