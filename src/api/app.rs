//! The app for members and helpers at `/app/`: static files compiled into the binary, a client of
//! the public API like the console. For now it holds the page a one-tap link from an email opens
//! (`/app/a/{token}`), which shows the job and posts the link; its routes are agreed in
//! docs/app.md.

use actix_web::http::header;
use actix_web::middleware::Compress;
use actix_web::{web, HttpRequest, HttpResponse};

use super::embedded::{embedded, serve, Files, CSS, HTML, JS, MANIFEST, PNG};

const FILES: &Files = embedded!("app":
    "index.html" => HTML,
    "a.html" => HTML,
    "a.js" => JS,
    "app.js" => JS,
    "ui.js" => JS,
    "week.js" => JS,
    "pages/signin.js" => JS,
    "pages/home.js" => JS,
    "pages/visit.js" => JS,
    "pages/ask.js" => JS,
    "pages/join.js" => JS,
    "pages/when.js" => JS,
    "pages/events.js" => JS,
    "pages/regular.js" => JS,
    "pages/account.js" => JS,
    "pages/concern.js" => JS,
    "pages/details.js" => JS,
    "pages/password.js" => JS,
    "pages/family.js" => JS,
    "pages/invitation.js" => JS,
    "push.js" => JS,
    "reading.js" => JS,
    "app.css" => CSS,
    "sw.js" => JS,
    "manifest.webmanifest" => MANIFEST,
    "icons/icon-192.png" => PNG,
    "icons/icon-512.png" => PNG,
    "icons/maskable-512.png" => PNG,
);

/// `GET /app/`: the app's first page.
pub async fn index(req: HttpRequest) -> HttpResponse {
    serve(&req, FILES, "index.html")
}

/// `GET /app/a/{token}`: the page of a one-tap link. Opening it changes nothing; its button posts
/// the link. Never cached, never sent on as a referrer (the address holds the token).
pub async fn action_page(req: HttpRequest, _token: web::Path<String>) -> HttpResponse {
    let mut page = serve(&req, FILES, "a.html");
    page.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    page
}

/// `GET /app/d/{token}`: a family invitation's link, which the app's screen for it answers
/// (`#/d/{token}`): a redirect, never cached, never sent on as a referrer.
pub async fn invitation_page(token: web::Path<String>) -> HttpResponse {
    let token: String = token
        .into_inner()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/app/#/d/{token}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .finish()
}

/// `GET /app/{file}`: its scripts, styles and icons.
pub async fn file(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    serve(&req, FILES, &path.into_inner())
}

/// The app's routes, in a scope of their own.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/app")
            .wrap(Compress::default())
            .service(web::resource("").route(web::get().to(index)))
            .service(web::resource("/").route(web::get().to(index)))
            .service(web::resource("/a/{token}").route(web::get().to(action_page)))
            .service(web::resource("/d/{token}").route(web::get().to(invitation_page)))
            .service(web::resource("/{file:.+}").route(web::get().to(file))),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_of_the_app_is_served() {
        use super::super::embedded::{files_on_disk, served};
        assert_eq!(served(super::FILES), files_on_disk("app"));
    }

    /// The service worker keeps every script and style of the app (a new page left out of its
    /// list would not open offline), and nothing that is not there.
    #[test]
    fn the_service_worker_keeps_every_script() {
        use super::super::embedded::files_on_disk;
        let sw = include_str!("../../app/sw.js");
        let list = &sw[sw.find("const FILES = [").expect("the list")..];
        let list = &list[..list.find("];").expect("its end")];
        // The app's own files and the scripts it shares with the console.
        for folder in ["app", "shared"] {
            let prefix = format!("/{folder}/");
            let kept: Vec<&str> = list
                .split('"')
                .filter_map(|s| s.strip_prefix(prefix.as_str()))
                .filter(|s| !s.is_empty())
                .collect();
            let on_disk = files_on_disk(folder);
            for file in &kept {
                assert!(
                    on_disk.iter().any(|f| f == file),
                    "{folder}/{file} is kept but not there"
                );
            }
            for file in on_disk
                .iter()
                .filter(|f| f.ends_with(".js") || f.ends_with(".css"))
            {
                if file != "sw.js" {
                    assert!(
                        kept.contains(&file.as_str()),
                        "{folder}/{file} is not kept by the service worker"
                    );
                }
            }
        }
    }
}
