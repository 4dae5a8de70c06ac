//! The coordinators' console: a few static files compiled into the binary and served at
//! `/console`. It is a client of the public API like any other; nothing here reads the
//! database. Every answer carries a Content Security Policy that allows only this origin's own
//! scripts, styles and API: no inline script or style, no other host.

use actix_web::middleware::Compress;
use actix_web::{web, HttpRequest, HttpResponse};

use actix_web::http::header;

use super::embedded::{embedded, serve, Files, CONTENT_SECURITY_POLICY, CSS, HTML, JS, TEXT};
use crate::api::state::AppState;

const FILES: &Files = embedded!("console":
    "index.html" => HTML,
    "console.css" => CSS,
    "app.js" => JS,
    "client.js" => JS,
    "ui.js" => JS,
    "closing.js" => JS,
    "notes.js" => JS,
    "delegates.js" => JS,
    "timeoff.js" => JS,
    "checks.js" => JS,
    "pages/signin.js" => JS,
    "pages/today.js" => JS,
    "vendor/leaflet.js" => JS,
    "vendor/leaflet.css" => CSS,
    "vendor/leaflet-LICENSE.txt" => TEXT,
    "pages/call.js" => JS,
    "pages/helpers.js" => JS,
    "pages/request.js" => JS,
    "pages/report.js" => JS,
    "pages/map.js" => JS,
    "pages/reset.js" => JS,
    "pages/concerns.js" => JS,
    "pages/concern.js" => JS,
    "pages/series.js" => JS,
    "pages/events.js" => JS,
    "pages/event.js" => JS,
    "pages/renewals.js" => JS,
    "pages/account.js" => JS,
    "pages/followups.js" => JS,
    "pages/members.js" => JS,
);

/// `GET /console`: the page every screen of the console is drawn in.
pub async fn index(req: HttpRequest) -> HttpResponse {
    with_tiles(&req, serve(&req, FILES, "index.html"))
}

/// `GET /console/{file}`: its scripts and styles.
pub async fn file(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    with_tiles(&req, serve(&req, FILES, &path.into_inner()))
}

/// With map tiles set (`console.map_tiles_url`), the policy also lets images come from the
/// tiles' origin, and nowhere else.
fn with_tiles(req: &HttpRequest, mut answer: HttpResponse) -> HttpResponse {
    let origin = req
        .app_data::<web::Data<AppState>>()
        .and_then(|state| state.settings.console.tiles_origin());
    if let Some(origin) = origin {
        // The tiles' origin in place of `blob:` (photos the app shows; the console shows none).
        let policy = CONTENT_SECURITY_POLICY.replace(
            "img-src 'self' data: blob:",
            &format!("img-src 'self' data: {origin}"),
        );
        if let Ok(value) = header::HeaderValue::from_str(&policy) {
            answer
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    answer
}

/// The console's routes, in a scope of their own so that API paths never try its pattern.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/console")
            .wrap(Compress::default())
            .service(web::resource("").route(web::get().to(index)))
            .service(web::resource("/").route(web::get().to(index)))
            .service(web::resource("/{file:.+}").route(web::get().to(file))),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_of_the_console_is_served() {
        use super::super::embedded::{files_on_disk, served};
        assert_eq!(served(super::FILES), files_on_disk("console"));
    }
}
