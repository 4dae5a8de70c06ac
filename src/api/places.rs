//! `GET /places/{postcode}`: where a postcode is, for anyone (the sign-up form shows the area
//! before a person sends it).

use actix_web::{web, HttpResponse};

use crate::api::state::AppState;
use crate::domain::{Location, Place, Postcode, Validator};
use crate::error::AppResult;
use crate::service::places::{self as uc, PlaceView};

/// The place of a postcode, typed with any spacing or case ("se154qf"); 404 for a postcode not
/// in the imported list, or not a postcode at all.
#[utoipa::path(
    get, path = "/api/v1/places/{postcode}", operation_id = "get_place", tag = "places",
    params(("postcode" = String, Path, description = "A UK postcode, any spacing or case", example = "SE15 4QF")),
    responses(
        (status = 200, body = PlaceView),
        (status = 404, description = "Not a known postcode", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_place(
    state: web::Data<AppState>,
    postcode: web::Path<String>,
) -> AppResult<HttpResponse> {
    let postcode = postcode.into_inner();
    let place = state.run(move |svc| uc::place(svc, &postcode)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=86400",
        ))
        .json(place))
}

/// A place from a body's `location` (named `location_field`) and `postcode`: the position wins
/// when both are given; with neither, `postcode` is named as missing.
pub fn parse_place(
    v: &mut Validator,
    location_field: &str,
    location: Option<Location>,
    postcode: Option<&str>,
) -> Option<Place> {
    // A postcode sent must be one, even when a position given alongside wins.
    let sent = postcode.is_some();
    let postcode = postcode.and_then(|p| v.check("postcode", Postcode::parse(p)));
    match (location, postcode) {
        (Some(l), _) => Location::parse(l.lat, l.lon)
            .map_err(|es| v.extend(location_field, es))
            .ok()
            .map(Place::At),
        (None, Some(p)) => Some(Place::Postcode(p)),
        (None, None) if sent => None,
        (None, None) => {
            v.add(
                "postcode",
                format!("give a postcode (or a {location_field})"),
            );
            None
        }
    }
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/places/{postcode}", actix_web::web::get().to(get_place));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(get_place))]
pub struct Operations;
