//! Safe by default, part two: a person's export holds what they may see now and no more; a
//! blocked regular helper loses the member's place; erasure reaches the emails about a person;
//! backups are private; SIGTERM drains; push endpoints and their number are bounded; link tokens
//! stay out of the log; a bad postcode file is read in bounded memory; names are one visible
//! line; dates are ones a Circle means.

use crate::harness::RawDb;
use serde_json::{json, Value};

use crate::harness::{test_settings, Backend, TestApp, User};
use crate::on_both_backends;

on_both_backends!(
    a_helpers_export_shows_their_jobs_as_they_see_them_now,
    a_blocked_regular_helper_no_longer_sees_the_members_place,
    the_push_subscriptions_of_one_person_are_at_most_ten,
    names_are_one_visible_line,
    dates_no_circle_means_are_refused,
    the_registry_names_every_place_a_person_is_held,
);

const MEMBER_LAT: f64 = 51.4700;
const MEMBER_LON: f64 = -0.0700;

/// The entry for request `id` in a section of an export.
fn entry<'a>(export: &'a Value, section: &str, id: &str) -> &'a Value {
    export["records"][section]
        .as_array()
        .unwrap_or_else(|| panic!("no section {section}: {export}"))
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in {section}: {export}"))
}

async fn export_of(app: &TestApp, person: &User) -> Value {
    app.get(
        &format!("/api/v1/users/{}/export", person.id),
        Some(&person.token),
    )
    .await
    .expect(200)
}

/// What the helper reads of request `id`, in its own view, in their list and in their export,
/// agrees: the member's details and exact place in all while the visit is theirs, in none after.
/// Returns whether they are shown.
async fn view_and_export_agree(app: &TestApp, helper: &User, id: &str) -> bool {
    let view = app
        .get(&format!("/api/v1/requests/{id}"), Some(&helper.token))
        .await
        .expect(200);
    let list = app
        .get("/api/v1/requests?limit=200", Some(&helper.token))
        .await
        .expect(200);
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} is in the helper's list: {list}"));
    for field in ["member", "member_name", "location"] {
        assert_eq!(
            listed.get(field).filter(|m| !m.is_null()),
            view.get(field).filter(|m| !m.is_null()),
            "{field} in the list as in the view: {listed}\n{view}"
        );
    }
    let export = export_of(app, helper).await;
    let job = entry(&export, "jobs", id);
    assert_eq!(job["location"], view["location"], "{job}\n{view}");
    assert_eq!(
        job.get("member").filter(|m| !m.is_null()),
        view.get("member").filter(|m| !m.is_null()),
        "{job}\n{view}"
    );
    let exact = view["location"]["lat"] == MEMBER_LAT && view["location"]["lon"] == MEMBER_LON;
    let shown = view.get("member").is_some_and(|m| !m.is_null());
    assert_eq!(
        exact, shown,
        "the exact place goes with the contact details: {view}"
    );
    shown
}

/// Nothing in the helper's export places or reaches the member of `id`, in any section.
async fn export_holds_nothing_of_the_member(app: &TestApp, helper: &User) {
    let export = export_of(app, helper).await;
    let text = export.to_string();
    for trace in ["Choumert", "7946 0001", "Ada Member"] {
        assert!(
            !text.contains(trace),
            "{trace} in the helper's export: {text}"
        );
    }
    for section in ["jobs", "offers"] {
        for r in export["records"][section].as_array().unwrap() {
            let at = r
                .get("location")
                .or_else(|| r["area"].get("center"))
                .unwrap();
            assert!(
                !(at["lat"] == MEMBER_LAT && at["lon"] == MEMBER_LON),
                "an exact place in {section}: {r}"
            );
        }
    }
    assert!(
        !text.contains("\"score\"") && !text.contains("\"reasons\""),
        "offers as the helper sees them, not as stored: {text}"
    );
}

async fn a_helpers_export_shows_their_jobs_as_they_see_them_now(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;

    // While the visit is theirs: the same details in the view and the export.
    let (done, _) = crate::visits::assigned(&app, &member, &helper, 1).await;
    assert!(view_and_export_agree(&app, &helper, &done).await);

    // Completed.
    crate::visits::at_the_visit(
        &app,
        &done,
        &helper.token,
        "complete",
        json!({"minutes_spent": 60}),
    )
    .await
    .expect(200);
    assert!(!view_and_export_agree(&app, &helper, &done).await);

    // 24 hours after the window.
    let (past, _) = crate::visits::assigned(&app, &member, &helper, 2).await;
    assert!(view_and_export_agree(&app, &helper, &past).await);
    crate::visits::window_ended_hours_ago(&app, &past, 25).await;
    assert!(!view_and_export_agree(&app, &helper, &past).await);

    // Blocked by the member.
    let (blocked, _) = crate::visits::assigned(&app, &member, &helper, 3).await;
    assert!(view_and_export_agree(&app, &helper, &blocked).await);
    app.post(
        &format!("/api/v1/members/{}/blocks", member.id),
        Some(&member.token),
        json!({"helper_id": helper.id}),
    )
    .await
    .expect(204);
    assert!(!view_and_export_agree(&app, &helper, &blocked).await);
    // Blocked, the helper holds nothing of this member anywhere in the export.
    export_holds_nothing_of_the_member(&app, &helper).await;

    // Suspended: nothing of any member.
    let other = app.member().await;
    let (suspended, _) = crate::visits::assigned(&app, &other, &helper, 4).await;
    assert!(view_and_export_agree(&app, &helper, &suspended).await);
    app.suspend(&coord, &helper).await;
    assert!(!view_and_export_agree(&app, &helper, &suspended).await);
    export_holds_nothing_of_the_member(&app, &helper).await;
    // Lists say the same as the request read alone.
    let list = app
        .get("/api/v1/requests", Some(&helper.token))
        .await
        .expect(200);
    for r in list["items"].as_array().unwrap() {
        assert!(
            !(r["location"]["lat"] == MEMBER_LAT && r["location"]["lon"] == MEMBER_LON),
            "{r}"
        );
    }
    // A coordinator's export of the helper is the helper's own.
    let by_coord = app
        .get(
            &format!("/api/v1/users/{}/export", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(
        by_coord["records"]["jobs"],
        export_of(&app, &helper).await["records"]["jobs"]
    );
}

async fn a_blocked_regular_helper_no_longer_sees_the_members_place(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let id = crate::series::weekly_series(&app, &member).await;
    app.put(
        &format!("/api/v1/series/{id}/helper"),
        Some(&coord.token),
        json!({"helper_id": helper.id}),
    )
    .await
    .expect(200);
    let seen = app
        .get(&format!("/api/v1/series/{id}"), Some(&helper.token))
        .await
        .expect(200);
    assert_eq!(
        seen["location"],
        json!({"lat": MEMBER_LAT, "lon": MEMBER_LON})
    );
    app.post(
        &format!("/api/v1/members/{}/blocks", member.id),
        Some(&member.token),
        json!({"helper_id": helper.id}),
    )
    .await
    .expect(204);
    for seen in [
        app.get(&format!("/api/v1/series/{id}"), Some(&helper.token))
            .await
            .expect(200),
        entry(
            &export_of(&app, &helper).await,
            "standing_requests_as_helper",
            &id,
        )
        .clone(),
    ] {
        assert!(
            !(seen["location"]["lat"] == MEMBER_LAT && seen["location"]["lon"] == MEMBER_LON),
            "{seen}"
        );
        for r in seen["upcoming"].as_array().unwrap() {
            assert!(r.get("member").is_none_or(|m| m.is_null()), "{r}");
        }
    }
    // The member and coordinators still see the place.
    let own = app
        .get(&format!("/api/v1/series/{id}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(
        own["location"],
        json!({"lat": MEMBER_LAT, "lon": MEMBER_LON})
    );
}

/// Erasing a member empties the emails about them sent to others (the helper's job details,
/// with the member's name, address and phone), in the outbox and as `.eml` files.
#[tokio::test]
async fn erasing_a_member_empties_the_emails_about_them() {
    let mail = tempfile::tempdir().unwrap();
    let mut settings = test_settings();
    settings.email.poll_interval_ms = 50;
    settings.email.mail_dir = mail.path().display().to_string();
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (job, _) = crate::visits::assigned(&app, &member, &helper, 1).await;
    let files_naming = |trace: &str| -> Vec<String> {
        std::fs::read_dir(mail.path())
            .unwrap()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .filter(|text| text.contains(trace))
            .collect()
    };
    // The job's details reach the helper as a file, with the member's address.
    let mut waited = 0;
    while files_naming("Choumert").is_empty() {
        assert!(waited < 200, "the job details email was never written");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        waited += 1;
    }
    crate::visits::at_the_visit(
        &app,
        &job,
        &helper.token,
        "complete",
        json!({"minutes_spent": 60}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/users/{}/erase", member.id),
        Some(&coord.token),
        json!({"reason": "Asked to be forgotten"}),
    )
    .await
    .expect(200);
    let bodies = app
        .state
        .db(|c| {
            use diesel::prelude::*;
            use neighbourly::db::schema::outbox;
            Ok(outbox::table
                .select((outbox::subject, outbox::text_body, outbox::html_body))
                .load::<(String, String, String)>(c)?)
        })
        .await
        .unwrap();
    assert!(!bodies.is_empty());
    for (subject, text, html) in &bodies {
        for trace in ["Choumert", "Ada Member", "7946 0001", member.email.as_str()] {
            assert!(
                !subject.contains(trace) && !text.contains(trace) && !html.contains(trace),
                "{trace} in {subject}: {text}"
            );
        }
    }
    for trace in ["Choumert", "Ada Member", "7946 0001"] {
        assert!(files_naming(trace).is_empty(), "{trace} in a mail file");
    }
    // The helper's own emails about other things are still there.
    assert!(bodies.iter().any(|(s, _, _)| !s.is_empty()));
}

async fn the_push_subscriptions_of_one_person_are_at_most_ten(app: TestApp) {
    let member = app.member().await;
    let subscribe = |endpoint: String| {
        let app = &app;
        let token = member.token.clone();
        async move {
            app.post(
                "/api/v1/me/push-subscriptions",
                Some(&token),
                json!({
                    "endpoint": endpoint,
                    "keys": {
                        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
                        "auth": "tBHItJI5svbpez7KI4CCXg"
                    }
                }),
            )
            .await
        }
    };
    for inner in [
        "https://[::7f00:1]/push/1",
        "https://[64:ff9b::a9fe:a9fe]/push/1",
        "https://[2002:7f00:1::]/push/1",
        "https://[fec0::1]/push/1",
        "https://198.18.0.1/push/1",
        "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/push/1",
    ] {
        let r = subscribe(inner.to_string()).await;
        assert_eq!(
            (r.status.as_u16(), r.fields()),
            (422, vec!["endpoint".to_string()]),
            "{inner}"
        );
    }
    for n in 0..12 {
        subscribe(format!("https://142.250.187.206/send/{n}"))
            .await
            .expect(201);
    }
    let kept = app
        .state
        .db({
            let id = member.id.clone();
            move |c| {
                use diesel::prelude::*;
                use neighbourly::db::schema::push_subscriptions as ps;
                Ok(ps::table
                    .filter(ps::user_id.eq(id))
                    .select(ps::endpoint)
                    .load::<String>(c)?)
            }
        })
        .await
        .unwrap();
    assert_eq!(kept.len(), 10, "{kept:?}");
    for gone in ["/send/0", "/send/1"] {
        assert!(
            !kept.iter().any(|e| e.ends_with(gone)),
            "the oldest go first: {kept:?}"
        );
    }
    assert!(kept.iter().any(|e| e.ends_with("/send/11")));
    // The person's export lists them, without their keys.
    let export = export_of(&app, &member).await;
    assert_eq!(
        export["records"]["push_subscriptions"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert!(!export.to_string().contains("tBHItJI5svbpez7KI4CCXg"));
}

async fn names_are_one_visible_line(app: TestApp) {
    for bad in [
        "Ann\nAddress: 1 Fake St",
        "Ann\r\nSmith",
        "Ann\tSmith",
        "Ann \u{202E}htimS",
        "Ann \u{2067}Smith\u{2069}",
        "Ann\u{200B}Smith",
        "Ann\u{FEFF}",
        "Ann\u{0007}",
    ] {
        let email = format!("n-{}@example.org", uuid::Uuid::new_v4());
        let mut body = TestApp::member_body(&email);
        body["name"] = json!(bad);
        let r = app.post("/api/v1/members", None, body).await;
        assert_eq!(
            (r.status.as_u16(), r.fields()),
            (422, vec!["name".to_string()]),
            "{bad:?}: {}",
            r.body
        );
    }
    // A description may run over lines, and no more than that.
    let member = app.member().await;
    let mut body = TestApp::request_body("gardening");
    body["description"] = json!("The front hedge,\nand the path");
    app.post("/api/v1/requests", Some(&member.token), body.clone())
        .await
        .expect(201);
    body["description"] = json!("The front hedge\u{202E}");
    let r = app
        .post("/api/v1/requests", Some(&member.token), body)
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["description".to_string()])
    );
}

async fn dates_no_circle_means_are_refused(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let refused = |r: crate::harness::Resp, field: &str, what: &str| {
        assert_eq!(
            (r.status.as_u16(), r.fields()),
            (422, vec![field.to_string()]),
            "{what}: {}",
            r.body
        );
    };
    let event = |starts: &str, ends: &str| {
        json!({
            "title": "Coffee morning", "description": "Tea, coffee and cake",
            "place": "Peckham Library", "location": {"lat": 51.4740, "lon": -0.0690},
            "starts_at": starts, "ends_at": ends, "capacity": 20,
        })
    };
    for (starts, ends, field) in [
        ("2001-03-01T10:00:00Z", "2001-03-01T12:00:00Z", "starts_at"),
        ("3000-03-01T10:00:00Z", "3000-03-01T12:00:00Z", "starts_at"),
    ] {
        let r = app
            .post("/api/v1/events", Some(&coord.token), event(starts, ends))
            .await;
        assert_eq!(r.status, 422, "{starts}: {}", r.body);
        assert!(r.fields().contains(&field.to_string()), "{}", r.body);
    }
    let soon = chrono::Utc::now() + chrono::Duration::days(14);
    let made = app
        .post(
            "/api/v1/events",
            Some(&coord.token),
            event(
                &soon.to_rfc3339(),
                &(soon + chrono::Duration::hours(2)).to_rfc3339(),
            ),
        )
        .await
        .expect(201);
    let r = app
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/events/{}", made["id"].as_str().unwrap()),
            Some(&coord.token),
            Some(json!({"starts_at": "3000-01-01T10:00:00Z", "ends_at": "3000-01-01T12:00:00Z"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.fields().contains(&"starts_at".to_string()), "{}", r.body);

    let path = format!("/api/v1/members/{}/memberships", member.id);
    for (starts, ends, field) in [
        ("0001-01-01", "0002-01-01", "starts_on"),
        ("2026-12-01", "9999-12-31", "ends_on"),
    ] {
        let r = app
            .post(
                &path,
                Some(&coord.token),
                json!({"starts_on": starts, "ends_on": ends, "fee_pence": 2000}),
            )
            .await;
        assert_eq!(r.status, 422, "{starts}: {}", r.body);
        assert!(r.fields().contains(&field.to_string()), "{}", r.body);
    }
    let r = app
        .post(
            &format!("/api/v1/helpers/{}/vetting", helper.id),
            Some(&coord.token),
            json!({"status": "approved", "expires_on": "9999-12-31"}),
        )
        .await;
    refused(r, "expires_on", "vetting until 9999");
    let mut series = crate::series::weekly_from_tomorrow();
    series["starts_on"] = json!("3000-01-01");
    let r = app
        .post("/api/v1/series", Some(&member.token), series)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.fields().contains(&"starts_on".to_string()), "{}", r.body);
    let mut away = TestApp::always_free();
    away["time_off"] = json!([{"start": "3000-01-01", "end": "3000-01-14"}]);
    let r = app
        .put(
            &format!("/api/v1/helpers/{}/availability", helper.id),
            Some(&helper.token),
            away,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.fields().iter().all(|f| f.starts_with("time_off[0]")),
        "{}",
        r.body
    );
}

/// Every column that holds a person's id (a foreign key to `users`, or a column named as one)
/// is in the registry that the export and the erasure walk, and every registry entry exists.
async fn the_registry_names_every_place_a_person_is_held(app: TestApp) {
    use neighbourly::db::personal_data::{HELD_BY_EMAIL, HOLDINGS};
    let person_columns = [
        "user_id",
        "member_id",
        "helper_id",
        "created_by",
        "vetted_by",
        "raised_by",
        "about_id",
        "by_id",
        "actor_id",
        "subject_id",
        "signed_up_by",
    ];
    let held = app
        .state
        .db(move |c| {
            use diesel::prelude::*;
            use diesel::sql_types::Text;
            #[derive(QueryableByName)]
            struct Column {
                #[diesel(sql_type = Text)]
                table_name: String,
                #[diesel(sql_type = Text)]
                column_name: String,
                #[diesel(sql_type = Text)]
                points_at: String,
            }
            let sql = if c.is_postgres() {
                "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name,
                        COALESCE((SELECT ccu.table_name::text
                          FROM information_schema.key_column_usage k
                          JOIN information_schema.referential_constraints r ON r.constraint_name = k.constraint_name
                          JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = r.unique_constraint_name
                          WHERE k.table_name = c.table_name AND k.column_name = c.column_name LIMIT 1), '') AS points_at
                 FROM information_schema.columns c
                 WHERE c.table_schema = current_schema() AND c.table_name NOT LIKE '__diesel%'"
            } else {
                "SELECT m.name AS table_name, p.name AS column_name,
                        COALESCE((SELECT f.\"table\" FROM pragma_foreign_key_list(m.name) f WHERE f.\"from\" = p.name), '') AS points_at
                 FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'"
            };
            let columns = diesel::sql_query(sql)
                .load::<Column>(c)?
                .into_iter()
                .map(|col| (col.table_name, col.column_name, col.points_at))
                .collect::<Vec<_>>();
            Ok((columns, c.is_postgres()))
        })
        .await
        .unwrap();
    let (held, postgres) = held;
    assert!(held.len() > 100, "the columns were read: {}", held.len());
    let in_registry = |table: &str, column: &str| {
        HOLDINGS
            .iter()
            .any(|h| h.table == table && h.column == column)
            || HELD_BY_EMAIL.contains(&(table, column))
    };
    let mut missing = Vec::new();
    for (table, column, points_at) in &held {
        let holds_a_person = points_at == "users" || person_columns.contains(&column.as_str());
        if holds_a_person && !in_registry(table, column) {
            missing.push(format!("{table}.{column}"));
        }
    }
    assert!(
        missing.is_empty(),
        "held but in neither the export nor the erasure: {missing:?}"
    );
    for h in HOLDINGS {
        // The helpers' reach index is SQLite's R*Tree; PostgreSQL indexes the helpers' own rows.
        if postgres && h.table == "helper_reach_keys" {
            continue;
        }
        assert!(
            held.iter().any(|(t, c, _)| t == h.table && c == h.column),
            "{}.{} is in the registry but not in the database",
            h.table,
            h.column
        );
    }
}

/// The binary, as an operator runs it, on the SQLite database at `url`.
fn neighbourly(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_neighbourly"))
        .args(args)
        .env("NEIGHBOURLY_ENV", "test")
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn mode_of(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A backup holds the signing keys, so only its owner may read it; a restore is refused while
/// anyone has the database open, also in rollback-journal mode where an idle reader holds no
/// lock, and works once they have gone.
#[tokio::test]
async fn backups_are_private_and_restore_waits_for_every_reader() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.member().await;
    let url = app.settings.database.url.expose().to_string();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let out = neighbourly(&url, &["backup", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        mode_of(&copy),
        0o600,
        "the backup is readable by its owner alone"
    );

    // A live database in rollback-journal mode, with a reader that holds it open.
    let live = dir.path().join("live.db");
    let live_url = format!("sqlite://{}", live.display());
    let out = neighbourly(&live_url, &["restore", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode_of(&live), 0o600);
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let mut reader = diesel::SqliteConnection::establish(live.to_str().unwrap()).unwrap();
    reader
        .batch_execute("PRAGMA journal_mode = DELETE; SELECT count(*) FROM users;")
        .unwrap();
    let out = neighbourly(&live_url, &["restore", copy.to_str().unwrap()]);
    assert!(!out.status.success(), "restored under an open reader");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("in use"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    reader
        .batch_execute("BEGIN; SELECT count(*) FROM users;")
        .unwrap();
    let out = neighbourly(&live_url, &["restore", copy.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "restored under a reading transaction"
    );
    drop(reader);
    let out = neighbourly(&live_url, &["restore", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// SIGTERM while a write waits for the database, with `/metrics` on a port of its own (the
/// default): the API drains, and the client gets its 201; the row is there.
#[tokio::test]
async fn sigterm_lets_a_write_in_flight_finish_with_metrics_on_their_own_port() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("drain.db");
    let url = format!("sqlite://{}", db.display());
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let server = crate::crash::Server::start_with(
        &url,
        &[
            ("NEIGHBOURLY__METRICS__ENABLED", "true"),
            ("NEIGHBOURLY__METRICS__PORT", metrics_port.as_str()),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let metrics = client
        .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200, "metrics answer on their own port");
    let token = server.member_token("drain@example.org").await;

    // Someone else holds the database's write lock: the request waits for its turn.
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let mut holder = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    holder.batch_execute("BEGIN IMMEDIATE;").unwrap();
    let pending = tokio::spawn({
        let (client, address) = (client.clone(), server.address.clone());
        async move {
            client
                .post(format!("{address}/api/v1/requests"))
                .bearer_auth(&token)
                .json(&TestApp::request_body("shopping"))
                .send()
                .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    holder.batch_execute("COMMIT;").unwrap();
    let answer = pending
        .await
        .unwrap()
        .expect("an answer, not a closed connection");
    assert_eq!(answer.status(), 201);
    let mut server = server;
    let status = server.child.wait().unwrap();
    assert!(status.success(), "the server stopped cleanly: {status:?}");
    let rows: i64 = {
        use diesel::prelude::*;
        use neighbourly::db::schema::help_requests;
        let mut c = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
        help_requests::table.count().get_result(&mut c).unwrap()
    };
    assert_eq!(rows, 1);
}

/// A one-tap link's token never reaches the log, also when its request is refused.
#[tokio::test]
async fn link_tokens_stay_out_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("log.db").display());
    let log = dir.path().join("server.log");
    let server =
        crate::crash::Server::start_logging(&url, &[("RUST_LOG", "info")], Some(&log)).await;
    let token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";
    assert_eq!(token.len(), 43);
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{}/api/v1/action-links/{token}", server.address))
        .header("content-type", "application/json")
        .body(r#"{"whole_series": "perhaps"}"#)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = client
        .get(format!("{}/app/a/{token}", server.address))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("/api/v1/action-links/{token}"),
        "the request was logged: {text}"
    );
    assert!(!text.contains(token), "{text}");
}

/// A postcode file with a row that is not UTF-8 and a line of 300 MB: both reported, every good
/// row imported, and the importing process never holds the long line.
#[tokio::test]
async fn a_bad_postcode_file_is_read_in_bounded_memory() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("places.db").display());
    let out = neighbourly(&url, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.path().join("postcodes.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        f.write_all(b"postcode,lat,lon\nSE15 4QF,51.4700,-0.0700\n")
            .unwrap();
        f.write_all(b"SE15 \xff\xfeQG,51.4710,-0.0710\n").unwrap();
        let chunk = vec![b'x'; 1 << 20];
        f.write_all(b"SE15 4QH,51.47").unwrap();
        for _ in 0..300 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(b"\nSE5 8RS,51.4740,-0.0930\n").unwrap();
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_neighbourly"))
        .args(["places", "import", file.to_str().unwrap()])
        .env("NEIGHBOURLY_ENV", "test")
        .env("DATABASE_URL", &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut peak_kib = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kib) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    assert!(said.contains("2 postcodes imported"), "{said}");
    assert!(said.contains("2 that could not be read"), "{said}");
    assert!(peak_kib > 0, "the import was watched");
    assert!(
        peak_kib < 150 * 1024,
        "the import held {} MiB for a 300 MB line",
        peak_kib / 1024
    );
}
