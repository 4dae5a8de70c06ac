//! `GET /circle`: the Circle's name and the number to ring, for every screen that says to ring;
//! where addresses open in a map; and how soon and how far ahead help may be asked for.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::state::AppState;

/// The Circle, as its settings name it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CircleView {
    #[schema(example = "Peckham and Camberwell Circle")]
    pub name: String,
    /// The coordinators' number, as people dial it; null when the Circle has set none.
    #[schema(example = "020 7946 0999")]
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Where the Circle is, in words.
    #[schema(example = "Peckham and Camberwell")]
    pub area_name: Option<String>,
    /// When someone answers the phone.
    #[schema(example = "Monday to Friday, 9am to 5pm")]
    pub hours: Option<String>,
    /// Where a visit's address opens in a map: `{address}` stands for the address, URL-encoded.
    #[schema(example = "https://www.openstreetmap.org/search?query={address}")]
    pub maps_url: String,
    /// Help asked for today must start at least this many minutes from now.
    #[schema(example = 60)]
    pub min_notice_minutes: i64,
    /// Help may be asked for at most this many days ahead.
    #[schema(example = 90)]
    pub max_days_ahead: i64,
}

/// The Circle's name and how to reach its coordinators. No sign-in needed.
#[utoipa::path(
    get, path = "/api/v1/circle", operation_id = "read_circle", tag = "operations",
    responses((status = 200, body = CircleView))
)]
pub async fn read(state: web::Data<AppState>) -> HttpResponse {
    let c = &state.settings.circle;
    let rules = &state.settings.requests;
    HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .json(CircleView {
            name: c.name.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            area_name: c.area_name.clone(),
            hours: c.hours.clone(),
            maps_url: c.maps_url.clone(),
            min_notice_minutes: rules.min_notice_minutes,
            max_days_ahead: rules.max_days_ahead,
        })
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/circle", actix_web::web::get().to(read));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(read))]
pub struct Operations;
