//! The command line's data commands: the demo neighbourhood and the file-based batch matcher.

use neighbourly::config::Secret;
use neighbourly::demo::DEMO_PASSWORD;

use crate::harness::{test_settings, TestApp};

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

    // Memberships with balances, one that ends soon; a past and an upcoming event.
    let members = app
        .get("/api/v1/members?limit=5", Some(token))
        .await
        .expect(200);
    let first = members["items"][0]["id"].as_str().unwrap();
    let acc = app
        .get(&format!("/api/v1/members/{first}/account"), Some(token))
        .await
        .expect(200);
    assert!(acc["membership"].is_object(), "{acc}");
    let due = app
        .get("/api/v1/memberships/renewals", Some(token))
        .await
        .expect(200);
    assert!(!due["items"].as_array().unwrap().is_empty());
    // The demo's postcodes are loaded: a sign-up by postcode works, and homes are at postcodes.
    let place = app.get("/api/v1/places/se154qf", None).await.expect(200);
    assert_eq!(place["district"], "SE15");
    let mut by_postcode = TestApp::member_body("by-postcode@example.org");
    by_postcode.as_object_mut().unwrap().remove("location");
    by_postcode["postcode"] = serde_json::json!("SE5 8RS");
    app.post("/api/v1/members", None, by_postcode)
        .await
        .expect(201);
    let address = members["items"][0]["address"].as_str().unwrap();
    assert!(address.contains(" SE"), "{address}");
    let coming = app.get("/api/v1/events", Some(token)).await.expect(200);
    let next = &coming["items"][0];
    assert_eq!(next["going"], next["capacity"]);
    assert_eq!(next["waiting"], 3);
    let from = (chrono::Utc::now() - chrono::Duration::days(10))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let all = app
        .get(&format!("/api/v1/events?from={from}"), Some(token))
        .await
        .expect(200);
    let past = &all["items"][0];
    let came = past["people"]["going"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["attended"] == true)
        .count();
    assert!(came > 10 && came < 18, "{came} came");
    let week =
        neighbourly::reports::IsoWeek::last_complete(chrono::Utc::now(), chrono_tz::Europe::London);
    let report = app
        .get(&format!("/api/v1/reports/weekly?week={week}"), Some(token))
        .await
        .expect(200);
    assert!(
        report["figures"]["membership"]["memberships_lapsing"]
            .as_i64()
            .unwrap()
            > 0
    );
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
