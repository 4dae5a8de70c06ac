//! Safe by default: forged roles and the placeholder secret, contact details only while a visit
//! is the helper's, abuse limits, CSV cells, headers, busy databases and backups.

use crate::harness::RawDb;
use neighbourly::auth::{Role, TokenKeys};
use neighbourly::config::{Environment, Secret, PLACEHOLDER_JWT_SECRET};
use serde_json::{json, Value};

use crate::harness::{test_settings, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_token_claiming_another_role_is_refused,
    a_helper_sees_the_address_only_while_the_visit_is_theirs,
    a_stranger_guessing_passwords_does_not_lock_the_owner_out,
    csv_cells_never_become_formulas,
    answers_carry_the_safety_headers,
    search_folds_accents_and_case,
    email_bodies_and_reset_links_are_not_kept,
    a_person_exported_then_erased_appears_nowhere,
);

/// A member's genuine token, re-signed with the server's own key but claiming to be a
/// coordinator: refused everywhere, although its signature is good.
async fn a_token_claiming_another_role_is_refused(app: TestApp) {
    let m = app.member().await;
    let keys = TokenKeys::new(&app.state.services.settings.auth);
    let forged = keys.issue(&m.id, Role::Coordinator, 0, None).unwrap();
    for path in ["/api/v1/members", "/api/v1/audit", "/api/v1/me"] {
        let r = app.get(path, Some(&forged)).await;
        assert_eq!(r.status, 401, "{path}: {}", r.body);
    }
    // The same key and account with the account's own role still work.
    let honest = keys.issue(&m.id, Role::Member, 0, None).unwrap();
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
    TokenKeys::new(&auth).issue(id, role, 0, None).unwrap()
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
    member: &crate::harness::User,
    helper: &crate::harness::User,
    days: i64,
) -> String {
    crate::visits::assigned(app, member, helper, days).await.0
}

/// What the helper reads of a request: `None` when they may not see it at all.
async fn as_helper(app: &TestApp, helper: &crate::harness::User, id: &str) -> Option<Value> {
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
    crate::visits::window_ended_hours_ago(&app, &id, 25).await;
    let seen = as_helper(&app, &helper, &id).await;
    assert!(seen.is_some(), "the helper still sees the job");
    assert!(!shows_contact(&seen), "{seen:?}");

    // Completed: gone at once.
    let done = assigned(&app, &member, &helper, 2).await;
    assert!(shows_contact(&as_helper(&app, &helper, &done).await));
    crate::visits::at_the_visit(
        &app,
        &done,
        &helper.token,
        "complete",
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
        login_from(&app, "203.0.113.66", &coord.email, crate::harness::PASSWORD).await,
        429,
        "the stranger's address is limited"
    );
    assert_eq!(
        login_from(&app, "198.51.100.7", &coord.email, crate::harness::PASSWORD).await,
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

async fn answers_carry_the_safety_headers(app: TestApp) {
    let m = app.member().await;
    for (path, token) in [
        ("/api/v1/me", Some(m.token.as_str())),
        ("/api/v1/nothing", None),
    ] {
        let r = app.get(path, token).await;
        let h = |name: &str| {
            r.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(h("cache-control"), "no-store", "{path}");
    }
    let login = app.login(&m.email, crate::harness::PASSWORD).await;
    assert_eq!(login.headers["cache-control"], "no-store");
}

/// Sign-ups without a coordinator's token and password resets are limited per address; a
/// coordinator registering members is not.
#[tokio::test]
async fn sign_ups_and_resets_are_limited_per_address() {
    let mut settings = test_settings();
    settings.auth.signups_per_address_per_hour = 3;
    settings.auth.resets_per_address_per_hour = 2;
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let sign_up = |n: usize, from: &'static str| {
        let body = TestApp::member_body(&format!("limit-{n}-{}@example.org", uuid::Uuid::new_v4()));
        app.client
            .post(format!("{}/api/v1/members", app.address))
            .header("x-forwarded-for", from)
            .json(&body)
            .send()
    };
    for n in 0..3 {
        assert_eq!(sign_up(n, "203.0.113.1").await.unwrap().status(), 201);
    }
    let refused = sign_up(3, "203.0.113.1").await.unwrap();
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(
        sign_up(4, "198.51.100.2").await.unwrap().status(),
        201,
        "another address"
    );

    // A coordinator registers members from that same address as often as needed.
    let coord = app.coordinator().await;
    for n in 0..4 {
        let body = TestApp::member_body(&format!(
            "by-coord-{n}-{}@example.org",
            uuid::Uuid::new_v4()
        ));
        let r = app
            .client
            .post(format!("{}/api/v1/members", app.address))
            .header("x-forwarded-for", "203.0.113.1")
            .bearer_auth(&coord.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }

    // Password resets: requests and confirmations share the address's allowance.
    let reset = |path: &'static str, body: Value| {
        app.client
            .post(format!("{}/api/v1/auth/{path}", app.address))
            .header("x-forwarded-for", "192.0.2.9")
            .json(&body)
            .send()
    };
    let ask = json!({"email": "someone@example.org"});
    assert_eq!(
        reset("password-reset", ask.clone()).await.unwrap().status(),
        202
    );
    let wrong = json!({"token": "not-a-token", "password": "a long enough password"});
    assert_eq!(
        reset("password-reset/confirm", wrong.clone())
            .await
            .unwrap()
            .status(),
        422
    );
    let r = reset("password-reset", ask).await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(
        reset("password-reset/confirm", wrong)
            .await
            .unwrap()
            .status(),
        429
    );
}

/// Fifty sign-ups at once against the binary with the real password hashing (19 MiB each): the
/// server's peak memory grows by a bounded amount (two hashes at once, plus what the answers
/// take), where it used to grow by one hash per sign-up in flight (about 900 MB); those past the
/// address's allowance get 429.
#[tokio::test]
async fn a_burst_of_sign_ups_cannot_exhaust_memory() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("burst.db").display());
    let server = crate::crash::Server::start_with(
        &url,
        &[
            ("NEIGHBOURLY__AUTH__ARGON2_MEMORY_KIB", "19456"),
            ("NEIGHBOURLY__AUTH__ARGON2_ITERATIONS", "2"),
            ("NEIGHBOURLY__AUTH__HASHING_AT_ONCE", "2"),
            ("NEIGHBOURLY__AUTH__SIGNUPS_PER_ADDRESS_PER_HOUR", "40"),
        ],
    )
    .await;
    let pid = server.child.id();
    let peak = || {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .unwrap()
            .to_string();
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
            / 1024
    };
    let before = peak();
    let client = reqwest::Client::new();
    let answers = futures_util::future::join_all((0..50).map(|n| {
        let body = TestApp::member_body(&format!("burst-{n}@example.org"));
        client
            .post(format!("{}/api/v1/members", server.address))
            .json(&body)
            .send()
    }))
    .await;
    let statuses: Vec<u16> = answers
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    let after = peak();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        40,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        10,
        "{statuses:?}"
    );
    assert!(
        after - before < 160,
        "peak memory grew by {} MiB (from {before} MiB to {after} MiB)",
        after - before
    );
}

/// A database locked by someone else answers 503 with Retry-After, not 500, within the wait;
/// once free, the same write succeeds.
#[tokio::test]
async fn a_locked_database_answers_503() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let mut settings = test_settings();
    settings.database.sqlite_busy_timeout_ms = 200;
    settings.database.write_wait_ms = 200;
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let member = app.member().await;
    let path = app
        .settings
        .database
        .url
        .expose()
        .trim_start_matches("sqlite://")
        .to_string();
    let mut other = diesel::SqliteConnection::establish(&path).unwrap();
    other.batch_execute("BEGIN IMMEDIATE").unwrap();
    let body = TestApp::request_body("gardening");
    let r = app
        .post("/api/v1/requests", Some(&member.token), body.clone())
        .await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.headers.contains_key("retry-after"));
    other.batch_execute("ROLLBACK").unwrap();
    app.post("/api/v1/requests", Some(&member.token), body)
        .await
        .expect(201);
    let list = app
        .get("/api/v1/requests", Some(&member.token))
        .await
        .expect(200);
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "the refused write left nothing"
    );
}

/// `neighbourly backup` while requests are being written: the copy opens, is whole, and holds
/// every request acknowledged before the copy began; a restore is refused while the database is
/// in use, and a restored copy serves.
#[tokio::test]
async fn a_backup_taken_while_writing_holds_every_acknowledged_write() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let member = app.member().await;
    let url = app.settings.database.url.expose().to_string();
    let writing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let writer = {
        let (writing, acknowledged) = (writing.clone(), acknowledged.clone());
        let (client, address, token) = (
            app.client.clone(),
            app.address.clone(),
            member.token.clone(),
        );
        tokio::spawn(async move {
            while writing.load(std::sync::atomic::Ordering::SeqCst) {
                let r = client
                    .post(format!("{address}/api/v1/requests"))
                    .bearer_auth(&token)
                    .json(&TestApp::request_body("shopping"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                let body: Value = r.json().await.unwrap();
                acknowledged
                    .lock()
                    .unwrap()
                    .push(body["id"].as_str().unwrap().to_string());
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let (u, c) = (url.clone(), copy.clone());
    tokio::task::spawn_blocking(move || neighbourly::db::backup::backup(&u, &c))
        .await
        .unwrap()
        .expect("the backup is written");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "a backup holds the signing keys: its owner's alone"
        );
    }
    writing.store(false, std::sync::atomic::Ordering::SeqCst);
    writer.await.unwrap();

    // Restoring over the running service's database is refused.
    let (u, c) = (url.clone(), copy.clone());
    let refused = tokio::task::spawn_blocking(move || neighbourly::db::backup::restore(&u, &c))
        .await
        .unwrap();
    assert!(refused.unwrap_err().to_string().contains("in use"));

    // Restored into a place of its own, the copy serves every request acknowledged before it.
    let restored = dir.path().join("restored.db");
    let target = format!("sqlite://{}", restored.display());
    let (t, c) = (target.clone(), copy.clone());
    tokio::task::spawn_blocking(move || neighbourly::db::backup::restore(&t, &c))
        .await
        .unwrap()
        .expect("restored");
    let mut settings = app.settings.clone();
    settings.database.url = Secret::new(target);
    let again = TestApp::spawn_existing(settings).await;
    for id in &before {
        again
            .get(&format!("/api/v1/requests/{id}"), Some(&member.token))
            .await
            .expect(200);
    }
}

/// Two processes starting on one empty PostgreSQL database at once: both migrate it (one waits
/// for the other) and neither fails.
#[tokio::test]
async fn two_processes_migrating_one_postgresql_at_once_both_succeed() {
    let Some(url) = crate::harness::postgres_database() else {
        return;
    };
    let migrate = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_neighbourly"))
            .arg("migrate")
            .env("NEIGHBOURLY_ENV", "test")
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(migrate);
        let b = s.spawn(migrate);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    for out in [a, b] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

async fn search_folds_accents_and_case(app: TestApp) {
    let coord = app.coordinator().await;
    let mut body = TestApp::member_body(&format!("edith-{}@example.org", uuid::Uuid::new_v4()));
    body["name"] = json!("Édith Ünal");
    app.post("/api/v1/members", Some(&coord.token), body)
        .await
        .expect(201);
    for q in [
        "ÉDITH",
        "édith",
        "edith",
        "Ünal",
        "UNAL",
        "unal",
        "edith unal",
    ] {
        let found = app
            .get(
                &format!("/api/v1/members?q={}", urlencode(q)),
                Some(&coord.token),
            )
            .await
            .expect(200);
        let names: Vec<&str> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["name"].as_str())
            .collect();
        assert_eq!(names, ["Édith Ünal"], "{q}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Sent and failed emails lose their bodies after `email.keep_sent_days`; reset links go when
/// they end; a pending email keeps its body.
async fn email_bodies_and_reset_links_are_not_kept(app: TestApp) {
    use diesel::prelude::*;
    use neighbourly::db::schema::{outbox, password_resets};
    let m = app.member().await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        json!({"email": m.email}),
    )
    .await
    .expect(202);
    let keep = app.settings.email.keep_sent_days;
    let bodies = app
        .state
        .db(move |c| {
            let now = neighbourly::db::now();
            let ids: Vec<String> = outbox::table.select(outbox::id).load(c)?;
            assert!(!ids.is_empty(), "the reset email was queued");
            let mail = |n: usize| neighbourly::db::outbox::NewEmail {
                kind: neighbourly::domain::MessageKind::JobDetails,
                recipient: format!("p{n}@example.org"),
                subject: format!("Message {n}"),
                text_body: "12 Choumert Road, 020 7946 0001".into(),
                html_body: "<p>12 Choumert Road</p>".into(),
                dedup_key: None,
                push: None,
            };
            let sent = neighbourly::db::outbox::enqueue(c, &mail(1), now)?;
            let failed = neighbourly::db::outbox::enqueue(c, &mail(2), now)?;
            let long_ago = now - chrono::Duration::days(keep + 1);
            diesel::update(outbox::table.find(&sent))
                .set((
                    outbox::status.eq("sent"),
                    outbox::sent_at.eq(Some(long_ago)),
                ))
                .execute(c)?;
            diesel::update(outbox::table.find(&failed))
                .set((outbox::status.eq("failed"), outbox::created_at.eq(long_ago)))
                .execute(c)?;
            let later = now + chrono::Duration::hours(2);
            neighbourly::db::housekeeping::prune(
                c,
                later,
                chrono::Duration::minutes(15),
                chrono::Duration::days(keep),
            )?;
            let resets: i64 = password_resets::table.count().get_result(c)?;
            assert_eq!(resets, 0, "the ended reset link is gone");
            Ok(outbox::table
                .select((
                    outbox::subject,
                    outbox::status,
                    outbox::text_body,
                    outbox::html_body,
                ))
                .load::<(String, String, String, String)>(c)?)
        })
        .await
        .unwrap();
    for (subject, status, text, html) in bodies {
        match status.as_str() {
            "sent" | "failed" => {
                assert!(text.is_empty() && html.is_empty(), "{subject}: {text}");
                assert!(!subject.is_empty());
            }
            _ => assert!(!text.is_empty(), "{subject} is still to be sent"),
        }
    }
}

async fn a_person_exported_then_erased_appears_nowhere(app: TestApp) {
    use diesel::prelude::*;
    let coord = app.coordinator().await;
    let member = app.member().await;
    let other = app.member().await;
    let helper = app.helper(&coord).await;
    app.post(
        &format!("/api/v1/members/{}/account/credits", member.id),
        Some(&coord.token),
        json!({"tokens": 2, "amount_pence": 2000, "paid_by": "Her daughter Grace"}),
    )
    .await
    .expect(201);
    let job = assigned(&app, &member, &helper, 1).await;

    // Export: the person, and coordinators; nobody else.
    let own = app
        .get(
            &format!("/api/v1/users/{}/export", member.id),
            Some(&member.token),
        )
        .await
        .expect(200);
    assert_eq!(own["records"]["account"][0]["name"], "Ada Member");
    assert_eq!(own["records"]["requests"].as_array().unwrap().len(), 1);
    assert_eq!(
        own["records"]["ledger_movements"].as_array().unwrap().len(),
        1
    );
    assert!(!own.to_string().contains("password_hash") && !own.to_string().contains("argon2"));
    let r = app
        .get(
            &format!("/api/v1/users/{}/export", member.id),
            Some(&other.token),
        )
        .await;
    assert_eq!(r.status, 404);
    app.get(
        &format!("/api/v1/users/{}/export", member.id),
        Some(&coord.token),
    )
    .await
    .expect(200);

    // Erasure: coordinators only, and not while a visit is still to happen.
    let erase = |token: String| {
        let path = format!("/api/v1/users/{}/erase", member.id);
        let app = &app;
        async move {
            app.post(
                &path,
                Some(&token),
                json!({"reason": "Asked to be forgotten"}),
            )
            .await
        }
    };
    assert_eq!(erase(member.token.clone()).await.status, 403);
    assert_eq!(erase(coord.token.clone()).await.status, 409);
    crate::visits::at_the_visit(
        &app,
        &job,
        &helper.token,
        "complete",
        json!({"minutes_spent": 60}),
    )
    .await
    .expect(200);
    let erased = erase(coord.token.clone()).await.expect(200);
    let alias = erased["name"].as_str().unwrap().to_string();
    assert!(alias.starts_with("Erased person"), "{alias}");

    // Appears nowhere: not in search, not in their record, not in the export.
    for q in ["Ada", "Choumert", "02079460001", member.email.as_str()] {
        let found = app
            .get(
                &format!("/api/v1/members?q={}", urlencode(q)),
                Some(&coord.token),
            )
            .await
            .expect(200);
        assert!(
            found["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["id"] != member.id.as_str()),
            "{q}: {found}"
        );
    }
    let after = app
        .get(
            &format!("/api/v1/users/{}/export", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200)
        .to_string();
    for trace in [
        "Ada Member",
        "Choumert",
        "7946 0001",
        member.email.as_str(),
        "Grace",
        "hedge",
    ] {
        assert!(!after.contains(trace), "{trace} is still held: {after}");
    }
    let r = app.get("/api/v1/me", Some(&member.token)).await;
    assert_eq!(r.status, 401, "their sessions ended");
    // The audit still reads, with the erasure in it; the ledger still sums to zero.
    let audit = app
        .get(
            &format!("/api/v1/audit?subject_id={}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "user.erased"));
    let sum = app
        .state
        .db(|c| {
            use neighbourly::db::schema::ledger_entries as le;
            let minutes: Vec<i32> = le::table.select(le::minutes).load(c)?;
            Ok(minutes.iter().map(|m| i64::from(*m)).sum::<i64>())
        })
        .await
        .unwrap();
    assert_eq!(sum, 0);
    // The helper's view of the finished job names the pseudonym, not the person.
    let seen = app
        .get(&format!("/api/v1/requests/{job}"), Some(&coord.token))
        .await
        .expect(200);
    assert!(!seen.to_string().contains("Ada Member"), "{seen}");
}

/// The server's log names the path of a request that went wrong, never its query string: a
/// member search's words (a name, a street) stay out of it.
#[tokio::test]
async fn request_logs_carry_no_query_strings() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("logs.db").display());
    let log = dir.path().join("server.log");
    let server =
        crate::crash::Server::start_logging(&url, &[("RUST_LOG", "info")], Some(&log)).await;
    let client = reqwest::Client::new();
    let token = server.member_token("logged@example.org").await;
    let token = token.as_str();
    // A member may not search: the refusal is logged, inside the request's span.
    let r = client
        .get(format!(
            "{}/api/v1/members?q=Edith+Choumert+Road",
            server.address
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("/api/v1/members"),
        "the refusal was logged: {text}"
    );
    for secret in ["Choumert", "Edith", "q=", token] {
        assert!(!text.contains(secret), "{secret} reached the log: {text}");
    }
    for line in text.lines().filter(|l| l.contains("/api/v1/")) {
        assert!(
            !line.contains("127.0.0.1"),
            "a client address reached the log: {line}"
        );
    }
}
