//! Safe by default: forged roles and the placeholder secret, contact details only while a visit
//! is the helper's, abuse limits, CSV cells, headers, busy databases and backups.

use neighbourly::auth::{Role, TokenKeys};
use neighbourly::config::{Environment, Secret, PLACEHOLDER_JWT_SECRET};
use serde_json::{json, Value};

use crate::helpers::{test_settings, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_token_claiming_another_role_is_refused,
    a_helper_sees_the_address_only_while_the_visit_is_theirs,
    a_stranger_guessing_passwords_does_not_lock_the_owner_out,
    csv_cells_never_become_formulas,
);

/// A member's genuine token, re-signed with the server's own key but claiming to be a
/// coordinator: refused everywhere, although its signature is good.
async fn a_token_claiming_another_role_is_refused(app: TestApp) {
    let m = app.member().await;
    let keys = TokenKeys::new(&app.state.services.settings.auth);
    let forged = keys.issue(&m.id, Role::Coordinator, 0).unwrap();
    for path in ["/api/v1/members", "/api/v1/audit", "/api/v1/me"] {
        let r = app.get(path, Some(&forged)).await;
        assert_eq!(r.status, 401, "{path}: {}", r.body);
    }
    // The same key and account with the account's own role still work.
    let honest = keys.issue(&m.id, Role::Member, 0).unwrap();
    app.get("/api/v1/me", Some(&honest)).await.expect(200);
}

/// Settings as a newcomer runs them: `NEIGHBOURLY_ENV` unset (development by default), with the
/// placeholder secret an older settings file may still carry.
fn implicit_development(secret: &str) -> neighbourly::config::Settings {
    let mut settings = test_settings();
    settings.environment = Environment::Development;
    settings.environment_explicit = false;
    settings.auth.jwt_secret = Secret::new(secret);
    settings
}

fn placeholder_token(app: &TestApp, id: &str, role: Role) -> String {
    let mut auth = app.settings.auth.clone();
    auth.jwt_secret = Secret::new(PLACEHOLDER_JWT_SECRET);
    TokenKeys::new(&auth).issue(id, role, 0).unwrap()
}

#[tokio::test]
async fn the_placeholder_secret_signs_nothing_unless_development_is_explicit() {
    for secret in [PLACEHOLDER_JWT_SECRET, ""] {
        let app = TestApp::spawn_with(Backend::Sqlite, implicit_development(secret))
            .await
            .unwrap();
        let m = app.member().await;
        for role in [Role::Member, Role::Coordinator] {
            let r = app
                .get("/api/v1/me", Some(&placeholder_token(&app, &m.id, role)))
                .await;
            assert_eq!(r.status, 401, "secret {secret:?}, {role:?}: {}", r.body);
        }
        // Its own tokens work.
        app.get("/api/v1/me", Some(&m.token)).await.expect(200);
    }

    // Explicitly development: the placeholder is accepted, but still not a forged role.
    let mut settings = implicit_development(PLACEHOLDER_JWT_SECRET);
    settings.environment_explicit = true;
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let m = app.member().await;
    app.get(
        "/api/v1/me",
        Some(&placeholder_token(&app, &m.id, Role::Member)),
    )
    .await
    .expect(200);
    let r = app
        .get(
            "/api/v1/members",
            Some(&placeholder_token(&app, &m.id, Role::Coordinator)),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);

    // Production refuses to start with the placeholder.
    let mut production = test_settings();
    production.environment = Environment::Production;
    production.auth.jwt_secret = Secret::new(PLACEHOLDER_JWT_SECRET);
    assert!(production.validate().is_err());
}

/// With no secret set, the one made on the first start is kept: a token from before a restart
/// still works after it, on both backends.
async fn the_made_secret_survives_a_restart(app: TestApp) {
    let m = app.member().await;
    let mut settings = app.settings.clone();
    drop(app);
    let again = TestApp::spawn_existing(settings.clone()).await;
    again.get("/api/v1/me", Some(&m.token)).await.expect(200);
    // A configured secret replaces it, and ends the old tokens.
    settings.auth.jwt_secret = Secret::new("a-configured-secret-a-configured-secret");
    drop(again);
    let configured = TestApp::spawn_existing(settings).await;
    let r = configured.get("/api/v1/me", Some(&m.token)).await;
    assert_eq!(r.status, 401, "{}", r.body);
}

mod the_made_secret_survives_a_restart {
    use super::*;

    fn no_secret() -> neighbourly::config::Settings {
        let mut settings = test_settings();
        settings.auth.jwt_secret = Secret::new("");
        settings
    }

    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = no_secret();
        settings.database.url =
            Secret::new(format!("sqlite://{}", dir.path().join("t.db").display()));
        super::the_made_secret_survives_a_restart(TestApp::spawn_existing(settings).await).await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_with(Backend::Postgres, no_secret()).await {
            super::the_made_secret_survives_a_restart(app).await;
        }
    }
}

/// A request `days` ahead for `member`, offered to `helper` and accepted: its id.
async fn assigned(
    app: &TestApp,
    member: &crate::helpers::User,
    helper: &crate::helpers::User,
    days: i64,
) -> String {
    crate::visits::assigned(app, member, helper, days).await.0
}

/// What the helper reads of a request: `None` when they may not see it at all.
async fn as_helper(app: &TestApp, helper: &crate::helpers::User, id: &str) -> Option<Value> {
    let r = app
        .get(&format!("/api/v1/requests/{id}"), Some(&helper.token))
        .await;
    match r.status.as_u16() {
        200 => Some(r.body),
        404 => None,
        other => panic!("unexpected {other}: {}", r.body),
    }
}

fn shows_contact(view: &Option<Value>) -> bool {
    view.as_ref()
        .is_some_and(|v| v.get("member").is_some_and(|m| !m.is_null()))
}

async fn a_helper_sees_the_address_only_while_the_visit_is_theirs(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;

    // Assigned: the address the visit was asked for, and the phone.
    let id = assigned(&app, &member, &helper, 1).await;
    let seen = as_helper(&app, &helper, &id).await.unwrap();
    assert_eq!(seen["member"]["address"], "12 Choumert Road, Peckham, SE15");
    assert_eq!(seen["member"]["phone"], "020 7946 0001");

    // The member moves house: the helper still sees where the visit is, not the new home.
    app.call(
        reqwest::Method::PATCH,
        &format!("/api/v1/members/{}", member.id),
        Some(&coord.token),
        Some(json!({"address": "3 New Street, Camberwell, SE5", "location": {"lat": 51.4740, "lon": -0.0930}})),
    )
    .await
    .expect(200);
    let seen = as_helper(&app, &helper, &id).await.unwrap();
    assert_eq!(seen["member"]["address"], "12 Choumert Road, Peckham, SE15");

    // 24 hours after the window has ended: the job, without the member's details.
    let rid = id.clone();
    app.state
        .db(move |c| {
            use diesel::prelude::*;
            use neighbourly::db::schema::help_requests as hr;
            let ended = neighbourly::db::now() - chrono::Duration::hours(25);
            diesel::update(hr::table.find(&rid))
                .set((
                    hr::window_start.eq(ended - chrono::Duration::hours(4)),
                    hr::window_end.eq(ended),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let seen = as_helper(&app, &helper, &id).await;
    assert!(seen.is_some(), "the helper still sees the job");
    assert!(!shows_contact(&seen), "{seen:?}");

    // Completed: gone at once.
    let done = assigned(&app, &member, &helper, 2).await;
    assert!(shows_contact(&as_helper(&app, &helper, &done).await));
    app.post(
        &format!("/api/v1/requests/{done}/complete"),
        Some(&helper.token),
        json!({"minutes_spent": 60}),
    )
    .await
    .expect(200);
    let seen = as_helper(&app, &helper, &done).await;
    assert!(!shows_contact(&seen), "{seen:?}");

    // Blocked by the member: gone at once.
    let blocked = assigned(&app, &member, &helper, 3).await;
    assert!(shows_contact(&as_helper(&app, &helper, &blocked).await));
    app.post(
        &format!("/api/v1/members/{}/blocks", member.id),
        Some(&member.token),
        json!({"helper_id": helper.id}),
    )
    .await
    .expect(204);
    let seen = as_helper(&app, &helper, &blocked).await;
    assert!(!shows_contact(&seen), "{seen:?}");

    // Suspended: gone at once.
    let other = app.member().await;
    let suspended = assigned(&app, &other, &helper, 4).await;
    assert!(shows_contact(&as_helper(&app, &helper, &suspended).await));
    app.post(
        &format!("/api/v1/helpers/{}/vetting", helper.id),
        Some(&coord.token),
        json!({"status": "suspended", "note": "a concern is being looked into"}),
    )
    .await
    .expect(200);
    let seen = as_helper(&app, &helper, &suspended).await;
    assert!(!shows_contact(&seen), "{seen:?}");
    // Nor in the list of their requests.
    let list = app
        .get("/api/v1/requests", Some(&helper.token))
        .await
        .expect(200);
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("member").is_none_or(|m| m.is_null())));
}

/// Sends a login from `address` (the test server trusts 127.0.0.1 as a proxy).
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> u16 {
    app.client
        .post(format!("{}/api/v1/auth/login", app.address))
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn a_stranger_guessing_passwords_does_not_lock_the_owner_out(app: TestApp) {
    let coord = app.coordinator().await;
    for _ in 0..8 {
        let s = login_from(&app, "203.0.113.66", &coord.email, "a guess a guess").await;
        assert!(s == 401 || s == 429, "{s}");
    }
    assert_eq!(
        login_from(&app, "203.0.113.66", &coord.email, crate::helpers::PASSWORD).await,
        429,
        "the stranger's address is limited"
    );
    assert_eq!(
        login_from(&app, "198.51.100.7", &coord.email, crate::helpers::PASSWORD).await,
        200,
        "the coordinator at their own desk still signs in"
    );
}

async fn csv_cells_never_become_formulas(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    app.post(
        &format!("/api/v1/members/{}/account/credits", member.id),
        Some(&coord.token),
        json!({"tokens": 1, "amount_pence": 1000, "paid_by": "=HYPERLINK(\"http://evil.example\",\"x\")"}),
    )
    .await
    .expect(201);
    let csv = app
        .client
        .get(format!(
            "{}/api/v1/members/{}/account",
            app.address, member.id
        ))
        .bearer_auth(&coord.token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
}
