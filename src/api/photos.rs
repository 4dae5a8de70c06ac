//! `PUT /helpers/{id}/photo` (that helper, coordinators) and `GET /helpers/{id}/photo`
//! (coordinators, that helper, and a member expecting a visit from them).

use actix_web::{http::header, web, HttpRequest, HttpResponse};
use utoipa::ToSchema;

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::HelperId;
use crate::error::{AppError, AppResult};
use crate::service::photos as uc;

/// The largest body read; above `domain::photo::MOST_BYTES` it is refused in words (422), and
/// above this, before it is read (413).
const BODY_LIMIT: usize = 8 * 1024 * 1024;

/// A photo's bytes, as a phone's camera gives them.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PhotoFile(#[allow(dead_code)] Vec<u8>);

/// A new photo of the helper (a JPEG or a PNG of at most 5 MB): kept as a square JPEG of at
/// most 512 pixels, without the original's metadata.
#[utoipa::path(
    put, path = "/api/v1/helpers/{id}/photo", operation_id = "put_helper_photo", tag = "accounts",
    params(("id" = String, Path, description = "The helper")),
    request_body(content(
        (PhotoFile = "image/jpeg"),
        (PhotoFile = "image/png"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Kept"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such helper, or not theirs to change", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a photo that can be read, or larger than 5 MB", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put(
    state: web::Data<AppState>,
    caller: AuthUser,
    req: HttpRequest,
    id: web::Path<String>,
    mut payload: web::Payload,
) -> AppResult<HttpResponse> {
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !(kind.starts_with("image/jpeg") || kind.starts_with("image/png")) {
        return Err(AppError::UnsupportedMediaType(
            "Send the photo as image/jpeg or image/png.".into(),
        ));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut payload).await {
        let chunk =
            chunk.map_err(|_| AppError::BadRequest("The photo could not be read.".into()))?;
        if body.len() + chunk.len() > BODY_LIMIT {
            return Err(AppError::PayloadTooLarge(
                "The photo is too large: at most 5 MB.".into(),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let id = HelperId::from_string(id.into_inner());
    state
        .run_as(caller, move |svc, caller| uc::put(svc, caller, &id, &body))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The helper's photo, a square JPEG.
#[utoipa::path(
    get, path = "/api/v1/helpers/{id}/photo", operation_id = "get_helper_photo", tag = "accounts",
    params(("id" = String, Path, description = "The helper")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg", body = PhotoFile),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No photo, or not one the caller may see", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = HelperId::from_string(id.into_inner());
    let jpeg = state
        .run_as(caller, move |svc, caller| uc::get(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/jpeg"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(jpeg))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/helpers/{id}/photo", web::put().to(put));
    api.at("/helpers/{id}/photo", web::get().to(get));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(put, get))]
pub struct Operations;
