use neighbourly::auth::{Role, TokenKeys};
use neighbourly::config::Secret;
use serde_json::json;

use crate::harness::{Backend, TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    login_gives_tokens_and_me_answers_for_each_role,
    wrong_password_and_unknown_email_look_the_same,
    refresh_rotates_and_reuse_revokes_the_family,
    failed_logins_per_account_are_limited,
    bad_tokens_are_refused,
    logout_ends_the_session,
);

async fn logout_ends_the_session(app: TestApp) {
    let m = app.member().await;
    let next = app.refresh(&json!(m.refresh)).await.expect(200);
    let current = next["refresh_token"].as_str().unwrap().to_string();
    app.post(
        "/api/v1/auth/logout",
        None,
        json!({"refresh_token": current}),
    )
    .await
    .expect(204);
    app.refresh(&json!(current)).await.expect(401);
    // Unknown tokens are fine to log out with, and say nothing.
    app.post(
        "/api/v1/auth/logout",
        None,
        json!({"refresh_token": "unknown"}),
    )
    .await
    .expect(204);
    // With no token and no cookie there is nothing to end; a token of the wrong type is named.
    app.post("/api/v1/auth/logout", None, json!({}))
        .await
        .expect(204);
    let r = app
        .post("/api/v1/auth/logout", None, json!({"refresh_token": 7}))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.fields(), ["refresh_token"]);
}

async fn login_gives_tokens_and_me_answers_for_each_role(app: TestApp) {
    let m = app.member().await;
    let body = app.login(&m.email, PASSWORD).await.expect(200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["role"], "member");
    assert_eq!(body["user"]["id"], m.id.as_str());
    let me = app.get("/api/v1/me", Some(&m.token)).await.expect(200);
    assert_eq!(me["role"], "member");
    assert_eq!(me["address"], "12 Choumert Road, Peckham, SE15");
    let c = app.coordinator().await;
    let me = app.get("/api/v1/me", Some(&c.token)).await.expect(200);
    assert_eq!(me["role"], "coordinator");
    app.get("/api/v1/me", None).await.expect(401);
}

async fn wrong_password_and_unknown_email_look_the_same(app: TestApp) {
    let m = app.member().await;
    let a = app.login(&m.email, "not the password").await;
    let b = app.login("nobody@example.org", "not the password").await;
    assert_eq!(a.status, 401);
    assert_eq!(b.status, 401);
    assert_eq!(a.body["detail"], b.body["detail"]);
    assert!(a.content_type().starts_with("application/problem+json"));
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let m = app.member().await;
    let first = app.refresh(&json!(m.refresh)).await.expect(200);
    let second_token = first["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(second_token, m.refresh);
    app.get("/api/v1/me", Some(first["access_token"].as_str().unwrap()))
        .await
        .expect(200);
    // Used again within seconds (a second tab opening at once), the old token gives new tokens
    // of the same sign-in.
    let twin = app.refresh(&json!(m.refresh)).await.expect(200);
    assert_ne!(twin["refresh_token"], first["refresh_token"]);
    // Later, the old token stops working, and reusing it revokes the new ones too.
    app.travel(chrono::Duration::seconds(31));
    app.refresh(&json!(m.refresh)).await.expect(401);
    app.refresh(&json!(second_token)).await.expect(401);
    app.refresh(&json!(twin["refresh_token"])).await.expect(401);
    app.refresh(&json!("made-up")).await.expect(401);
    // A fresh login starts a new family that works.
    let again = app.login(&m.email, PASSWORD).await.expect(200);
    app.refresh(&json!(again["refresh_token"]))
        .await
        .expect(200);
}

async fn failed_logins_per_account_are_limited(app: TestApp) {
    let m = app.member().await;
    for _ in 0..5 {
        app.login(&m.email, "wrong wrong wrong").await.expect(401);
    }
    let r = app.login(&m.email, PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another account is not affected.
    let other = app.member().await;
    app.login(&other.email, PASSWORD).await.expect(200);
}

async fn bad_tokens_are_refused(app: TestApp) {
    let m = app.member().await;
    let mut auth = app.settings.auth.clone();
    let keys = |a: &neighbourly::config::AuthSettings| TokenKeys::new(a);
    auth.access_ttl_secs = -60;
    let expired = keys(&auth).issue(&m.id, Role::Member, 0, None).unwrap();
    let mut wrong_aud = app.settings.auth.clone();
    wrong_aud.audience = "someone-else".into();
    let mut wrong_iss = app.settings.auth.clone();
    wrong_iss.issuer = "someone-else".into();
    let mut wrong_key = app.settings.auth.clone();
    wrong_key.jwt_secret = Secret::new("another-secret-another-secret-another");
    for token in [
        expired,
        keys(&wrong_aud)
            .issue(&m.id, Role::Coordinator, 0, None)
            .unwrap(),
        keys(&wrong_iss)
            .issue(&m.id, Role::Coordinator, 0, None)
            .unwrap(),
        keys(&wrong_key)
            .issue(&m.id, Role::Coordinator, 0, None)
            .unwrap(),
        "garbage".to_string(),
    ] {
        let r = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(r.status, 401, "{token}");
    }
    let r = app
        .client
        .get(format!("{}/api/v1/me", app.address))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn login_attempts_per_address_are_limited() {
    let mut settings = crate::harness::test_settings();
    settings.auth.login_per_address_per_minute = 3;
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    for _ in 0..3 {
        app.login("nobody@example.org", "whatever whatever")
            .await
            .expect(401);
    }
    let r = app.login("nobody@example.org", "whatever whatever").await;
    assert_eq!(r.status, 429);
    assert!(r.headers.contains_key("retry-after"));
}
