//! `GET /map/tiles`: the map tiles the console draws its map on (coordinators).

use actix_web::{web, HttpResponse};

use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::error::AppResult;
use crate::service::map::{self as uc, MapTiles};

/// The map tiles the Circle's settings name (`console.map_tiles_url`), or `url: null` when the
/// map is drawn without tiles.
#[utoipa::path(
    get, path = "/api/v1/map/tiles", operation_id = "get_map_tiles", tag = "map",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MapTiles),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn tiles(state: web::Data<AppState>, caller: AuthUser) -> AppResult<HttpResponse> {
    let tiles: MapTiles = state.run_as(caller, uc::tiles).await?;
    Ok(HttpResponse::Ok().json(tiles))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/map/tiles", actix_web::web::get().to(tiles));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(tiles))]
pub struct Operations;
