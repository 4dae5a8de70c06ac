//! `GET /metrics`: Prometheus text with requests by route and status, latency, the pool, the
//! outbox, the matcher's time and requests by status; off, or on a port of its own, by settings.

use crate::harness::{test_settings, Backend, TestApp};

async fn scrape(app: &TestApp, base: &str) -> (u16, String, String) {
    let resp = app
        .client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    (status, ct, resp.text().await.unwrap())
}

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_routes_the_outbox_and_the_matcher() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let coord = app.coordinator().await;
    let _helper = app.helper(&coord).await;
    let m = app.member().await;
    let id = app.request(&m).await["id"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/requests/{id}"), Some(&m.token))
        .await
        .expect(200);
    app.get("/api/v1/requests/not-a-request", Some(&m.token))
        .await
        .expect(404);
    let (status, ct, text) = scrape(&app, &app.address).await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    // Routes by pattern, never by id.
    let ok = r#"neighbourly_http_requests_total{method="GET",route="/api/v1/requests/{id}",status="200"}"#;
    let missing = r#"neighbourly_http_requests_total{method="GET",route="/api/v1/requests/{id}",status="404"}"#;
    assert_eq!(value(&text, ok), Some(1.0), "{text}");
    assert_eq!(value(&text, missing), Some(1.0), "{text}");
    assert!(!text.contains(&id));
    assert!(text.contains(r#"neighbourly_http_request_duration_seconds_bucket{method="POST",route="/api/v1/requests","#));
    // The matcher ran once for the new request; its offer's email waits in the outbox.
    assert_eq!(
        value(&text, "neighbourly_matcher_duration_seconds_count"),
        Some(1.0)
    );
    assert_eq!(
        value(&text, r#"neighbourly_outbox_emails{status="pending"}"#).map(|n| n >= 1.0),
        Some(true)
    );
    assert_eq!(
        value(&text, r#"neighbourly_outbox_emails{status="failed"}"#),
        Some(0.0)
    );
    assert_eq!(
        value(&text, r#"neighbourly_help_requests{status="offered"}"#),
        Some(1.0)
    );
    assert!(value(&text, r#"neighbourly_db_pool_connections{state="idle"}"#).is_some());
}

/// The shipped default: not on the API's port, but on 127.0.0.1 at a port of its own.
#[tokio::test]
async fn metrics_are_off_the_public_port_by_default() {
    let defaults = neighbourly::config::Settings::load_from(
        std::path::Path::new("no-such-folder"),
        neighbourly::config::Environment::Production,
    );
    // Production refuses nothing here: no secret is needed, one is made and kept.
    let defaults = defaults.expect("the defaults load");
    assert_eq!(
        (defaults.metrics.host.as_str(), defaults.metrics.port),
        ("127.0.0.1", 9464)
    );
}

#[tokio::test]
async fn metrics_can_be_off_or_on_a_port_of_their_own() {
    let mut off = test_settings();
    off.metrics.enabled = false;
    let app = TestApp::spawn_with(Backend::Sqlite, off).await.unwrap();
    assert_eq!(scrape(&app, &app.address).await.0, 404);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut own = test_settings();
    own.metrics.port = port;
    let app = TestApp::spawn_with(Backend::Sqlite, own).await.unwrap();
    assert_eq!(
        scrape(&app, &app.address).await.0,
        404,
        "not on the API's port"
    );
    let (status, _, text) = scrape(&app, &format!("http://127.0.0.1:{port}")).await;
    assert_eq!(status, 200);
    assert!(text.contains("neighbourly_up 1"), "{text}");
    // The API's document no longer offers it.
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    assert!(doc["paths"].get("/metrics").is_none());
    assert!(doc["paths"].get("/health").is_some());
}
