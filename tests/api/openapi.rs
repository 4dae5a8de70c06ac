//! The served OpenAPI document: every contract route is in it, and any change shows in a snapshot.

use crate::helpers::{Backend, TestApp};

#[tokio::test]
async fn openapi_document_is_served_and_unchanged() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/health", "get"),
        ("/api/v1/members", "post"),
        ("/api/v1/members/{id}", "get"),
        ("/api/v1/helpers", "post"),
        ("/api/v1/helpers/{id}", "get"),
        ("/api/v1/helpers/{id}/availability", "put"),
        ("/api/v1/helpers/{id}/vetting", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/requests", "post"),
        ("/api/v1/requests", "get"),
        ("/api/v1/requests/{id}", "get"),
        ("/api/v1/requests/{id}/cancel", "post"),
        ("/api/v1/requests/{id}/complete", "post"),
        ("/api/v1/requests/{id}/feedback", "post"),
        ("/api/v1/requests/{id}/assign", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    insta::assert_json_snapshot!("openapi", doc);
}
