//! `GET /requests/{id}/doorstep`: the two words a visit's helper says at the door.

use actix_web::{web, HttpResponse};

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::RequestId;
use crate::error::AppResult;
use crate::service::doorstep::{self as uc, DoorstepView};

/// The words the helper says at the door, for the member, the helper going and coordinators;
/// 404 for anyone else, and before a helper is assigned.
#[utoipa::path(
    get, path = "/api/v1/requests/{id}/doorstep", operation_id = "read_doorstep_words", tag = "visits",
    params(("id" = String, Path, description = "The request")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = DoorstepView),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = RequestId::from_string(id.into_inner());
    let view = state
        .run_as(caller, move |svc, caller| uc::read(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/requests/{id}/doorstep", web::get().to(read));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(read))]
pub struct Operations;
