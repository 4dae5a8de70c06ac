//! Web Push: `GET /push/key` (the key browsers subscribe with) and the caller's own
//! subscriptions, `POST` and `DELETE /me/push-subscriptions`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::ApiJson;
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::error::AppResult;
use crate::service::push::{self as uc, PushKey, SubscriptionInput, SubscriptionView};

/// The service's VAPID public key, for `pushManager.subscribe`.
#[utoipa::path(
    get, path = "/api/v1/push/key", operation_id = "push_key", tag = "push",
    responses((status = 200, body = PushKey))
)]
pub async fn key(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let key = state.run(uc::key).await?;
    Ok(HttpResponse::Ok().json(key))
}

/// Keep this browser's push subscription for the caller: each email queued for them is then
/// also pushed to it. The same endpoint again replaces its keys (200).
#[utoipa::path(
    post, path = "/api/v1/me/push-subscriptions", operation_id = "subscribe_push", tag = "push",
    request_body = SubscriptionInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Kept", body = SubscriptionView),
        (status = 200, description = "Already kept: its keys are replaced", body = SubscriptionView),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not `https://`, pointing at a private, loopback or link-local address, or keys of the wrong size", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn subscribe(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ApiJson<SubscriptionInput>,
) -> AppResult<HttpResponse> {
    let input = body.value;
    let (new, view) = state
        .run_as(caller, move |svc, who| uc::subscribe(svc, who, input))
        .await?;
    Ok(match new {
        true => HttpResponse::Created().json(view),
        false => HttpResponse::Ok().json(view),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EndpointQuery {
    /// The subscription's endpoint, as it was kept.
    pub endpoint: String,
}

/// Forget this browser's push subscription.
#[utoipa::path(
    delete, path = "/api/v1/me/push-subscriptions", operation_id = "unsubscribe_push", tag = "push",
    params(EndpointQuery),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Forgotten"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller has no subscription there", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<EndpointQuery>,
) -> AppResult<HttpResponse> {
    let endpoint = q.into_inner().endpoint;
    state
        .run_as(caller, move |svc, who| uc::unsubscribe(svc, who, &endpoint))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at(
        "/me/push-subscriptions",
        actix_web::web::post().to(subscribe),
    );
    api.at(
        "/me/push-subscriptions",
        actix_web::web::delete().to(unsubscribe),
    );
    api.at("/push/key", actix_web::web::get().to(key));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(key, subscribe, unsubscribe))]
pub struct Operations;
