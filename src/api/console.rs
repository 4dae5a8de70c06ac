//! The coordinators' console: a few static files compiled into the binary and served at
//! `/console`. It is a client of the public API like any other; nothing here reads the
//! database. Every answer carries a Content Security Policy that allows only this origin's own
//! scripts, styles and API: no inline script or style, no other host.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

/// `(path under /console/, content type, bytes)`.
const FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../console/index.html"),
    ),
    (
        "console.css",
        "text/css; charset=utf-8",
        include_str!("../../console/console.css"),
    ),
    ("app.js", JS, include_str!("../../console/app.js")),
    ("api.js", JS, include_str!("../../console/api.js")),
    ("ui.js", JS, include_str!("../../console/ui.js")),
    (
        "pages/signin.js",
        JS,
        include_str!("../../console/pages/signin.js"),
    ),
    (
        "pages/today.js",
        JS,
        include_str!("../../console/pages/today.js"),
    ),
    (
        "pages/call.js",
        JS,
        include_str!("../../console/pages/call.js"),
    ),
    (
        "pages/helpers.js",
        JS,
        include_str!("../../console/pages/helpers.js"),
    ),
    (
        "pages/request.js",
        JS,
        include_str!("../../console/pages/request.js"),
    ),
    (
        "pages/report.js",
        JS,
        include_str!("../../console/pages/report.js"),
    ),
    (
        "pages/map.js",
        JS,
        include_str!("../../console/pages/map.js"),
    ),
    (
        "pages/reset.js",
        JS,
        include_str!("../../console/pages/reset.js"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

fn serve(path: &str) -> HttpResponse {
    let Some((_, content_type, body)) = FILES.iter().find(|(p, _, _)| *p == path) else {
        return crate::error::problem_response(
            actix_web::http::StatusCode::NOT_FOUND,
            "No such page.",
        );
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *content_type))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(*body)
}

/// `GET /console`: the page every screen of the console is drawn in.
pub async fn index() -> HttpResponse {
    serve("index.html")
}

/// `GET /console/{file}`: its scripts and styles.
pub async fn file(path: web::Path<String>) -> HttpResponse {
    serve(&path.into_inner())
}

/// The console's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/console").route(web::get().to(index)))
        .service(web::resource("/console/").route(web::get().to(index)))
        .service(web::resource("/console/{file:.+}").route(web::get().to(file)));
}
