//! Memberships and the time ledger: credits, adjustments and statements by role; the ledger
//! always sums to zero and refuses to be changed; a done visit is debited when tokens are
//! required.

use crate::harness::RawDb;
use rand::Rng;
use serde_json::{json, Value};

use crate::harness::{test_settings, Backend, TestApp, User};
use crate::on_both_backends;

on_both_backends!(
    coordinators_record_memberships_credits_and_adjustments,
    the_ledger_and_memberships_refuse_to_be_changed,
    random_movements_keep_every_balance_true,
    a_lapsed_member_still_signs_in_and_sees_their_account,
    renewals_never_shorten_the_year,
    nothing_is_booked_or_credited_for_a_closed_member,
);

/// A membership running to a day ahead renewed with no dates starts the day after it ends and
/// runs a year; a vetting renewed with no date runs a year from its current expiry.
async fn renewals_never_shorten_the_year(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let today = app.clock.now().date();
    let ends = today + chrono::Duration::days(25);
    let path = format!("/api/v1/members/{}/memberships", member.id);
    app.post(
        &path,
        Some(&coord.token),
        json!({"starts_on": (ends - chrono::Duration::days(364)).to_string(),
               "ends_on": ends.to_string(), "fee_pence": 1000}),
    )
    .await
    .expect(201);
    let renewed = app
        .post(&path, Some(&coord.token), json!({"fee_pence": 1000}))
        .await
        .expect(201);
    let next = ends + chrono::Duration::days(1);
    assert_eq!(renewed["starts_on"], next.to_string(), "no day is lost");
    let a_year = next + chrono::Months::new(12) - chrono::Duration::days(1);
    assert_eq!(renewed["ends_on"], a_year.to_string());
    let r = app
        .post(
            &path,
            Some(&coord.token),
            json!({"starts_on": today.to_string(), "ends_on": today.to_string(), "fee_pence": 0}),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["ends_on".to_string()])
    );

    let helper = app.helper(&coord).await;
    let vetting = format!("/api/v1/helpers/{}/vetting", helper.id);
    let until = today + chrono::Duration::days(30);
    app.post(
        &vetting,
        Some(&coord.token),
        json!({"status": "approved", "expires_on": until.to_string()}),
    )
    .await
    .expect(200);
    let again = app
        .post(&vetting, Some(&coord.token), json!({"status": "approved"}))
        .await
        .expect(200);
    assert_eq!(
        again["vetting"]["expires_on"],
        (until + chrono::Months::new(12)).to_string()
    );
}

/// A deactivated member cannot be acted for: no help asked, no standing request, no tokens, no
/// membership, no event place; each a 409 that says so.
async fn nothing_is_booked_or_credited_for_a_closed_member(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    app.post(
        &format!("/api/v1/users/{}/deactivate", member.id),
        Some(&coord.token),
        json!({"reason": "Moved away"}),
    )
    .await
    .expect(200);
    let closed = |r: crate::harness::Resp, what: &str| {
        assert_eq!(r.status, 409, "{what}: {}", r.body);
        assert_eq!(
            r.body["detail"], "This member's account is closed.",
            "{what}"
        );
    };
    // Taking a call, they are not found; asked for, they are, marked closed.
    let q = member.email.replace('@', "%40");
    let found = app
        .get(&format!("/api/v1/members?q={q}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(found["items"].as_array().unwrap().len(), 0, "{found}");
    let found = app
        .get(
            &format!("/api/v1/members?q={q}&include_closed=true"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(found["items"][0]["id"], member.id.as_str());
    assert_eq!(found["items"][0]["active"], false);
    // A closed helper leaves the helpers' list the same way.
    let helper = app.helper(&coord).await;
    app.post(
        &format!("/api/v1/users/{}/deactivate", helper.id),
        Some(&coord.token),
        json!({"reason": "Moved away"}),
    )
    .await
    .expect(200);
    let q = helper.email.replace('@', "%40");
    let listed = app
        .get(
            &format!("/api/v1/helpers?q={q}&vetting=approved"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 0, "{listed}");
    let listed = app
        .get(
            &format!("/api/v1/helpers?q={q}&include_closed=true"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(listed["items"][0]["id"], helper.id.as_str(), "{listed}");
    assert_eq!(listed["items"][0]["active"], false, "{listed}");
    let mut ask = TestApp::request_body("gardening");
    ask["member_id"] = json!(member.id);
    closed(
        app.post("/api/v1/requests", Some(&coord.token), ask).await,
        "asking for help",
    );
    let mut series = crate::series::weekly_from_tomorrow();
    series["member_id"] = json!(member.id);
    closed(
        app.post("/api/v1/series", Some(&coord.token), series).await,
        "a standing request",
    );
    closed(
        app.post(
            &format!("/api/v1/members/{}/account/credits", member.id),
            Some(&coord.token),
            json!({"tokens": 1, "amount_pence": 1000, "paid_by": "Cash"}),
        )
        .await,
        "tokens",
    );
    closed(
        app.post(
            &format!("/api/v1/members/{}/memberships", member.id),
            Some(&coord.token),
            json!({"fee_pence": 1000}),
        )
        .await,
        "a membership",
    );
    let soon = chrono::Utc::now() + chrono::Duration::days(10);
    let event = app
        .post(
            "/api/v1/events",
            Some(&coord.token),
            json!({
                "title": "Coffee morning", "description": "Tea and cake",
                "place": "Peckham Library", "location": {"lat": 51.4740, "lon": -0.0690},
                "starts_at": soon.to_rfc3339(),
                "ends_at": (soon + chrono::Duration::hours(2)).to_rfc3339(), "capacity": 20,
            }),
        )
        .await
        .expect(201);
    closed(
        app.post(
            &format!("/api/v1/events/{}/signups", event["id"].as_str().unwrap()),
            Some(&coord.token),
            json!({"member_id": member.id}),
        )
        .await,
        "an event place",
    );
}

async fn a_lapsed_member_still_signs_in_and_sees_their_account(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let today = chrono::Utc::now().date_naive();
    app.post(
        &format!("/api/v1/members/{}/memberships", member.id),
        Some(&coord.token),
        json!({"starts_on": (today - chrono::Duration::days(365)).to_string(),
               "ends_on": (today - chrono::Duration::days(1)).to_string(), "fee_pence": 1000}),
    )
    .await
    .expect(201);
    app.login(&member.email, crate::harness::PASSWORD)
        .await
        .expect(200);
    let acc = account(&app, &member, &member.id).await;
    assert_eq!(acc["membership"]["status"], "lapsed");
    assert_eq!(acc["balance_minutes"], 0);
}

async fn ledger_total(app: &TestApp) -> i64 {
    app.state
        .db(|c| Ok(neighbourly::db::ledger::total(c)?))
        .await
        .unwrap()
}

async fn account(app: &TestApp, who: &User, member: &str) -> Value {
    app.get(
        &format!("/api/v1/members/{member}/account"),
        Some(&who.token),
    )
    .await
    .expect(200)
}

async fn coordinators_record_memberships_credits_and_adjustments(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let other = app.member().await;
    let helper = app.applicant().await;
    let base = format!("/api/v1/members/{}", member.id);

    let today = chrono::Utc::now().date_naive();
    let m = app
        .post(
            &format!("{base}/memberships"),
            Some(&coord.token),
            json!({"starts_on": today.to_string(), "ends_on": (today + chrono::Duration::days(365)).to_string(), "fee_pence": 1000}),
        )
        .await
        .expect(201);
    assert_eq!(m["status"], "active");
    let credit = app
        .post(
            &format!("{base}/account/credits"),
            Some(&coord.token),
            json!({"tokens": 3, "amount_pence": 3000, "paid_by": "Her daughter, Jo"}),
        )
        .await
        .expect(201);
    assert_eq!(credit["minutes"], 180);
    assert_eq!(credit["kind"], "credit");
    app.post(
        &format!("{base}/account/adjustments"),
        Some(&coord.token),
        json!({"minutes": -30, "reason": "Visit cut short, \"half hour\" refunded wrongly"}),
    )
    .await
    .expect(201);

    let acc = account(&app, &member, &member.id).await;
    assert_eq!(acc["balance_minutes"], 150);
    assert_eq!(acc["held_minutes"], 0);
    assert_eq!(acc["available_minutes"], 150);
    assert_eq!(acc["tokens"], 2.5);
    assert_eq!(acc["membership"]["fee_pence"], 1000);
    let minutes: Vec<i64> = acc["movements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["minutes"].as_i64().unwrap())
        .collect();
    assert_eq!(minutes, [180, -30]);
    assert_eq!(ledger_total(&app).await, 0);

    let csv = app
        .client
        .get(format!("{}{base}/account", app.address))
        .bearer_auth(&coord.token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    // In words, as a spreadsheet reads it: hours, pounds, what each line was.
    let rows = crate::harness::read_csv(&text);
    assert_eq!(
        rows[0],
        [
            "Date",
            "What",
            "Hours",
            "Balance (hours)",
            "Visit",
            "Paid (£)",
            "Paid by",
            "Note"
        ]
    );
    assert_eq!(
        rows[1][1..],
        [
            "Tokens bought",
            "3",
            "3",
            "",
            "30.00",
            "Her daughter, Jo",
            ""
        ]
    );
    assert_eq!(
        rows[2][1..],
        [
            "Correction",
            "-0.50",
            "2.50",
            "",
            "",
            "",
            "Visit cut short, \"half hour\" refunded wrongly"
        ]
    );

    // Who may see and change it.
    app.get(&format!("{base}/account"), Some(&other.token))
        .await
        .expect(404);
    app.get(&format!("{base}/account"), Some(&helper.token))
        .await
        .expect(404);
    app.get("/api/v1/members/nobody/account", Some(&coord.token))
        .await
        .expect(404);
    for (path, body) in [
        (
            "account/credits",
            json!({"tokens": 1, "amount_pence": 1000}),
        ),
        ("account/adjustments", json!({"minutes": 60, "reason": "x"})),
        (
            "memberships",
            json!({"starts_on": "2026-12-01", "ends_on": "2027-11-30", "fee_pence": 0}),
        ),
    ] {
        let r = app
            .post(&format!("{base}/{path}"), Some(&member.token), body)
            .await;
        assert_eq!(r.status, 403, "{path}");
    }
    let cases = [
        (
            "account/credits",
            json!({"tokens": 0, "amount_pence": 0}),
            "tokens",
        ),
        (
            "account/credits",
            json!({"tokens": 1, "amount_pence": -5}),
            "amount_pence",
        ),
        (
            "account/adjustments",
            json!({"minutes": 0, "reason": "x"}),
            "minutes",
        ),
        (
            "account/adjustments",
            json!({"minutes": 15, "reason": " "}),
            "reason",
        ),
        (
            "memberships",
            json!({"starts_on": "2027-01-01", "ends_on": "2026-01-01", "fee_pence": 1000}),
            "ends_on",
        ),
    ];
    for (path, body, field) in cases {
        let r = app
            .post(&format!("{base}/{path}"), Some(&coord.token), body.clone())
            .await;
        assert_eq!(r.status, 422, "{path} {body}: {}", r.body);
        assert_eq!(r.fields(), [field]);
    }
}

async fn the_ledger_and_memberships_refuse_to_be_changed(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let base = format!("/api/v1/members/{}", member.id);
    app.post(
        &format!("{base}/account/credits"),
        Some(&coord.token),
        json!({"tokens": 1, "amount_pence": 1000}),
    )
    .await
    .expect(201);
    app.post(
        &format!("{base}/memberships"),
        Some(&coord.token),
        json!({"starts_on": "2026-12-01", "ends_on": "2027-11-30", "fee_pence": 1000}),
    )
    .await
    .expect(201);
    for sql in [
        "UPDATE ledger_entries SET minutes = 6000",
        "DELETE FROM ledger_entries",
        "UPDATE ledger_movements SET note = 'changed'",
        "DELETE FROM ledger_movements",
        "UPDATE memberships SET fee_pence = 0",
        "DELETE FROM memberships",
    ] {
        let result = app
            .state
            .db(move |c| {
                use diesel::RunQueryDsl;
                Ok(diesel::sql_query(sql).execute(c))
            })
            .await
            .unwrap();
        let err = result.expect_err(sql).to_string();
        assert!(err.contains("never"), "{sql}: {err}");
    }
    assert_eq!(
        account(&app, &coord, &member.id).await["balance_minutes"],
        60
    );
}

async fn random_movements_keep_every_balance_true(app: TestApp) {
    let coord = app.coordinator().await;
    let mut members = Vec::new();
    for _ in 0..3 {
        members.push(app.member().await);
    }
    let mut expected = vec![0i64; members.len()];
    let mut rng = rand::rng();
    for _ in 0..30 {
        let i = rng.random_range(0..members.len());
        let base = format!("/api/v1/members/{}", members[i].id);
        if rng.random_bool(0.5) {
            let tokens = rng.random_range(1..=5);
            app.post(
                &format!("{base}/account/credits"),
                Some(&coord.token),
                json!({"tokens": tokens, "amount_pence": tokens * 1000}),
            )
            .await
            .expect(201);
            expected[i] += tokens * 60;
        } else {
            let minutes = rng.random_range(-120..=120);
            let minutes = if minutes == 0 { 15 } else { minutes };
            app.post(
                &format!("{base}/account/adjustments"),
                Some(&coord.token),
                json!({"minutes": minutes, "reason": "correction"}),
            )
            .await
            .expect(201);
            expected[i] += minutes;
        }
        assert_eq!(
            ledger_total(&app).await,
            0,
            "the ledger sums to zero after every step"
        );
        for (j, m) in members.iter().enumerate() {
            let acc = account(&app, &coord, &m.id).await;
            let sum: i64 = acc["movements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["minutes"].as_i64().unwrap())
                .sum();
            assert_eq!(acc["balance_minutes"], expected[j]);
            assert_eq!(sum, expected[j], "the balance is the sum of its movements");
        }
    }
}

/// What the model expects of one member's account.
#[derive(Default, Clone)]
struct Expected {
    balance: i64,
    /// Requests not yet done, with the minutes each holds.
    holds: Vec<(String, i64)>,
    /// A coordinator overdrew the account (asked beyond it, or adjusted it below zero).
    overridden: bool,
}

impl Expected {
    fn held(&self) -> i64 {
        self.holds.iter().map(|(_, m)| m).sum()
    }

    fn available(&self) -> i64 {
        self.balance - self.held()
    }
}

/// With tokens required: random credits, asks (a member's, refused when short; a coordinator's
/// with a reason when short), completions, cancellations and adjustments. After every step the
/// ledger sums to zero, each balance is the sum of its movements and what the model expects, the
/// holds are the requests not yet done, and nobody is below zero without a recorded override.
async fn random_credits_holds_completions_and_cancellations(app: TestApp) {
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let mut members = Vec::new();
    for _ in 0..3 {
        members.push(app.member().await);
    }
    let mut model = vec![Expected::default(); members.len()];
    let mut rng = rand::rng();
    for step in 0..45 {
        let i = rng.random_range(0..members.len());
        let m = &members[i];
        let base = format!("/api/v1/members/{}", m.id);
        match rng.random_range(0..6) {
            0 => {
                let tokens = rng.random_range(1..=3);
                app.post(
                    &format!("{base}/account/credits"),
                    Some(&coord.token),
                    json!({"tokens": tokens, "amount_pence": tokens * 1000}),
                )
                .await
                .expect(201);
                model[i].balance += tokens * 60;
            }
            1 => {
                let minutes = [-45, -15, 15, 30][rng.random_range(0..4)];
                app.post(
                    &format!("{base}/account/adjustments"),
                    Some(&coord.token),
                    json!({"minutes": minutes, "reason": "correction"}),
                )
                .await
                .expect(201);
                model[i].balance += minutes;
                if model[i].available() < 0 {
                    model[i].overridden = true;
                }
            }
            2 | 3 => {
                let minutes = [30, 60, 90][rng.random_range(0..3)];
                let mut body = TestApp::request_body("gardening");
                body["duration_minutes"] = json!(minutes);
                let fits = model[i].available() >= minutes;
                let r = app
                    .post("/api/v1/requests", Some(&m.token), body.clone())
                    .await;
                if fits {
                    let id = r.expect(201)["id"].as_str().unwrap().to_string();
                    model[i].holds.push((id, minutes));
                } else {
                    assert_eq!(r.status, 409, "step {step}: a short account is refused");
                    if rng.random_bool(0.5) {
                        body["member_id"] = json!(m.id);
                        body["allow_negative"] = json!(true);
                        body["reason"] = json!("Hospital discharge, tokens to follow");
                        let r = app.post("/api/v1/requests", Some(&coord.token), body).await;
                        let id = r.expect(201)["id"].as_str().unwrap().to_string();
                        model[i].holds.push((id, minutes));
                        model[i].overridden = true;
                    }
                }
            }
            4 if !model[i].holds.is_empty() => {
                let k = rng.random_range(0..model[i].holds.len());
                let (id, _) = model[i].holds.remove(k);
                app.post(
                    &format!("/api/v1/requests/{id}/assign"),
                    Some(&coord.token),
                    json!({"helper_id": helper.id, "force": true, "reason": "test of the ledger"}),
                )
                .await
                .expect(200);
                let spent: i64 = rng.random_range(1..=130);
                crate::visits::at_the_visit(
                    &app,
                    &id,
                    &coord.token,
                    "complete",
                    json!({"minutes_spent": spent}),
                )
                .await
                .expect(200);
                model[i].balance -= (spent + 14) / 15 * 15;
                // A visit that ran over may overdraw; the service records it.
                if model[i].available() < 0 {
                    model[i].overridden = true;
                }
            }
            5 if !model[i].holds.is_empty() => {
                let k = rng.random_range(0..model[i].holds.len());
                let (id, _) = model[i].holds.remove(k);
                app.post(
                    &format!("/api/v1/requests/{id}/cancel"),
                    Some(&m.token),
                    json!({"reason": "No longer needed"}),
                )
                .await
                .expect(200);
            }
            _ => continue,
        }
        assert_eq!(
            ledger_total(&app).await,
            0,
            "step {step}: the ledger sums to zero"
        );
        for (j, who) in members.iter().enumerate() {
            let acc = account(&app, &coord, &who.id).await;
            let sum: i64 = acc["movements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["minutes"].as_i64().unwrap())
                .sum();
            let want = &model[j];
            assert_eq!(
                acc["balance_minutes"], sum,
                "step {step}: balance is its entries"
            );
            assert_eq!(acc["balance_minutes"], want.balance, "step {step}");
            assert_eq!(acc["held_minutes"], want.held(), "step {step}");
            let available = acc["available_minutes"].as_i64().unwrap();
            assert!(
                available >= 0 || want.overridden,
                "step {step}: member {j} is at {available} without an override"
            );
            if available < 0 {
                let log = app
                    .get(
                        &format!("/api/v1/audit?subject_id={}&limit=200", who.id),
                        Some(&coord.token),
                    )
                    .await
                    .expect(200);
                let recorded = log["items"].as_array().unwrap().iter().any(|e| {
                    e["detail"]
                        .as_str()
                        .is_some_and(|d| d.starts_with("overdrawn"))
                        || (e["action"] == "ledger.movement"
                            && e["detail"]
                                .as_str()
                                .is_some_and(|d| d.starts_with("adjustment -")))
                });
                assert!(
                    recorded,
                    "step {step}: member {j}'s overdraft is recorded: {log}"
                );
            }
        }
    }
}

#[tokio::test]
async fn random_credits_holds_completions_and_cancellations_on_sqlite() {
    random_credits_holds_completions_and_cancellations(tokens_app(Backend::Sqlite).await.unwrap())
        .await;
}

#[tokio::test]
async fn random_credits_holds_completions_and_cancellations_on_postgres() {
    if let Some(app) = tokens_app(Backend::Postgres).await {
        random_credits_holds_completions_and_cancellations(app).await;
    }
}

#[tokio::test]
async fn a_done_visit_is_debited_when_tokens_are_required() {
    let mut settings = test_settings();
    settings.membership.tokens_required = true;
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let base = format!("/api/v1/members/{}", member.id);
    app.post(
        &format!("{base}/account/credits"),
        Some(&coord.token),
        json!({"tokens": 2, "amount_pence": 2000}),
    )
    .await
    .expect(201);
    let request = app.request(&member).await;
    let id = request["id"].as_str().unwrap();
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    let offer = inbox["items"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&helper.token),
        json!({}),
    )
    .await
    .expect(200);
    let held = account(&app, &member, &member.id).await;
    assert_eq!(held["held_minutes"], 60);
    assert_eq!(held["available_minutes"], 60);
    assert_eq!(held["holds"][0]["request_id"], id);

    crate::visits::at_the_visit(
        &app,
        id,
        &helper.token,
        "complete",
        json!({"minutes_spent": 50}),
    )
    .await
    .expect(200);
    let done = account(&app, &member, &member.id).await;
    assert_eq!(done["held_minutes"], 0, "the debit replaces the hold");
    assert_eq!(
        done["balance_minutes"], 60,
        "50 minutes are charged as an hour (quarter hours, rounded up)"
    );
    assert_eq!(done["movements"][1]["kind"], "debit");
    assert_eq!(done["movements"][1]["minutes"], -60);
    assert_eq!(done["movements"][1]["request_id"], id);
    assert_eq!(ledger_total(&app).await, 0);
}

#[tokio::test]
async fn occurrences_the_member_cannot_cover_stay_unmade_on_sqlite() {
    let app = tokens_app(Backend::Sqlite).await.unwrap();
    occurrences_the_member_cannot_cover_stay_unmade(app).await;
}

#[tokio::test]
async fn occurrences_the_member_cannot_cover_stay_unmade_on_postgres() {
    if let Some(app) = tokens_app(Backend::Postgres).await {
        occurrences_the_member_cannot_cover_stay_unmade(app).await;
    }
}

async fn mails_of_kind(
    app: &TestApp,
    to: &str,
    kind: &str,
) -> Vec<neighbourly::db::outbox::OutboxRow> {
    let to = to.to_string();
    let mails = app
        .state
        .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
        .await
        .unwrap();
    mails.into_iter().filter(|m| m.kind == kind).collect()
}

/// With tokens required, a standing request's occurrences are held against the member's time like
/// any request: those it cannot cover stay unmade, the member and coordinators are told once, and
/// the next sweep after tokens are added makes them.
async fn occurrences_the_member_cannot_cover_stay_unmade(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let credits = format!("/api/v1/members/{}/account/credits", member.id);
    app.post(
        &credits,
        Some(&coord.token),
        json!({"tokens": 1, "amount_pence": 1000}),
    )
    .await
    .expect(201);
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let created = app
        .post("/api/v1/series", Some(&member.token), {
            let mut body = crate::series::weekly_from_tomorrow();
            body["category"] = json!("it_help");
            body
        })
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        created["upcoming"].as_array().unwrap().len(),
        1,
        "one hour in the account covers one weekly visit of an hour: {created}"
    );
    let acc = account(&app, &member, &member.id).await;
    assert_eq!(acc["available_minutes"], 0, "the occurrence is held: {acc}");

    let told = mails_of_kind(&app, &member.email, "occurrences_unmade").await;
    assert_eq!(told.len(), 1, "the member is told once");
    let body = &told[0].text_body;
    assert!(body.contains("help with a computer or phone"), "{body}");
    assert!(body.contains("each visit needs 1 hour"), "{body}");
    assert!(body.contains("you have no time"), "{body}");
    let second_day = (tomorrow + chrono::Duration::days(7))
        .format("%A %-d %B")
        .to_string();
    assert!(body.contains(&second_day), "{body}");
    assert!(!body.contains(&id), "no ids in a member's email: {body}");
    let coordinators = mails_of_kind(&app, &coord.email, "occurrences_unmade_coordinator").await;
    assert_eq!(coordinators.len(), 1);
    assert!(coordinators[0]
        .text_body
        .contains(&format!("/console/#/account/{}", member.id)));

    // The hourly sweep again: nothing more is made, nobody is told twice.
    let now = chrono::Utc::now().naive_utc();
    let again = app
        .state
        .run(move |svc| neighbourly::service::series::make_occurrences(svc, now))
        .await
        .unwrap();
    assert_eq!(again.made, 0);
    assert_eq!(
        mails_of_kind(&app, &member.email, "occurrences_unmade")
            .await
            .len(),
        1
    );
    assert_eq!(
        mails_of_kind(&app, &coord.email, "occurrences_unmade_coordinator")
            .await
            .len(),
        1
    );
    // A one-off ask is refused as before: the occurrence holds the hour.
    app.post(
        "/api/v1/requests",
        Some(&member.token),
        TestApp::request_body("gardening"),
    )
    .await
    .expect(409);

    app.post(
        &credits,
        Some(&coord.token),
        json!({"tokens": 10, "amount_pence": 10000}),
    )
    .await
    .expect(201);
    let topped = app
        .state
        .run(move |svc| neighbourly::service::series::make_occurrences(svc, now))
        .await
        .unwrap();
    assert!(
        topped.made >= 3,
        "the unmade occurrences are made: {topped:?}"
    );
    let read = app
        .get(&format!("/api/v1/series/{id}"), Some(&member.token))
        .await
        .expect(200);
    let acc = account(&app, &member, &member.id).await;
    assert_eq!(
        acc["held_minutes"].as_i64().unwrap(),
        60 * read["upcoming"].as_array().unwrap().len() as i64,
        "every occurrence is held: {acc}"
    );
    assert_eq!(
        mails_of_kind(&app, &member.email, "occurrences_unmade")
            .await
            .len(),
        1
    );
    assert_eq!(ledger_total(&app).await, 0);
}

async fn tokens_app(backend: Backend) -> Option<TestApp> {
    let mut settings = test_settings();
    settings.membership.tokens_required = true;
    TestApp::spawn_with(backend, settings).await
}

/// A member with time for one visit asks twenty times at once: exactly one ask goes through; a
/// coordinator may overdraw with a reason.
async fn twenty_asks_with_time_for_one(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    app.post(
        &format!("/api/v1/members/{}/account/credits", member.id),
        Some(&coord.token),
        json!({"tokens": 1, "amount_pence": 1000}),
    )
    .await
    .expect(201);
    let answers = futures_util::future::join_all((0..20).map(|_| {
        app.post(
            "/api/v1/requests",
            Some(&member.token),
            TestApp::request_body("gardening"),
        )
    }))
    .await;
    let made = answers.iter().filter(|r| r.status == 201).count();
    let refused: Vec<_> = answers.iter().filter(|r| r.status == 409).collect();
    assert_eq!(made, 1, "exactly one ask fits");
    assert_eq!(refused.len(), 19);
    assert!(refused[0].body["detail"]
        .as_str()
        .unwrap()
        .contains("0 minutes available, 60 needed"));
    let acc = account(&app, &member, &member.id).await;
    assert_eq!(acc["held_minutes"], 60);
    assert_eq!(acc["available_minutes"], 0);

    // A member cannot overdraw; a coordinator can, with a reason.
    let mut body = TestApp::request_body("gardening");
    body["allow_negative"] = json!(true);
    body["reason"] = json!("Hospital discharge, tokens to follow");
    app.post("/api/v1/requests", Some(&member.token), body.clone())
        .await
        .expect(403);
    body["member_id"] = json!(member.id);
    app.post("/api/v1/requests", Some(&coord.token), body.clone())
        .await
        .expect(201);
    body["reason"] = serde_json::Value::Null;
    let r = app.post("/api/v1/requests", Some(&coord.token), body).await;
    assert_eq!(r.fields(), ["reason"]);
    assert_eq!(
        account(&app, &coord, &member.id).await["available_minutes"],
        -60
    );
}

#[tokio::test]
async fn twenty_asks_with_time_for_one_make_one_on_sqlite() {
    twenty_asks_with_time_for_one(tokens_app(Backend::Sqlite).await.unwrap()).await;
}

#[tokio::test]
async fn twenty_asks_with_time_for_one_make_one_on_postgres() {
    if let Some(app) = tokens_app(Backend::Postgres).await {
        twenty_asks_with_time_for_one(app).await;
    }
}
