//! The command line's data commands: the demo neighbourhood and the file-based batch matcher.

use neighbourly::config::Secret;
use neighbourly::demo::DEMO_PASSWORD;

use crate::helpers::{test_settings, TestApp};

#[tokio::test]
async fn demo_fills_every_state_and_its_logins_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings();
    settings.database.url =
        Secret::new(format!("sqlite://{}", dir.path().join("demo.db").display()));
    let s = settings.clone();
    let summary = tokio::task::spawn_blocking(move || {
        neighbourly::demo::fill(&s, 7).map_err(|e| e.to_string())
    })
    .await
    .unwrap()
    .unwrap();
    for state in ["assigned", "cancelled", "completed", "expired", "offered"] {
        assert!(
            summary.contains(&format!("\"{state}\"")),
            "{state} missing: {summary}"
        );
    }
    let s = settings.clone();
    let again = tokio::task::spawn_blocking(move || {
        neighbourly::demo::fill(&s, 7).map_err(|e| e.to_string())
    })
    .await
    .unwrap();
    assert!(again.is_err(), "a second fill is refused");

    let app = TestApp::spawn_existing(settings).await;
    for email in [
        "member0@demo.neighbourly.example",
        "helper0@demo.neighbourly.example",
        "coordinator@demo.neighbourly.example",
    ] {
        app.login(email, DEMO_PASSWORD).await.expect(200);
    }
    let coord = app
        .login("coordinator@demo.neighbourly.example", DEMO_PASSWORD)
        .await
        .expect(200);
    let token = coord["access_token"].as_str().unwrap();
    let completed = app
        .get("/api/v1/requests?status=completed&limit=200", Some(token))
        .await
        .expect(200);
    assert!(completed["items"].as_array().unwrap().len() > 50);
}

#[test]
fn batch_instances_are_checked() {
    use neighbourly::matching::batch::parse_instance;
    assert!(parse_instance(r#"{"helpers": [], "requests": []}"#).is_ok());
    let bad_lat = r#"{"helpers": [{"id": "h", "lat": 95, "lon": 0, "max_distance_km": 1, "skills": ["diy"], "capacity": 1}], "requests": []}"#;
    assert!(parse_instance(bad_lat).unwrap_err().contains("helpers[0]"));
    let bad_cat = r#"{"helpers": [], "requests": [{"id": "r", "lat": 51, "lon": 0, "category": "juggling"}]}"#;
    assert!(parse_instance(bad_cat).is_err());
    let dup = r#"{"helpers": [], "requests": [{"id": "r", "lat": 51, "lon": 0, "category": "diy"}, {"id": "r", "lat": 51, "lon": 0, "category": "diy"}]}"#;
    assert!(parse_instance(dup).unwrap_err().contains("duplicate"));
}
