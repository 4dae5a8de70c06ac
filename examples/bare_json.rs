//! The yardstick for the load test: a bare actix-web server answering a small JSON document, with
//! nothing of Neighbourly in it, measured in the same run as the service.
//!
//!   cargo run --release --example bare_json -- 18081

use actix_web::{web, App, HttpResponse, HttpServer};

async fn json() -> HttpResponse {
    HttpResponse::Ok()
        .json(serde_json::json!({"id": "5a43547c-6437-4c83-9020-7bcac8f2dac5", "status": "open"}))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(18081);
    let workers = std::env::var("BARE_WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(2);
    HttpServer::new(|| App::new().route("/json", web::get().to(json)))
        .workers(workers)
        .bind(("127.0.0.1", port))?
        .run()
        .await
}
