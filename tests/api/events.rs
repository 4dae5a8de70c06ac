//! Social events: who may put one on and see the names, sign-ups that go or wait in order,
//! promotion when someone leaves, lifts as transport requests, reminders the day before and a
//! call list, attendance and the weekly report; twenty sign-ups at once for the last three places.

use crate::harness::RawDb;
use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{TestApp, User};
use crate::on_both_backends;

on_both_backends!(
    events_by_role_and_bad_input,
    sign_ups_wait_in_order_and_the_first_waiting_is_promoted,
    a_lift_is_a_transport_request_matched_as_usual,
    reminders_go_the_day_before_once_and_the_rest_are_rung,
    attendance_is_recorded_and_counted_in_the_weekly_report,
    twenty_sign_ups_for_the_last_three_places,
    renewals_due_are_reminded_once_or_listed_to_ring,
    deactivating_a_member_ends_their_commitments,
    a_cancelled_event_tells_everyone_and_takes_no_sign_ups,
    an_event_changed_tells_those_going_and_fills_new_places,
    a_lift_is_made_again_when_the_event_moves,
);

/// The event moves a day: the lift a driver had taken is cancelled (the driver told) and made
/// again for the new time, offered as usual; a change of title alone leaves it.
async fn a_lift_is_made_again_when_the_event_moves(app: TestApp) {
    let coord = app.coordinator().await;
    let driver = app.helper(&coord).await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/helpers/{}", driver.id),
        Some(&coord.token),
        Some(json!({"skills": ["transport"]})),
    )
    .await
    .expect(200);
    let member = app.member().await;
    let starts = Utc::now() + Duration::days(2);
    let id = event(&app, &coord, Duration::days(2), 5).await;
    let going = sign_up(&app, &member, &id, json!({"needs_lift": true}))
        .await
        .expect(201);
    let first = going["lift_request_id"].as_str().unwrap().to_string();
    let offer = app
        .get("/api/v1/offers?status=open", Some(&driver.token))
        .await
        .expect(200)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&driver.token),
        json!({}),
    )
    .await
    .expect(200);

    let path = format!("/api/v1/events/{id}");
    app.call(
        Method::PATCH,
        &path,
        Some(&coord.token),
        Some(json!({"title": "Winter coffee morning"})),
    )
    .await
    .expect(200);
    let same = app.get(&path, Some(&coord.token)).await.expect(200);
    assert_eq!(
        same["people"]["going"][0]["lift_request_id"],
        first.as_str()
    );

    let later = starts + Duration::days(1);
    app.call(
        Method::PATCH,
        &path,
        Some(&coord.token),
        Some(json!({"starts_at": later.to_rfc3339(), "ends_at": (later + Duration::hours(2)).to_rfc3339()})),
    )
    .await
    .expect(200);
    let old = app
        .get(&format!("/api/v1/requests/{first}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(old["status"], "cancelled");
    assert_eq!(
        emails(&app, &driver.email, "cancellation").await,
        1,
        "the driver is told"
    );
    let moved = app.get(&path, Some(&coord.token)).await.expect(200);
    let remade = moved["people"]["going"][0]["lift_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(remade, first);
    let lift = app
        .get(&format!("/api/v1/requests/{remade}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(lift["category"], "transport");
    assert_eq!(lift["status"], "offered", "offered as any request");
    let window_start: DateTime<Utc> = lift["window"]["start"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        window_start.timestamp(),
        (later - Duration::minutes(30)).timestamp(),
        "for the new time"
    );
}

async fn an_event_changed_tells_those_going_and_fills_new_places(app: TestApp) {
    let coord = app.coordinator().await;
    let (a, b) = (app.member().await, app.member().await);
    let id = event(&app, &coord, Duration::days(5), 1).await;
    sign_up(&app, &a, &id, json!({})).await.expect(201);
    assert_eq!(
        sign_up(&app, &b, &id, json!({})).await.expect(201)["status"],
        "waiting"
    );
    let path = format!("/api/v1/events/{id}");
    let patch = |token: String, body: Value| {
        let (app, path) = (&app, path.clone());
        async move {
            app.call(Method::PATCH, &path, Some(&token), Some(body))
                .await
        }
    };
    assert_eq!(
        patch(a.token.clone(), json!({"capacity": 5})).await.status,
        403
    );
    let r = patch(coord.token.clone(), json!({"capacity": 0})).await;
    assert_eq!(r.fields(), ["capacity"]);
    let later = Utc::now() + Duration::days(6);
    let r = patch(
        coord.token.clone(),
        json!({"ends_at": (later - Duration::days(2)).to_rfc3339()}),
    )
    .await;
    assert_eq!(r.fields(), ["ends_at"], "{}", r.body);
    // A new time and place: those going are told, those waiting are not.
    let moved = patch(
        coord.token.clone(),
        json!({
            "starts_at": later.to_rfc3339(),
            "ends_at": (later + Duration::hours(2)).to_rfc3339(),
            "place": "The library, Peckham Hill Street",
        }),
    )
    .await
    .expect(200);
    assert_eq!(moved["place"], "The library, Peckham Hill Street");
    let mails = |to: String| {
        let app = &app;
        async move {
            app.state
                .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
                .await
                .unwrap()
        }
    };
    let told = mails(a.email.clone()).await;
    assert_eq!(told.iter().filter(|m| m.kind == "event_changed").count(), 1);
    assert!(mails(b.email.clone())
        .await
        .iter()
        .all(|m| m.kind != "event_changed"));
    // More places: the one waiting goes, and is told. Fewer than going: refused.
    let bigger = patch(coord.token.clone(), json!({"capacity": 2}))
        .await
        .expect(200);
    assert_eq!(
        (bigger["going"].as_i64(), bigger["waiting"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(
        mails(b.email.clone())
            .await
            .iter()
            .filter(|m| m.kind == "event_place")
            .count(),
        1
    );
    let r = patch(coord.token.clone(), json!({"capacity": 1})).await;
    assert_eq!(r.status, 409, "{}", r.body);
    // A cancelled event cannot be changed.
    app.post(
        &format!("{path}/cancel"),
        Some(&coord.token),
        json!({"reason": "Storm"}),
    )
    .await
    .expect(200);
    assert_eq!(
        patch(coord.token.clone(), json!({"title": "Tea"}))
            .await
            .status,
        409
    );
}

async fn a_cancelled_event_tells_everyone_and_takes_no_sign_ups(app: TestApp) {
    let coord = app.coordinator().await;
    let (a, b, c) = (app.member().await, app.member().await, app.member().await);
    let id = event(&app, &coord, Duration::days(5), 1).await;
    let going = sign_up(&app, &a, &id, json!({"needs_lift": true}))
        .await
        .expect(201);
    let lift = going["lift_request_id"]
        .as_str()
        .expect("a lift")
        .to_string();
    assert_eq!(
        sign_up(&app, &b, &id, json!({})).await.expect(201)["status"],
        "waiting"
    );
    let path = format!("/api/v1/events/{id}/cancel");
    let reason = json!({"reason": "The hall's heating has broken"});
    app.post(&path, Some(&a.token), reason.clone())
        .await
        .expect(403);
    let r = app
        .post(&path, Some(&coord.token), json!({"reason": ""}))
        .await;
    assert_eq!(r.fields(), ["reason"]);
    let cancelled = app
        .post(&path, Some(&coord.token), reason.clone())
        .await
        .expect(200);
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "The hall's heating has broken");
    app.post(&path, Some(&coord.token), reason)
        .await
        .expect(409);
    // Everyone going or waiting is told; the lift is cancelled; nobody else may sign up.
    for who in [&a, &b] {
        let to = who.email.clone();
        let mails = app
            .state
            .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
            .await
            .unwrap();
        let told: Vec<_> = mails
            .iter()
            .filter(|m| m.kind == "event_cancelled")
            .collect();
        assert_eq!(told.len(), 1, "{}", who.email);
        assert!(told[0].text_body.contains("heating has broken"));
    }
    let l = app
        .get(&format!("/api/v1/requests/{lift}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(l["status"], "cancelled");
    let refused = sign_up(&app, &c, &id, json!({})).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let seen = app
        .get(&format!("/api/v1/events/{id}"), Some(&a.token))
        .await
        .expect(200);
    assert_eq!(seen["status"], "cancelled");
    assert!(seen["cancelled_at"].is_string(), "{seen}");
    // Its actions allow nothing but reading, and say why, in the words a refusal uses.
    for (who, token) in [("member", &c.token), ("coordinator", &coord.token)] {
        let seen = app
            .get(&format!("/api/v1/events/{id}"), Some(token))
            .await
            .expect(200);
        let actions = seen["actions"].as_array().unwrap();
        assert!(!actions.is_empty(), "{who}: {seen}");
        assert!(
            actions.iter().all(|a| a["allowed"] == false),
            "{who}: {seen}"
        );
        let signups = actions.iter().find(|a| a["name"] == "signups").unwrap();
        assert_eq!(signups["reason"], refused.body["detail"], "{who}");
    }
    // The member going may not leave what is cancelled; the refusal is what actions said.
    let seen = app
        .get(&format!("/api/v1/events/{id}"), Some(&a.token))
        .await
        .expect(200);
    let leaving = crate::harness::action(&seen, "leave");
    let left = app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/events/{id}/signups/{}", a.id),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(left.status, 409, "{}", left.body);
    assert_eq!(left.body["detail"], leaving["reason"]);
    let listed = app.get("/api/v1/events", Some(&c.token)).await.expect(200);
    let there = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id.as_str());
    if let Some(e) = there {
        assert_eq!(e["status"], "cancelled");
        assert!(e["actions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["allowed"] == false));
    }

    // Once an event has started, nobody may leave it (nor cancel it).
    let started = event(&app, &coord, Duration::days(2), 5).await;
    sign_up(&app, &c, &started, json!({})).await.expect(201);
    let sid = started.clone();
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use neighbourly::db::schema::events;
            let past = neighbourly::db::now() - chrono::Duration::minutes(10);
            diesel::update(events::table.find(&sid))
                .set(events::starts_at.eq(past))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(leave(&app, &c, &started, &c.id).await, 409);
    let r = app
        .post(
            &format!("/api/v1/events/{started}/cancel"),
            Some(&coord.token),
            json!({"reason": "Too late"}),
        )
        .await;
    assert_eq!(r.status, 409);
}

/// A member's account is closed: in one go their requests not finished are cancelled (the
/// assigned helper told), their standing request ends, and their place at an event goes to the
/// first waiting member, who is told.
async fn deactivating_a_member_ends_their_commitments(app: TestApp) {
    let coord = app.coordinator().await;
    let leaving = app.member().await;
    let waiting = app.member().await;
    let helper = app.helper(&coord).await;
    let (assigned, _) = crate::visits::assigned(&app, &leaving, &helper, 3).await;
    let offered = app.request(&leaving).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let series = app
        .post(
            "/api/v1/series",
            Some(&leaving.token),
            json!({
                "category": "shopping",
                "description": "The weekly shop",
                "every": "week",
                "weekday": "fri",
                "window": {"start": "10:00", "end": "12:00"},
                "timezone": "Europe/London",
                "duration_minutes": 60,
                "starts_on": Utc::now().date_naive().to_string(),
            }),
        )
        .await
        .expect(201);
    let series_id = series["id"].as_str().unwrap().to_string();
    let id = event(&app, &coord, Duration::days(5), 1).await;
    assert_eq!(
        sign_up(&app, &leaving, &id, json!({})).await.expect(201)["status"],
        "going"
    );
    assert_eq!(
        sign_up(&app, &waiting, &id, json!({})).await.expect(201)["status"],
        "waiting"
    );

    app.post(
        &format!("/api/v1/users/{}/deactivate", leaving.id),
        Some(&coord.token),
        json!({"reason": "Moved to a care home"}),
    )
    .await
    .expect(200);

    for request in [&assigned, &offered] {
        let r = app
            .get(&format!("/api/v1/requests/{request}"), Some(&coord.token))
            .await
            .expect(200);
        assert_eq!(r["status"], "cancelled", "{r}");
    }
    let s = app
        .get(&format!("/api/v1/series/{series_id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(s["status"], "ended");
    assert!(s["upcoming"].as_array().unwrap().is_empty(), "{s}");
    let ev = app
        .get(&format!("/api/v1/events/{id}"), Some(&waiting.token))
        .await
        .expect(200);
    assert_eq!(ev["my_signup"]["status"], "going", "{ev}");
    let told = |to: String, kind: &'static str| {
        let app = &app;
        async move {
            app.state
                .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
                .await
                .unwrap()
                .iter()
                .filter(|m| m.kind == kind)
                .count()
        }
    };
    assert_eq!(
        told(helper.email.clone(), "cancellation").await,
        1,
        "the helper is told"
    );
    assert_eq!(
        told(waiting.email.clone(), "event_place").await,
        1,
        "the waiting member is told"
    );
}

pub(crate) fn event_body(starts_at: DateTime<Utc>, capacity: i64) -> Value {
    json!({
        "title": "Coffee morning",
        "description": "Tea, cake and a chat; <b>all welcome</b>",
        "place": "St Giles church hall, Camberwell",
        "location": {"lat": 51.4735, "lon": -0.0890},
        "starts_at": starts_at.to_rfc3339(),
        "ends_at": (starts_at + Duration::hours(2)).to_rfc3339(),
        "capacity": capacity,
    })
}

pub(crate) async fn event(
    app: &TestApp,
    coord: &User,
    starts_in: Duration,
    capacity: i64,
) -> String {
    let e = app
        .post(
            "/api/v1/events",
            Some(&coord.token),
            event_body(Utc::now() + starts_in, capacity),
        )
        .await
        .expect(201);
    e["id"].as_str().unwrap().to_string()
}

pub(crate) async fn sign_up(
    app: &TestApp,
    who: &User,
    event: &str,
    body: Value,
) -> crate::harness::Resp {
    app.post(
        &format!("/api/v1/events/{event}/signups"),
        Some(&who.token),
        body,
    )
    .await
}

async fn leave(app: &TestApp, who: &User, event: &str, member: &str) -> u16 {
    app.call(
        Method::DELETE,
        &format!("/api/v1/events/{event}/signups/{member}"),
        Some(&who.token),
        None,
    )
    .await
    .status
    .as_u16()
}

/// A member without email, registered by a coordinator (who rings them).
async fn phone_only_member(app: &TestApp, coord: &User) -> String {
    let m = app
        .post(
            "/api/v1/members",
            Some(&coord.token),
            json!({
                "name": "Edna Phone",
                "phone": "020 7946 0999",
                "address": "3 Bellenden Road, SE15",
                "location": {"lat": 51.468, "lon": -0.071},
            }),
        )
        .await
        .expect(201);
    m["id"].as_str().unwrap().to_string()
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

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["member_id"].as_str().unwrap().to_string())
        .collect()
}

async fn events_by_role_and_bad_input(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.applicant().await;
    let starts = Utc::now() + Duration::days(3);

    for who in [&member, &helper] {
        let r = app
            .post("/api/v1/events", Some(&who.token), event_body(starts, 10))
            .await;
        assert_eq!(r.status, 403);
    }
    assert_eq!(
        app.post("/api/v1/events", None, event_body(starts, 10))
            .await
            .status,
        401
    );
    let cases = [
        ("title", json!("  ")),
        ("capacity", json!(0)),
        ("capacity", json!(1001)),
        ("location", json!({"lat": 100.0, "lon": 0.0})),
        (
            "ends_at",
            json!((starts - Duration::minutes(1)).to_rfc3339()),
        ),
        (
            "ends_at",
            json!((starts + Duration::hours(25)).to_rfc3339()),
        ),
    ];
    for (field, value) in cases {
        let mut body = event_body(starts, 10);
        body[field] = value.clone();
        let r = app.post("/api/v1/events", Some(&coord.token), body).await;
        assert_eq!(r.status, 422, "{field} {value}: {}", r.body);
        assert!(
            r.fields().iter().all(|f| f.starts_with(field)),
            "{field}: {:?}",
            r.fields()
        );
    }

    let created = app
        .post("/api/v1/events", Some(&coord.token), event_body(starts, 10))
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["going"], 0);
    assert_eq!(created["places_left"], 10);
    assert_eq!(
        created["description"],
        "Tea, cake and a chat; <b>all welcome</b>"
    );
    sign_up(&app, &member, id, json!({})).await.expect(201);

    // Everyone signed in sees the counts; only coordinators the names.
    for who in [&member, &helper] {
        let list = app
            .get("/api/v1/events", Some(&who.token))
            .await
            .expect(200);
        let e = &list["items"][0];
        assert_eq!(e["id"], id);
        assert_eq!(e["going"], 1);
        assert!(e.get("people").is_none(), "no names for a non-coordinator");
    }
    let mine = app
        .get(&format!("/api/v1/events/{id}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(mine["my_signup"]["status"], "going");
    let full = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(ids(&full["people"]["going"]), [member.id.as_str()]);
    assert_eq!(full["people"]["going"][0]["name"], "Ada Member");
    app.get("/api/v1/events", None).await.expect(401);
    app.get("/api/v1/events/nothing-here", Some(&member.token))
        .await
        .expect(404);

    // The window of the list.
    let later = (starts + Duration::days(1)).to_rfc3339();
    let none = app
        .get(
            &format!("/api/v1/events?from={}", urlencoding(&later)),
            Some(&member.token),
        )
        .await
        .expect(200);
    assert_eq!(none["items"], json!([]));
    for q in [
        "from=yesterday".to_string(),
        "to=2026-13-01T00:00:00Z".to_string(),
        format!(
            "from={}&to={}",
            urlencoding(&later),
            urlencoding(&starts.to_rfc3339())
        ),
        "limit=0".to_string(),
    ] {
        let r = app
            .get(&format!("/api/v1/events?{q}"), Some(&member.token))
            .await;
        assert_eq!(r.status, 422, "{q}");
    }
}

fn urlencoding(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

async fn sign_ups_wait_in_order_and_the_first_waiting_is_promoted(app: TestApp) {
    let coord = app.coordinator().await;
    let (a, b, c) = (app.member().await, app.member().await, app.member().await);
    let edna = phone_only_member(&app, &coord).await;
    let helper = app.applicant().await;
    let id = event(&app, &coord, Duration::days(5), 2).await;

    assert_eq!(
        sign_up(&app, &a, &id, json!({})).await.expect(201)["status"],
        "going"
    );
    assert_eq!(
        sign_up(&app, &b, &id, json!({"member_id": b.id}))
            .await
            .expect(201)["status"],
        "going"
    );
    let third = sign_up(&app, &c, &id, json!({})).await.expect(201);
    assert_eq!(third["status"], "waiting");
    assert_eq!(third["position"], 1);
    let fourth = sign_up(&app, &coord, &id, json!({"member_id": edna}))
        .await
        .expect(201);
    assert_eq!(fourth["status"], "waiting");
    assert_eq!(fourth["position"], 2);

    // What may not be done.
    assert_eq!(sign_up(&app, &a, &id, json!({})).await.status, 409);
    // A retry with the same key is the same sign-up; the key on another event is refused.
    let other = event(&app, &coord, Duration::days(6), 5).await;
    let keyed = |event: String| {
        let (app, token) = (&app, a.token.clone());
        async move {
            app.client
                .post(format!("{}/api/v1/events/{event}/signups", app.address))
                .bearer_auth(token)
                .header("Idempotency-Key", "one-sign-up")
                .json(&json!({}))
                .send()
                .await
                .unwrap()
        }
    };
    let first = keyed(other.clone()).await;
    assert_eq!(first.status(), 201);
    let again = keyed(other.clone()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(
        keyed(id.clone()).await.status(),
        422,
        "the key on another event"
    );
    assert_eq!(sign_up(&app, &helper, &id, json!({})).await.status, 403);
    assert_eq!(
        sign_up(&app, &a, &id, json!({"member_id": c.id}))
            .await
            .status,
        403
    );
    let r = sign_up(&app, &coord, &id, json!({})).await;
    assert_eq!(r.fields(), ["member_id"]);
    let r = sign_up(&app, &coord, &id, json!({"member_id": "nobody"})).await;
    assert_eq!(r.fields(), ["member_id"]);
    assert_eq!(
        sign_up(&app, &a, "no-such-event", json!({})).await.status,
        404
    );
    assert_eq!(leave(&app, &c, &id, &a.id).await, 404, "not theirs");
    assert_eq!(leave(&app, &helper, &id, &a.id).await, 404);

    // A leaves: C, first waiting, goes and is told; Edna moves up.
    assert_eq!(leave(&app, &a, &id, &a.id).await, 204);
    assert_eq!(leave(&app, &a, &id, &a.id).await, 404, "already left");
    let full = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(ids(&full["people"]["going"]), [b.id.clone(), c.id.clone()]);
    assert_eq!(ids(&full["people"]["waiting"]), [edna.as_str()]);
    assert_eq!(full["people"]["waiting"][0]["position"], 1);
    assert_eq!(full["going"], 2);
    assert_eq!(full["waiting"], 1);
    assert_eq!(emails(&app, &c.email, "event_place").await, 1);
    assert_eq!(emails(&app, &b.email, "event_place").await, 0);

    // A signs up again, at the back; a coordinator takes B off; Edna (no email) goes and is on
    // the call list.
    let again = sign_up(&app, &a, &id, json!({})).await.expect(201);
    assert_eq!(again["status"], "waiting");
    assert_eq!(again["position"], 2);
    assert_eq!(leave(&app, &coord, &id, &b.id).await, 204);
    let full = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(ids(&full["people"]["going"]), [c.id.clone(), edna.clone()]);
    assert_eq!(ids(&full["people"]["call_list"]), [edna.as_str()]);
    assert_eq!(full["people"]["call_list"][0]["phone"], "020 7946 0999");
    assert_eq!(ids(&full["people"]["waiting"]), [a.id.as_str()]);
    let mine = app
        .get(&format!("/api/v1/events/{id}"), Some(&a.token))
        .await
        .expect(200);
    assert_eq!(mine["my_signup"]["status"], "waiting");
    assert_eq!(mine["my_signup"]["position"], 1);

    // A waiting member leaving frees no place.
    assert_eq!(leave(&app, &a, &id, &a.id).await, 204);
    let full = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(full["going"], 2);
    assert_eq!(full["waiting"], 0);
}

async fn a_lift_is_a_transport_request_matched_as_usual(app: TestApp) {
    let coord = app.coordinator().await;
    let driver = app.helper(&coord).await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/helpers/{}", driver.id),
        Some(&coord.token),
        Some(json!({"skills": ["transport"]})),
    )
    .await
    .expect(200);
    let (a, b) = (app.member().await, app.member().await);
    let starts = Utc::now() + Duration::days(2);
    let e = app
        .post("/api/v1/events", Some(&coord.token), event_body(starts, 1))
        .await
        .expect(201);
    let id = e["id"].as_str().unwrap();

    let going = sign_up(&app, &a, id, json!({"needs_lift": true}))
        .await
        .expect(201);
    let lift = going["lift_request_id"].as_str().unwrap().to_string();
    let request = app
        .get(&format!("/api/v1/requests/{lift}"), Some(&a.token))
        .await
        .expect(200);
    assert_eq!(request["category"], "transport");
    assert_eq!(request["status"], "offered", "matched as any request");
    let window_start: DateTime<Utc> = request["window"]["start"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let window_end: DateTime<Utc> = request["window"]["end"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        window_start.timestamp(),
        (starts - Duration::minutes(30)).timestamp()
    );
    assert_eq!(
        window_end.timestamp(),
        (starts + Duration::minutes(150)).timestamp()
    );
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&driver.token))
        .await
        .expect(200);
    assert_eq!(inbox["items"][0]["request_id"], lift.as_str());

    // Waiting with a lift: no request until a place comes up.
    let waiting = sign_up(&app, &b, id, json!({"needs_lift": true}))
        .await
        .expect(201);
    assert_eq!(waiting["status"], "waiting");
    assert_eq!(waiting["lift_request_id"], Value::Null);

    // A leaves: their lift is cancelled; B goes, and B's lift is made.
    assert_eq!(leave(&app, &a, id, &a.id).await, 204);
    let cancelled = app
        .get(&format!("/api/v1/requests/{lift}"), Some(&a.token))
        .await
        .expect(200);
    assert_eq!(cancelled["status"], "cancelled");
    let full = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    let b_lift = full["people"]["going"][0]["lift_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(full["people"]["going"][0]["member_id"], b.id.as_str());
    let request = app
        .get(&format!("/api/v1/requests/{b_lift}"), Some(&b.token))
        .await
        .expect(200);
    assert_eq!(request["category"], "transport");
    assert_eq!(request["member_id"], b.id.as_str());
}

async fn reminders_go_the_day_before_once_and_the_rest_are_rung(app: TestApp) {
    let coord = app.coordinator().await;
    let (a, b) = (app.member().await, app.member().await);
    let edna = phone_only_member(&app, &coord).await;
    let id = event(&app, &coord, Duration::hours(30), 2).await;
    sign_up(&app, &a, &id, json!({})).await.expect(201);
    sign_up(&app, &coord, &id, json!({"member_id": edna}))
        .await
        .expect(201);
    sign_up(&app, &b, &id, json!({})).await.expect(201); // waiting

    let remind = |hours: i64| {
        let at = chrono::Utc::now().naive_utc() + Duration::hours(hours);
        app.state
            .run(move |svc| neighbourly::service::events::remind(svc, at))
    };
    assert_eq!(remind(0).await.unwrap(), 0, "too early");
    let both = futures_util::future::join(remind(7), remind(7)).await;
    assert_eq!(
        both.0.unwrap() + both.1.unwrap(),
        1,
        "one reminder: A has email, Edna has none, B is waiting"
    );
    assert_eq!(remind(8).await.unwrap(), 0, "once");
    assert_eq!(emails(&app, &a.email, "event_reminder").await, 1);
    assert_eq!(emails(&app, &b.email, "event_reminder").await, 0);
    let full = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(ids(&full["people"]["call_list"]), [edna]);
}

async fn attendance_is_recorded_and_counted_in_the_weekly_report(app: TestApp) {
    let coord = app.coordinator().await;
    let (a, b, c) = (app.member().await, app.member().await, app.member().await);
    let id = event(&app, &coord, Duration::days(1), 2).await;
    for m in [&a, &b, &c] {
        sign_up(&app, m, &id, json!({})).await.expect(201);
    }
    let path = format!("/api/v1/events/{id}/attendance");
    let r = app
        .post(&path, Some(&coord.token), json!({"member_ids": [a.id]}))
        .await;
    assert_eq!(r.status, 409, "not started: {}", r.body);
    let seen = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    let said = crate::harness::action(&seen, "attendance");
    assert_eq!(said["allowed"], false);
    assert_eq!(
        r.body["detail"], said["reason"],
        "the refusal is what actions said"
    );

    // The event happened: move it to last week's Tuesday.
    let week = neighbourly::reports::IsoWeek::last_complete(Utc::now(), chrono_tz::Europe::London);
    let tuesday = week.monday() + Duration::days(1);
    let starts = tuesday.and_hms_opt(10, 0, 0).unwrap();
    let eid = id.clone();
    app.state
        .db(move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!(
                "UPDATE events SET starts_at = '{starts}', ends_at = '{}' WHERE id = '{eid}'",
                starts + Duration::hours(2)
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        sign_up(&app, &app.member().await, &id, json!({}))
            .await
            .status,
        409,
        "sign-ups close at the start"
    );

    assert_eq!(
        app.post(&path, Some(&a.token), json!({"member_ids": [a.id]}))
            .await
            .status,
        403
    );
    for body in [
        json!({"member_ids": []}),
        json!({"member_ids": [c.id]}),
        json!({"member_ids": ["nobody"]}),
    ] {
        let r = app.post(&path, Some(&coord.token), body.clone()).await;
        assert_eq!(r.status, 422, "{body}");
        assert_eq!(r.fields(), ["member_ids"]);
    }
    let done = app
        .post(&path, Some(&coord.token), json!({"member_ids": [a.id]}))
        .await
        .expect(200);
    assert_eq!(done["people"]["going"][0]["attended"], true);
    assert_eq!(done["people"]["going"][1]["attended"], false);
    app.post(
        &path,
        Some(&coord.token),
        json!({"member_ids": [a.id, b.id]}),
    )
    .await
    .expect(200);

    let report = app
        .get(
            &format!("/api/v1/reports/weekly?week={week}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let events = &report["figures"]["events"];
    assert_eq!(events["held"], 1);
    assert_eq!(events["places_taken"], 2);
    assert_eq!(events["attended"], 2);
    assert_eq!(report["previous"]["events"]["held"], 0);
}

/// Five places, two taken; twenty members sign up at once: three go, seventeen wait in order.
async fn twenty_sign_ups_for_the_last_three_places(app: TestApp) {
    let coord = app.coordinator().await;
    let id = event(&app, &coord, Duration::days(4), 5).await;
    for _ in 0..2 {
        let m = app.member().await;
        sign_up(&app, &m, &id, json!({})).await.expect(201);
    }
    let mut crowd = Vec::new();
    for _ in 0..20 {
        crowd.push(app.member().await);
    }
    let answers = futures_util::future::join_all(
        crowd
            .iter()
            .map(|m| sign_up(&app, m, &id, json!({"needs_lift": false}))),
    )
    .await;
    let statuses: Vec<&str> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.body);
            r.body["status"].as_str().unwrap()
        })
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "going").count(), 3);
    assert_eq!(statuses.iter().filter(|s| **s == "waiting").count(), 17);
    let mut positions: Vec<i64> = answers
        .iter()
        .filter_map(|r| r.body["position"].as_i64())
        .collect();
    positions.sort();
    assert_eq!(positions, (1..=17).collect::<Vec<_>>());

    let full = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(full["going"], 5);
    assert_eq!(full["waiting"], 17);
    assert_eq!(full["places_left"], 0);
    // The list's order is the order each was told.
    for (i, w) in full["people"]["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(w["position"], i as i64 + 1);
        let told = answers
            .iter()
            .zip(&crowd)
            .find(|(_, m)| m.id == w["member_id"].as_str().unwrap())
            .map(|(r, _)| r.body["position"].clone())
            .unwrap();
        assert_eq!(told, i as i64 + 1);
    }
}

async fn renewals_due_are_reminded_once_or_listed_to_ring(app: TestApp) {
    let coord = app.coordinator().await;
    let a = app.member().await;
    let later = app.member().await;
    let edna = phone_only_member(&app, &coord).await;
    let today = Utc::now().date_naive();
    let add = |member: String, starts: chrono::NaiveDate, ends: chrono::NaiveDate| {
        let token = coord.token.clone();
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/members/{member}/memberships"),
                Some(&token),
                json!({"starts_on": starts.to_string(), "ends_on": ends.to_string(), "fee_pence": 1000}),
            )
            .await
            .expect(201)
        }
    };
    let year_ago = today - Duration::days(355);
    add(a.id.clone(), year_ago, today + Duration::days(10)).await;
    add(edna.clone(), year_ago, today + Duration::days(20)).await;
    // Renewed already: the old membership ends soon, the new one much later.
    add(later.id.clone(), year_ago, today + Duration::days(5)).await;
    add(
        later.id.clone(),
        today + Duration::days(5),
        today + Duration::days(370),
    )
    .await;

    let due = app
        .get("/api/v1/memberships/renewals", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(ids(&due["items"]), [a.id.clone(), edna.clone()]);
    assert_eq!(due["items"][0]["has_email"], true);
    assert_eq!(due["items"][1]["has_email"], false);
    assert_eq!(due["items"][1]["phone"], "020 7946 0999");
    assert_eq!(due["items"][0]["membership"]["status"], "active");
    let near = app
        .get(
            "/api/v1/memberships/renewals?within_days=15",
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(ids(&near["items"]), [a.id.as_str()]);
    for (q, want) in [
        ("within_days=0", 422),
        ("within_days=367", 422),
        ("within_days=x", 400),
    ] {
        let r = app
            .get(
                &format!("/api/v1/memberships/renewals?{q}"),
                Some(&coord.token),
            )
            .await;
        assert_eq!(r.status, want, "{q}");
    }
    app.get("/api/v1/memberships/renewals", Some(&a.token))
        .await
        .expect(403);

    let remind = || {
        app.state.db(|c| {
            let now = Utc::now().naive_utc();
            Ok(neighbourly::notify::events::membership_reminders(
                c,
                now.date(),
                30,
                now,
            )?)
        })
    };
    assert_eq!(remind().await.unwrap(), 1, "A has email; Edna is rung");
    assert_eq!(remind().await.unwrap(), 0, "once per membership");
    assert_eq!(emails(&app, &a.email, "membership_ending").await, 1);
    assert_eq!(emails(&app, &later.email, "membership_ending").await, 0);
}
