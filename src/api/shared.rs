//! The scripts the app and the console share, at `/shared/`: the client made from the OpenAPI
//! document, the session it carries, the words for the service's codes and the Circle's number. Both import them by
//! their real path (`../shared/words.js`), on disk as when served.

use actix_web::middleware::Compress;
use actix_web::{web, HttpRequest, HttpResponse};

use super::embedded::{embedded, serve, Files, JS};

const FILES: &Files = embedded!("shared":
    "api.js" => JS,
    "circle.js" => JS,
    "session.js" => JS,
    "words.js" => JS,
    "vendor/openapi-fetch.js" => JS,
);

/// `GET /shared/{file}`.
pub async fn file(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    serve(&req, FILES, &path.into_inner())
}

/// The shared files' routes, in a scope of their own.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/shared")
            .wrap(Compress::default())
            .service(web::resource("/{file:.+}").route(web::get().to(file))),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shared_file_is_served() {
        use super::super::embedded::{files_on_disk, served};
        assert_eq!(served(super::FILES), files_on_disk("shared"));
    }
}
