//! `POST /me/calendar`: a secret address for the caller's calendar feed; `GET
//! /calendar/{file}`: the feed itself, read by a phone's calendar without signing in.

use actix_web::{http::header, web, HttpResponse};

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::error::AppResult;
use crate::service::calendar::{self as uc, CalendarAddress};

/// A new secret address for the caller's calendar (their visits, and the events they are going
/// to); the address before stops working at once.
#[utoipa::path(
    post, path = "/api/v1/me/calendar", operation_id = "new_calendar_address", tag = "visits",
    security(("bearer" = [])),
    responses(
        (status = 201, body = CalendarAddress),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn new_address(state: web::Data<AppState>, caller: AuthUser) -> AppResult<HttpResponse> {
    let address = state.run_as(caller, uc::new_address).await?;
    Ok(HttpResponse::Created().json(address))
}

/// The calendar feed at a secret address (`{token}.ics`), as iCalendar (RFC 5545). No sign-in;
/// 404 for an address that is not one, or was replaced.
#[utoipa::path(
    get, path = "/api/v1/calendar/{file}", operation_id = "read_calendar", tag = "visits",
    params(("file" = String, Path, description = "The address's token, with `.ics` after it")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar", body = String),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn feed(state: web::Data<AppState>, file: web::Path<String>) -> AppResult<HttpResponse> {
    let file = file.into_inner();
    let ics = state.run(move |svc| uc::feed(svc, &file)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(ics))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/me/calendar", web::post().to(new_address));
    api.at("/calendar/{file}", web::get().to(feed));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(new_address, feed))]
pub struct Operations;
