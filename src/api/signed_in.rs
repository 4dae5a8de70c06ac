//! `AuthUser`: the signed-in caller, from `Authorization: Bearer <token>`, read from a token
//! checked with the `TokenKeys` the application registers. The token must also still be accepted
//! by the account: a deactivated account, or a token issued before a password change, is refused
//! at once. For `AuthUser` that one primary-key read is the first statement of the use case's
//! first transaction (`AppState::run_as`, the only way to the checked `Caller`); `MaybeAuthUser`,
//! on the sign-up routes, reads it in a hop of its own.

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::api::state::AppState;
use crate::auth::TokenKeys;
use crate::domain::{Caller, SessionId, UserId};
use crate::error::AppError;
use crate::service::access;

/// A caller with a genuine, unexpired access token; a missing or bad token is a 401. What the
/// token claims (`claims`) may be used to refuse early, before any database work; the checked
/// `Caller` is given to the use case by `AppState::run_as`, after the account has accepted the
/// token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    claims: Caller,
    version: i32,
    session: Option<SessionId>,
}

impl SignedIn {
    /// Who the token says the caller is, not yet checked against the account.
    pub fn claims(&self) -> &Caller {
        &self.claims
    }

    /// The place (phone or browser) the token was issued to, when it was issued to one.
    pub fn session(&self) -> Option<&SessionId> {
        self.session.as_ref()
    }

    /// The caller and the token's version, for the check against the account.
    pub(crate) fn into_parts(self) -> (Caller, i32) {
        (self.claims, self.version)
    }
}

/// The signed-in caller of a handler.
pub type AuthUser = SignedIn;

/// The refusal for a token the account no longer accepts.
pub(crate) fn token_ended() -> AppError {
    AppError::Unauthorized(access::TOKEN_ENDED.into())
}

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

/// The caller a token names, the token's version and its session; not yet checked against the
/// account.
fn claimed(req: &HttpRequest) -> Result<Option<(Caller, i32, Option<SessionId>)>, AppError> {
    let Some(token) = bearer(req)? else {
        return Ok(None);
    };
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| AppError::internal("token keys are not registered"))?;
    let verified = keys.verify(&token).ok_or_else(|| {
        AppError::Unauthorized("The access token is invalid or has expired.".into())
    })?;
    let caller = Caller {
        id: UserId::from_string(verified.user_id),
        role: verified.role,
        on_behalf: None,
    };
    let session = verified.session.map(SessionId::from_string);
    Ok(Some((caller, verified.version, session)))
}

/// The claimed caller, if their account still accepts this token.
fn authenticate(req: &HttpRequest) -> LocalBoxFuture<'static, Result<Option<Caller>, AppError>> {
    let claimed = claimed(req);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    Box::pin(async move {
        let Some((caller, version, _)) = claimed? else {
            return Ok(None);
        };
        let state = state.ok_or_else(|| AppError::internal("the state is not registered"))?;
        let (id, role) = (caller.id.clone(), caller.role);
        if state
            .run(move |svc| access::token_is_current(svc, &id, role, version))
            .await?
        {
            Ok(Some(caller))
        } else {
            Err(token_ended())
        }
    })
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(claimed(req).and_then(|claimed| {
            let (claims, version, session) = claimed.ok_or_else(|| {
                AppError::Unauthorized("Sign in first: no access token was sent.".into())
            })?;
            Ok(SignedIn {
                claims,
                version,
                session,
            })
        }))
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
