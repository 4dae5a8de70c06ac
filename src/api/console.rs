//! The coordinators' console: a few static files compiled into the binary and served at
//! `/console`. It is a client of the public API like any other; nothing here reads the
//! database. Every answer carries a Content Security Policy that allows only this origin's own
//! scripts, styles and API: no inline script or style, no other host.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

/// Each file's path under `console/`, with its content type, compiled in.
macro_rules! embedded {
    ($($path:literal => $content_type:expr),+ $(,)?) => {
        &[$(($path, $content_type, include_str!(concat!("../../console/", $path)))),+]
    };
}

/// `(path under /console/, content type, bytes)`.
const FILES: &[(&str, &str, &str)] = embedded!(
    "index.html" => "text/html; charset=utf-8",
    "console.css" => "text/css; charset=utf-8",
    "app.js" => JS,
    "api.js" => JS,
    "ui.js" => JS,
    "pages/signin.js" => JS,
    "pages/today.js" => JS,
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
);

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

/// The console's routes, in a scope of their own so that API paths never try its pattern.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/console")
            .service(web::resource("").route(web::get().to(index)))
            .service(web::resource("/").route(web::get().to(index)))
            .service(web::resource("/{file:.+}").route(web::get().to(file))),
    );
}

#[cfg(test)]
mod tests {
    use super::FILES;

    fn files_under(dir: &std::path::Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                files_under(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }

    #[test]
    fn every_file_of_the_console_is_served() {
        let mut on_disk = Vec::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("console");
        files_under(&dir, "", &mut on_disk);
        on_disk.sort();
        let mut served: Vec<String> = FILES.iter().map(|(p, _, _)| p.to_string()).collect();
        served.sort();
        assert_eq!(served, on_disk);
    }
}
