//! `AuthUser`: the signed-in caller, from `Authorization: Bearer <token>`. It is the domain's
//! `Caller`, read from a token checked with the `TokenKeys` the application registers.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use super::TokenKeys;
use crate::domain::{Caller, UserId};
use crate::error::AppError;

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

fn authenticate(req: &HttpRequest) -> Result<Option<Caller>, AppError> {
    let Some(token) = bearer(req)? else {
        return Ok(None);
    };
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| AppError::internal("token keys are not registered"))?;
    let (id, role) = keys.verify(&token).ok_or_else(|| {
        AppError::Unauthorized("The access token is invalid or has expired.".into())
    })?;
    Ok(Some(Caller {
        id: UserId::from_string(id),
        role,
    }))
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|u| {
            u.ok_or_else(|| {
                AppError::Unauthorized("Sign in first: no access token was sent.".into())
            })
        }))
    }
}

/// The caller if signed in; anonymous callers are allowed. A token that is sent must be valid.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<Caller>);

impl FromRequest for MaybeAuthUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).map(MaybeAuthUser))
    }
}
