//! Visits: confirm, check in and out, withdraw (late or not), no-shows, and the sweep that asks
//! for confirmation, alerts coordinators and passes unconfirmed visits on, by moving the clock.

use crate::harness::RawDb;
use chrono::{Duration, NaiveDateTime};
use serde_json::{json, Value};

use crate::harness::{item_where, TestApp, User};
use crate::on_both_backends;
use neighbourly::domain::{Caller, RequestId, Role, UserId};
use neighbourly::service::visits;

on_both_backends!(
    the_helper_confirms_checks_in_and_checks_out,
    a_withdrawal_passes_the_visit_on_and_late_ones_are_marked,
    a_no_show_passes_the_visit_on_or_expires_it,
    the_sweep_asks_then_alerts_then_passes_on_once,
    a_coordinator_confirms_for_a_helper_who_rang,
    a_coordinator_withdraws_for_a_helper_who_rang,
    a_suspended_helper_takes_no_step_of_their_visit,
);

/// A helper suspended after saying yes: the visit stays theirs until it is passed on, but they
/// can no longer confirm, arrive or mark it done (the refusal is what `actions` said); they may
/// still say they cannot come, and it goes to others.
async fn a_suspended_helper_takes_no_step_of_their_visit(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (id, _) = assigned(&app, &member, &helper, 2).await;
    app.suspend(&coord, &helper).await;
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&helper.token))
        .await
        .expect(200);
    let confirm = crate::harness::action(&seen, "confirm");
    assert_eq!(confirm["allowed"], false, "{seen}");
    let r = app
        .post(
            &format!("/api/v1/requests/{id}/confirm"),
            Some(&helper.token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["detail"], confirm["reason"]);
    assert_eq!(
        r.body["detail"],
        "A coordinator has paused your visits. Please ring your coordinator."
    );
    app.post(
        &format!("/api/v1/requests/{id}/withdraw"),
        Some(&helper.token),
        json!({"reason": "I have been told to wait"}),
    )
    .await
    .expect(200);
}

/// A helper rang to say they cannot come: the coordinator withdraws for them; the visit goes to
/// others (not back to them), and the story names the helper and who took the call. A member
/// may not, and a request with no visit cannot be withdrawn from.
async fn a_coordinator_withdraws_for_a_helper_who_rang(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let other = app.helper(&coord).await;
    let (id, _) = assigned(&app, &member, &helper, 3).await;
    let path = format!("/api/v1/requests/{id}/withdraw");
    app.post(&path, Some(&member.token), json!({"reason": "ill"}))
        .await
        .expect(403);
    let after = app
        .post(
            &path,
            Some(&coord.token),
            json!({"reason": "Her car broke down"}),
        )
        .await
        .expect(200);
    assert_eq!(after["status"], "offered", "{after}");
    assert_eq!(after["late"], false);
    assert!(offered_to(&app, &other, &id).await);
    assert!(
        !offered_to(&app, &helper, &id).await,
        "not back to who cannot come"
    );
    let story = app
        .get(
            &format!("/api/v1/requests/{id}/timeline"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let step = item_where(&story, "event", "withdrew");
    assert_eq!(step["who_name"], "Hal Helper", "{step}");
    assert_eq!(step["who_id"], helper.id.as_str(), "{step}");
    assert_eq!(step["detail"], "they rang Cora Coordinator", "{step}");
    // The audit line is the coordinator's, on the helper's behalf; the helper's own export
    // lists it.
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let line = item_where(&log, "action", "visit.withdrawn");
    assert_eq!(line["actor_id"], coord.id.as_str(), "{line}");
    assert_eq!(line["on_behalf_of"], helper.id.as_str(), "{line}");
    assert_eq!(line["detail"], "withdrew", "{line}");
    let export = app
        .get(
            &format!("/api/v1/users/{}/export", helper.id),
            Some(&helper.token),
        )
        .await
        .expect(200);
    let theirs = export["records"]["audit_on_their_behalf"]
        .as_array()
        .unwrap();
    assert!(
        theirs.iter().any(|l| l["subject_id"] == id.as_str()),
        "{export}"
    );
    app.post(&path, Some(&coord.token), json!({"reason": "again"}))
        .await
        .expect(409);
}

/// A helper rang to say they are coming: the coordinator confirms for them; the timeline and the
/// audit log say who did, and a request with no visit cannot be confirmed.
async fn a_coordinator_confirms_for_a_helper_who_rang(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (id, _) = assigned(&app, &member, &helper, 3).await;
    let confirmed = app
        .post(
            &format!("/api/v1/requests/{id}/confirm"),
            Some(&coord.token),
            json!({}),
        )
        .await
        .expect(200);
    assert!(confirmed["confirmed_at"].is_string(), "{confirmed}");
    // The helper sees it confirmed too.
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&helper.token))
        .await
        .expect(200);
    assert_eq!(seen["confirmed_at"], confirmed["confirmed_at"]);
    let story = app
        .get(
            &format!("/api/v1/requests/{id}/timeline"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let step = story["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "confirmed")
        .expect("the confirmation is in the story");
    assert_eq!(step["who_name"], "Cora Coordinator");
    assert!(
        step["detail"].as_str().unwrap_or("").contains("Hal Helper"),
        "{step}"
    );
    let audit = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "visit.confirmed" && e["actor_id"] == coord.id.as_str()));
    // An open request has no visit to confirm.
    let open = app.request(&member).await;
    let r = app
        .post(
            &format!("/api/v1/requests/{}/confirm", open["id"].as_str().unwrap()),
            Some(&coord.token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
}

/// A request `days` ahead, offered to the helpers nearby, accepted by `helper`.
/// Take the action `step` on request `id` as the holder of `token` at the visit's planned start
/// (the server's clock moved there for the step, and back after): nothing is done before it
/// happens.
pub(crate) async fn at_the_visit(
    app: &TestApp,
    id: &str,
    token: &str,
    step: &str,
    body: Value,
) -> crate::harness::Resp {
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(token))
        .await
        .expect(200);
    let start = seen["planned_start"]
        .as_str()
        .or(seen["window"]["start"].as_str())
        .unwrap();
    let start = chrono::DateTime::parse_from_rfc3339(start)
        .unwrap()
        .naive_utc();
    let ahead = (start - app.clock.now()).max(Duration::zero()) + Duration::minutes(1);
    app.travel(ahead);
    let r = app
        .post(&format!("/api/v1/requests/{id}/{step}"), Some(token), body)
        .await;
    app.travel(-ahead);
    r
}

/// Move request `id`'s four-hour window to have ended `hours` ago (as if time had passed).
pub(crate) async fn window_ended_hours_ago(app: &TestApp, id: &str, hours: i64) {
    let id = id.to_string();
    app.state
        .db(move |c| {
            use diesel::prelude::*;
            use neighbourly::db::schema::help_requests as hr;
            let ended = neighbourly::db::now() - Duration::hours(hours);
            diesel::update(hr::table.find(&id))
                .set((
                    hr::window_start.eq(ended - Duration::hours(4)),
                    hr::window_end.eq(ended),
                ))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

pub(crate) async fn assigned(
    app: &TestApp,
    member: &User,
    helper: &User,
    days: i64,
) -> (String, NaiveDateTime) {
    let mut body = TestApp::request_body("gardening");
    let start = chrono::Utc::now() + Duration::days(days);
    body["window"] =
        json!({"start": start.to_rfc3339(), "end": (start + Duration::hours(4)).to_rfc3339()});
    let r = app
        .post("/api/v1/requests", Some(&member.token), body)
        .await
        .expect(201);
    let id = r["id"].as_str().unwrap().to_string();
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    let offer = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["request_id"] == id.as_str())
        .expect("the helper was offered it")["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&helper.token),
        json!({}),
    )
    .await
    .expect(200);
    let rid = id.clone();
    let start = app
        .state
        .db(move |c| {
            Ok(neighbourly::db::requests::get(c, &rid)?
                .unwrap()
                .scheduled_start
                .unwrap())
        })
        .await
        .unwrap();
    (id, start)
}

fn caller(user: &User, role: Role) -> Caller {
    Caller {
        id: UserId::from_string(user.id.clone()),
        role,
        on_behalf: None,
    }
}

async fn offered_to(app: &TestApp, helper: &User, request: &str) -> bool {
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["request_id"] == request)
}

async fn emails(app: &TestApp, to: &str, kind: &str) -> usize {
    let (to, kind) = (to.to_string(), kind.to_string());
    app.state
        .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
        .await
        .unwrap()
        .iter()
        .filter(|m| m.kind == kind.as_str())
        .count()
}

async fn the_helper_confirms_checks_in_and_checks_out(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let other = app.helper(&coord).await;
    let (id, _) = assigned(&app, &member, &helper, 3).await;
    let path = |step: &str| format!("/api/v1/requests/{id}/{step}");

    app.post(&path("confirm"), Some(&member.token), json!({}))
        .await
        .expect(403);
    app.post(&path("confirm"), Some(&other.token), json!({}))
        .await
        .expect(404);
    let confirmed = app
        .post(&path("confirm"), Some(&helper.token), json!({}))
        .await
        .expect(200);
    assert!(confirmed["confirmed_at"].is_string());
    // Once: the request's actions say so, and confirming again is refused with their words.
    let confirm = confirmed["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "confirm")
        .unwrap()
        .clone();
    assert_eq!(confirm["allowed"], false);
    let again = app
        .post(&path("confirm"), Some(&helper.token), json!({}))
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.body["detail"], confirm["reason"]);
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&helper.token))
        .await
        .expect(200);
    assert_eq!(
        seen["confirmed_at"], confirmed["confirmed_at"],
        "the first confirmation stays"
    );

    app.post(&path("check-out"), Some(&helper.token), json!({}))
        .await
        .expect(409);
    // Arriving opens an hour before the helper's planned start, three days on.
    let early = app
        .post(&path("check-in"), Some(&helper.token), json!({}))
        .await;
    assert_eq!(early.status, 409);
    assert!(
        early.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("You can say you have arrived from "),
        "{}",
        early.body
    );
    app.travel(Duration::days(3) + Duration::minutes(1));
    let now = app.clock.now().and_utc();
    let future = (now + Duration::hours(1)).to_rfc3339();
    let r = app
        .post(
            &path("check-in"),
            Some(&helper.token),
            json!({"at": future}),
        )
        .await;
    assert_eq!(r.fields(), ["at"]);
    let arrived = (now - Duration::minutes(50)).to_rfc3339();
    let inside = app
        .post(
            &path("check-in"),
            Some(&helper.token),
            json!({"at": arrived}),
        )
        .await
        .expect(200);
    assert!(inside["checked_in_at"].is_string());
    app.post(&path("check-in"), Some(&helper.token), json!({}))
        .await
        .expect(409);
    let before = (now - Duration::hours(2)).to_rfc3339();
    let r = app
        .post(
            &path("check-out"),
            Some(&helper.token),
            json!({"at": before}),
        )
        .await;
    assert_eq!(r.fields(), ["at"]);
    let r = app
        .call(
            reqwest::Method::POST,
            &path("check-out"),
            Some(&helper.token),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["checked_out_at"].is_string());
    app.post(&path("check-out"), Some(&helper.token), json!({}))
        .await
        .expect(409);

    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(seen["confirmed_at"], confirmed["confirmed_at"]);
    assert!(seen["checked_out_at"].is_string());
    let listed = app
        .get("/api/v1/requests", Some(&helper.token))
        .await
        .expect(200);
    assert_eq!(listed["items"][0]["checked_in_at"], seen["checked_in_at"]);

    // Done, with the minutes taken from the check-in and check-out.
    let done = app
        .call(
            reqwest::Method::POST,
            &path("complete"),
            Some(&helper.token),
            None,
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let minutes = done.body["minutes_spent"].as_i64().unwrap();
    assert!((50..=51).contains(&minutes), "{minutes}");
}

async fn a_withdrawal_passes_the_visit_on_and_late_ones_are_marked(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let first = app.helper(&coord).await;
    let second = app.helper(&coord).await;
    let (id, start) = assigned(&app, &member, &first, 3).await;
    let path = format!("/api/v1/requests/{id}/withdraw");
    let r = app.post(&path, Some(&first.token), json!({})).await;
    assert_eq!(r.status, 422);
    app.post(&path, Some(&member.token), json!({"reason": "x"}))
        .await
        .expect(403);

    let back = app
        .post(
            &path,
            Some(&first.token),
            json!({"reason": "My car broke down"}),
        )
        .await
        .expect(200);
    assert_eq!(back["late"], false);
    assert_eq!(back["status"], "offered");
    // The member is told, and told others are being asked.
    assert_eq!(emails(&app, &member.email, "helper_cannot_come").await, 1);
    assert_eq!(emails(&app, &member.email, "helper_coming").await, 1);
    assert!(back["helper"].is_null());
    assert!(offered_to(&app, &second, &id).await);
    assert!(
        !offered_to(&app, &first, &id).await,
        "not offered again to who withdrew"
    );
    app.post(&path, Some(&first.token), json!({"reason": "again"}))
        .await
        .expect(404);

    // The second helper takes it, then withdraws two hours before the start: late.
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&second.token))
        .await
        .expect(200);
    let offer = inbox["items"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&second.token),
        json!({}),
    )
    .await
    .expect(200);
    // Someone else said yes: the member hears it again.
    assert_eq!(emails(&app, &member.email, "helper_coming").await, 2);
    let who = caller(&second, Role::Helper);
    let rid = RequestId::from_string(id.clone());
    let late = app
        .state
        .run(move |svc| visits::withdraw(svc, &who, &rid, "Unwell", start - Duration::hours(2)))
        .await
        .unwrap();
    assert_eq!(late.late, Some(true));
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let details: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "visit.withdrawn")
        .map(|e| &e["detail"])
        .collect();
    assert_eq!(details, [&json!("withdrew_late"), &json!("withdrew")]);
}

async fn a_no_show_passes_the_visit_on_or_expires_it(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let first = app.helper(&coord).await;
    let second = app.helper(&coord).await;
    let (id, start) = assigned(&app, &member, &first, 3).await;
    let path = format!("/api/v1/requests/{id}/no-show");
    // Before the visit starts: too soon.
    app.post(&path, Some(&member.token), json!({}))
        .await
        .expect(409);
    app.post(&path, Some(&first.token), json!({}))
        .await
        .expect(403);

    let who = caller(&member, Role::Member);
    let rid = RequestId::from_string(id.clone());
    let after_start = start + Duration::minutes(30);
    let view = app
        .state
        .run(move |svc| visits::no_show(svc, &who, &rid, Some("Nobody came"), after_start))
        .await
        .unwrap();
    assert_eq!(view.status.as_str(), "offered", "the window still has room");
    assert!(offered_to(&app, &second, &id).await);
    assert!(
        !offered_to(&app, &first, &id).await,
        "not offered again to who did not come"
    );

    // The second helper takes it and does not come either; now the window is gone: expired.
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&second.token))
        .await
        .expect(200);
    let offer = inbox["items"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&second.token),
        json!({}),
    )
    .await
    .expect(200);
    let who = caller(&coord, Role::Coordinator);
    let rid = RequestId::from_string(id.clone());
    let late = start + Duration::hours(3) + Duration::minutes(30);
    let view = app
        .state
        .run(move |svc| visits::no_show(svc, &who, &rid, None, late))
        .await
        .unwrap();
    assert_eq!(view.status.as_str(), "expired");
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let no_shows: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "visit.no_show")
        .map(|e| &e["detail"])
        .collect();
    assert_eq!(no_shows, [&json!(second.id), &json!(first.id)]);
}

async fn the_sweep_asks_then_alerts_then_passes_on_once(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let first = app.helper(&coord).await;
    let second = app.helper(&coord).await;
    let (id, start) = assigned(&app, &member, &first, 3).await;
    let (kept, _) = assigned(&app, &member, &second, 3).await;
    app.post(
        &format!("/api/v1/requests/{kept}/confirm"),
        Some(&second.token),
        json!({}),
    )
    .await
    .expect(200);

    let sweep = |at: NaiveDateTime| {
        let app = &app;
        async move {
            app.state
                .run(move |svc| visits::sweep(svc, at))
                .await
                .unwrap()
        }
    };
    let total = |runs: Vec<visits::VisitSweep>| {
        runs.into_iter().fold((0, 0, 0), |t, s| {
            (t.0 + s.asked, t.1 + s.alerted, t.2 + s.passed_on)
        })
    };
    assert_eq!(
        total(vec![sweep(start - Duration::hours(25)).await]),
        (0, 0, 0)
    );
    assert_eq!(emails(&app, &member.email, "visit_reminder").await, 0);
    // Two processes sweep at once: the helper is asked once.
    let at = start - Duration::hours(23);
    let both = futures_util::future::join(sweep(at), sweep(at)).await;
    assert_eq!(total(vec![both.0, both.1]), (1, 0, 0));
    assert_eq!(emails(&app, &first.email, "confirm_visit").await, 1);
    assert_eq!(
        emails(&app, &second.email, "confirm_visit").await,
        0,
        "confirmed already"
    );
    // The member is reminded the day before each visit, confirmed or not, once.
    assert_eq!(emails(&app, &member.email, "visit_reminder").await, 2);

    let at = start - Duration::hours(11);
    let both = futures_util::future::join(sweep(at), sweep(at)).await;
    assert_eq!(total(vec![both.0, both.1]), (0, 1, 0));
    assert_eq!(emails(&app, &coord.email, "visit_unconfirmed").await, 1);

    let at = start - Duration::hours(3);
    let both = futures_util::future::join(sweep(at), sweep(at)).await;
    assert_eq!(total(vec![both.0, both.1]), (0, 0, 1));
    assert_eq!(emails(&app, &first.email, "visit_taken_back").await, 1);
    assert_eq!(
        emails(&app, &member.email, "visit_reminder").await,
        2,
        "reminded once a visit, however many sweeps"
    );
    let now = app
        .get(&format!("/api/v1/requests/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert!(now["helper"].is_null(), "{now}");
    assert!(!offered_to(&app, &first, &id).await);
    let still = app
        .get(&format!("/api/v1/requests/{kept}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(
        still["status"], "assigned",
        "a confirmed visit is left alone"
    );
}
