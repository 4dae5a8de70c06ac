use crate::harness::RawDb;
use serde_json::json;

use crate::harness::TestApp;
use crate::on_both_backends;

on_both_backends!(
    member_asks_for_help_at_home_by_default,
    help_can_be_asked_for_today,
    the_kinds_of_help_come_with_their_words,
    request_creation_refuses_each_bad_field,
    who_may_create_requests,
    requests_are_only_visible_to_those_involved,
    lists_page_with_a_cursor_and_filter_by_status,
    cancel_follows_the_lifecycle,
    assign_complete_and_feedback,
    assign_checks_the_hard_rules_unless_forced,
    what_the_document_allows_is_accepted,
    coordinators_list_one_members_requests,
    a_requests_story_is_in_words,
    queues_soonest_first_with_their_counts,
    a_helpers_diary_lists_their_visits,
);

/// A helper's diary: `helper_id` lists that helper's visits, soonest first, for coordinators and
/// the helper themself; another helper or a member is refused, and a helper's own id changes
/// nothing of what they see.
async fn a_helpers_diary_lists_their_visits(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let hal = app.helper(&coord).await;
    let other = app.helper(&coord).await;
    let (later, _) = crate::visits::assigned(&app, &member, &hal, 3).await;
    let (sooner, _) = crate::visits::assigned(&app, &member, &hal, 2).await;
    let (theirs, _) = crate::visits::assigned(&app, &member, &other, 2).await;
    let path = format!("/api/v1/requests?helper_id={}&order=soonest", hal.id);
    let diary = app.get(&path, Some(&coord.token)).await.expect(200);
    let ids: Vec<&str> = diary["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [sooner.as_str(), later.as_str()], "{diary}");
    assert!(!ids.contains(&theirs.as_str()));
    let own = app.get(&path, Some(&hal.token)).await.expect(200);
    assert_eq!(own["items"].as_array().unwrap().len(), 2);
    app.get(&path, Some(&other.token)).await.expect(403);
    app.get(&path, Some(&member.token)).await.expect(403);
    let both = format!(
        "/api/v1/requests?helper_id={}&member_id={}",
        hal.id, member.id
    );
    let r = app.get(&both, Some(&coord.token)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.fields(), ["helper_id"]);
}

/// Today's queues: `order=soonest` pages through the soonest windows first, and the counts say
/// how many wait in each; only coordinators see the counts.
async fn queues_soonest_first_with_their_counts(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let start = chrono::Utc::now() + chrono::Duration::days(1);
    // Asked in the opposite order to their windows: the last asked is the soonest.
    for days in (0..5).rev() {
        let mut body = TestApp::request_body("paperwork");
        let at = start + chrono::Duration::days(days);
        body["window"] = json!({"start": at.to_rfc3339(), "end": (at + chrono::Duration::hours(3)).to_rfc3339()});
        app.post("/api/v1/requests", Some(&member.token), body)
            .await
            .expect(201);
    }
    let mut starts = Vec::new();
    let mut path = "/api/v1/requests?status=open&order=soonest&limit=2".to_string();
    loop {
        let page = app.get(&path, Some(&coord.token)).await.expect(200);
        for r in page["items"].as_array().unwrap() {
            starts.push(r["window"]["start"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(next) => {
                path = format!("/api/v1/requests?status=open&order=soonest&limit=2&cursor={next}")
            }
            None => break,
        }
    }
    assert_eq!(starts.len(), 5, "{starts:?}");
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted, "soonest first");
    app.get("/api/v1/requests?order=sideways", Some(&coord.token))
        .await
        .expect(422);
    let counts = app
        .get("/api/v1/requests/counts", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(counts, json!({"open": 5, "offered": 0, "assigned": 0}));
    app.get("/api/v1/requests/counts", Some(&member.token))
        .await
        .expect(403);
    app.get("/api/v1/requests/counts", None).await.expect(401);
}

/// A request's story names people, never their ids or a score; the offers an assignment closed
/// come after it; a visit cancelled because its standing request ended says so.
async fn a_requests_story_is_in_words(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let (first, second) = (app.helper(&coord).await, app.helper(&coord).await);
    let r = app.request(&member).await;
    let id = r["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/requests/{id}/assign"),
        Some(&coord.token),
        json!({"helper_id": second.id}),
    )
    .await
    .expect(200);
    let story = app
        .get(
            &format!("/api/v1/requests/{id}/timeline"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let items = story["items"].as_array().unwrap();
    let ids = [&first.id, &second.id, &member.id, &coord.id];
    for e in items {
        let detail = e["detail"].as_str().unwrap_or("");
        assert!(!detail.contains("score"), "{e}");
        assert!(
            ids.iter().all(|i| !detail.contains(i.as_str())),
            "no ids: {e}"
        );
    }
    let at = |event: &str| items.iter().position(|e| e["event"] == event);
    let assigned = &items[at("assigned").expect("assigned")];
    assert_eq!(assigned["who_name"], "Hal Helper", "{assigned}");
    assert_eq!(assigned["detail"], "by Cora Coordinator", "{assigned}");
    if let Some(closed) = at("withdrawn") {
        assert!(closed > at("assigned").unwrap(), "{story}");
    }

    let series = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            crate::series::weekly_from_tomorrow(),
        )
        .await
        .expect(201);
    let occurrence = series["upcoming"][1]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/series/{}/end", series["id"].as_str().unwrap()),
        Some(&member.token),
        json!({}),
    )
    .await
    .expect(200);
    let story = app
        .get(
            &format!("/api/v1/requests/{occurrence}/timeline"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let cancelled = story["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "cancelled")
        .unwrap_or_else(|| panic!("the story says it was cancelled: {story}"));
    assert_eq!(cancelled["detail"], "The standing request ended");
}

/// `member_id` gives coordinators one member's requests (an account page, a past request);
/// a member may name only themself, a helper no one.
async fn coordinators_list_one_members_requests(app: TestApp) {
    let coord = app.coordinator().await;
    let (ada, bea) = (app.member().await, app.member().await);
    let mine = app.request(&ada).await["id"].as_str().unwrap().to_string();
    app.request(&bea).await;
    let ids = |page: serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let path = format!("/api/v1/requests?member_id={}", ada.id);
    let listed = app.get(&path, Some(&coord.token)).await.expect(200);
    assert_eq!(ids(listed), std::slice::from_ref(&mine));
    let own = app.get(&path, Some(&ada.token)).await.expect(200);
    assert_eq!(ids(own), [mine]);
    app.get(&path, Some(&bea.token)).await.expect(403);
    let helper = app.helper(&coord).await;
    app.get(&path, Some(&helper.token)).await.expect(403);
    let nobody = app
        .get(
            "/api/v1/requests?member_id=no-such-member",
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(ids(nobody).is_empty());
}

async fn member_asks_for_help_at_home_by_default(app: TestApp) {
    let m = app.member().await;
    let r = app.request(&m).await;
    assert_eq!(r["status"], "open");
    assert_eq!(r["member_id"], m.id.as_str());
    assert_eq!(r["location"], json!({"lat": 51.47, "lon": -0.07}));
    assert_eq!(r["helper"], serde_json::Value::Null);
    assert_eq!(r["duration_minutes"], 60);
    let mut body = TestApp::request_body("shopping");
    body["location"] = json!({"lat": 51.48, "lon": -0.08});
    let r = app
        .post("/api/v1/requests", Some(&m.token), body)
        .await
        .expect(201);
    assert_eq!(r["location"], json!({"lat": 51.48, "lon": -0.08}));
    assert_eq!(r["category"], "shopping");
}

/// Every kind of help, with the words a screen shows, for anyone.
async fn the_kinds_of_help_come_with_their_words(app: TestApp) {
    let all = app.get("/api/v1/categories", None).await.expect(200);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 9, "{all:?}");
    let phones = all.iter().find(|c| c["category"] == "it_help").unwrap();
    assert_eq!(phones["label"], "Phones and computers");
    assert_eq!(phones["in_words"], "a computer or phone");
}

async fn help_can_be_asked_for_today(app: TestApp) {
    let m = app.member().await;
    let now = app.clock.now().and_utc();
    let mut body = TestApp::request_body("shopping");
    body["window"] = json!({
        "start": (now + chrono::Duration::minutes(61)).to_rfc3339(),
        "end": (now + chrono::Duration::hours(4)).to_rfc3339(),
    });
    let r = app
        .post("/api/v1/requests", Some(&m.token), body)
        .await
        .expect(201);
    assert_eq!(r["status"], "open");
}

async fn request_creation_refuses_each_bad_field(app: TestApp) {
    let m = app.member().await;
    let now = chrono::Utc::now();
    let t = |h: i64| (now + chrono::Duration::hours(h)).to_rfc3339();
    let cases = [
        (json!({"category": "juggling"}), vec!["category"]),
        (json!({"description": ""}), vec!["description"]),
        (
            json!({"description": "x".repeat(2001)}),
            vec!["description"],
        ),
        (
            json!({"window": {"start": t(30), "end": t(26)}}),
            vec!["window.end"],
        ),
        (
            json!({"window": {"start": t(-10), "end": t(-5)}}),
            vec!["window.start"],
        ),
        // A window that has started, one sooner than the notice, one too far ahead.
        (
            json!({"window": {"start": t(-1), "end": t(3)}}),
            vec!["window.start"],
        ),
        (
            json!({"window": {"start": (now + chrono::Duration::minutes(30)).to_rfc3339(), "end": t(3)}}),
            vec!["window.start"],
        ),
        (
            json!({"window": {"start": t(24 * 91), "end": t(24 * 91 + 3)}}),
            vec!["window.start"],
        ),
        (json!({"duration_minutes": 600}), vec!["duration_minutes"]),
        (json!({"duration_minutes": 0}), vec!["duration_minutes"]),
        (json!({"duration_minutes": 300}), vec!["duration_minutes"]),
        (
            json!({"location": {"lat": 0.0, "lon": 200.0}}),
            vec!["location.lon"],
        ),
        (
            json!({"window": {"start": "next tuesday", "end": t(30)}}),
            vec!["window.start"],
        ),
        (
            json!({"duration_minutes": "an hour"}),
            vec!["duration_minutes"],
        ),
    ];
    for (patch, fields) in cases {
        let mut body = TestApp::request_body("gardening");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app.post("/api/v1/requests", Some(&m.token), body).await;
        assert_eq!(r.status, 422, "{patch}: {}", r.body);
        assert_eq!(r.fields(), fields, "{}", r.body);
    }
    let list = app
        .get("/api/v1/requests", Some(&m.token))
        .await
        .expect(200);
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing was created"
    );
}

async fn who_may_create_requests(app: TestApp) {
    let m = app.member().await;
    let other = app.member().await;
    let coord = app.coordinator().await;
    let coord2 = app.coordinator().await;
    let h = app.helper(&coord2).await;
    let body = TestApp::request_body("diy");
    app.post("/api/v1/requests", Some(&h.token), body.clone())
        .await
        .expect(403);
    app.post("/api/v1/requests", None, body.clone())
        .await
        .expect(401);
    let r = app
        .post("/api/v1/requests", Some(&coord.token), body.clone())
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["member_id".to_string()])
    );
    let mut for_member = body.clone();
    for_member["member_id"] = json!(m.id);
    let r = app
        .post("/api/v1/requests", Some(&coord.token), for_member.clone())
        .await
        .expect(201);
    assert_eq!(r["member_id"], m.id.as_str());
    app.get(
        &format!("/api/v1/requests/{}", r["id"].as_str().unwrap()),
        Some(&m.token),
    )
    .await
    .expect(200);
    app.post("/api/v1/requests", Some(&other.token), for_member)
        .await
        .expect(403);
    let mut nobody = body;
    nobody["member_id"] = json!("no-such-member");
    let r = app
        .post("/api/v1/requests", Some(&coord.token), nobody)
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["member_id".to_string()])
    );
}

async fn requests_are_only_visible_to_those_involved(app: TestApp) {
    let m = app.member().await;
    let other = app.member().await;
    let coord = app.coordinator().await;
    let h = app.helper(&coord).await;
    let r = app.request(&m).await;
    let path = format!("/api/v1/requests/{}", r["id"].as_str().unwrap());
    let own = app.get(&path, Some(&m.token)).await.expect(200);
    assert_eq!(own["member"]["address"], "12 Choumert Road, Peckham, SE15");
    app.get(&path, Some(&other.token)).await.expect(404);
    app.get(&path, Some(&h.token)).await.expect(404);
    app.get(&path, Some(&coord.token)).await.expect(200);
    app.get("/api/v1/requests/does-not-exist", Some(&coord.token))
        .await
        .expect(404);
    assert_eq!(
        app.get("/api/v1/requests", Some(&other.token))
            .await
            .expect(200)["items"],
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/requests", Some(&h.token))
            .await
            .expect(200)["items"],
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/requests", Some(&coord.token))
            .await
            .expect(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn lists_page_with_a_cursor_and_filter_by_status(app: TestApp) {
    let m = app.member().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(app.request(&m).await["id"].as_str().unwrap().to_string());
    }
    let first = app
        .get("/api/v1/requests?limit=2", Some(&m.token))
        .await
        .expect(200);
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let mut seen: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    let mut cursor = first["next_cursor"].as_str().unwrap().to_string();
    loop {
        let page = app
            .get(
                &format!("/api/v1/requests?limit=2&cursor={cursor}"),
                Some(&m.token),
            )
            .await
            .expect(200);
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each once");

    app.post(
        &format!("/api/v1/requests/{}/cancel", ids[0]),
        Some(&m.token),
        json!({}),
    )
    .await
    .expect(200);
    let cancelled = app
        .get("/api/v1/requests?status=cancelled", Some(&m.token))
        .await
        .expect(200);
    assert_eq!(cancelled["items"].as_array().unwrap().len(), 1);
    let open = app
        .get("/api/v1/requests?status=open", Some(&m.token))
        .await
        .expect(200);
    assert_eq!(open["items"].as_array().unwrap().len(), 4);

    for q in ["status=bogus", "limit=0", "limit=201", "cursor=%21%21"] {
        let r = app
            .get(&format!("/api/v1/requests?{q}"), Some(&m.token))
            .await;
        assert_eq!(r.status, 422, "{q}: {}", r.body);
    }
    let r = app.get("/api/v1/requests?limit=abc", Some(&m.token)).await;
    assert_eq!(r.status, 400);
}

async fn cancel_follows_the_lifecycle(app: TestApp) {
    let m = app.member().await;
    let other = app.member().await;
    let r = app.request(&m).await;
    let path = format!("/api/v1/requests/{}/cancel", r["id"].as_str().unwrap());
    app.post(&path, Some(&other.token), json!({}))
        .await
        .expect(404);
    let r = app
        .post(&path, Some(&m.token), json!({"reason": "my son did it"}))
        .await
        .expect(200);
    assert_eq!(r["status"], "cancelled");
    assert_eq!(r["cancel_reason"], "my son did it");
    let again = app.post(&path, Some(&m.token), json!({})).await;
    assert_eq!(again.status, 409);
    assert!(
        again.body["detail"].as_str().unwrap().contains("cancelled"),
        "{}",
        again.body
    );
    // Empty body is allowed.
    let r2 = app.request(&m).await;
    let resp = app
        .client
        .post(format!(
            "{}/api/v1/requests/{}/cancel",
            app.address,
            r2["id"].as_str().unwrap()
        ))
        .bearer_auth(&m.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

async fn assign_complete_and_feedback(app: TestApp) {
    let m = app.member().await;
    let coord = app.coordinator().await;
    let h = app.helper(&coord).await;
    let req = app.request(&m).await;
    let id = req["id"].as_str().unwrap();

    let fb = app
        .post(
            &format!("/api/v1/requests/{id}/feedback"),
            Some(&m.token),
            json!({"rating": 5}),
        )
        .await;
    assert_eq!(fb.status, 409, "feedback before completion");
    let early = app
        .post(
            &format!("/api/v1/requests/{id}/complete"),
            Some(&coord.token),
            json!({"minutes_spent": 30}),
        )
        .await;
    assert_eq!(early.status, 409);
    assert_eq!(
        early.body["detail"], "Nobody has said yes to this visit yet.",
        "{}",
        early.body
    );

    let assigned = app
        .post(
            &format!("/api/v1/requests/{id}/assign"),
            Some(&coord.token),
            json!({"helper_id": h.id}),
        )
        .await
        .expect(200);
    assert_eq!(assigned["status"], "assigned");
    assert_eq!(assigned["helper"]["id"], h.id.as_str());
    // The helper now sees the job, with the member's address.
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&h.token))
        .await
        .expect(200);
    assert_eq!(seen["member"]["address"], "12 Choumert Road, Peckham, SE15");
    assert_eq!(seen["member"]["phone"], "020 7946 0001");
    let listed = app
        .get("/api/v1/requests", Some(&h.token))
        .await
        .expect(200);
    assert_eq!(listed["items"][0]["id"], id);
    // Assigning again is a conflict.
    let again = app
        .post(
            &format!("/api/v1/requests/{id}/assign"),
            Some(&coord.token),
            json!({"helper_id": h.id}),
        )
        .await;
    assert_eq!(again.status, 409);

    app.post(
        &format!("/api/v1/requests/{id}/complete"),
        Some(&m.token),
        json!({"minutes_spent": 30}),
    )
    .await
    .expect(403);
    let bad = app
        .post(
            &format!("/api/v1/requests/{id}/complete"),
            Some(&h.token),
            json!({"minutes_spent": 0}),
        )
        .await;
    assert_eq!(
        (bad.status.as_u16(), bad.fields()),
        (422, vec!["minutes_spent".to_string()])
    );
    // Not before the visit: the refusal is the sentence the request's actions give.
    let before = app
        .post(
            &format!("/api/v1/requests/{id}/complete"),
            Some(&h.token),
            json!({"minutes_spent": 45}),
        )
        .await;
    assert_eq!(before.status, 409);
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&h.token))
        .await
        .expect(200);
    let complete = seen["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "complete")
        .unwrap()
        .clone();
    assert_eq!(complete["allowed"], false);
    assert_eq!(complete["reason"], before.body["detail"]);
    assert_eq!(complete["from"], seen["planned_start"], "{seen}");
    let done =
        crate::visits::at_the_visit(&app, id, &h.token, "complete", json!({"minutes_spent": 45}))
            .await
            .expect(200);
    assert_eq!(done["status"], "completed");
    assert_eq!(done["minutes_spent"], 45);
    assert!(done["completed_at"].is_string());

    let cancel = app
        .post(
            &format!("/api/v1/requests/{id}/cancel"),
            Some(&m.token),
            json!({}),
        )
        .await;
    assert_eq!(cancel.status, 409);
    let r = app
        .post(
            &format!("/api/v1/requests/{id}/feedback"),
            Some(&m.token),
            json!({"rating": 6}),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["rating".to_string()])
    );
    app.post(
        &format!("/api/v1/requests/{id}/feedback"),
        Some(&h.token),
        json!({"rating": 5}),
    )
    .await
    .expect(403);
    let given = app
        .post(
            &format!("/api/v1/requests/{id}/feedback"),
            Some(&m.token),
            json!({"rating": 5, "comment": "Lovely"}),
        )
        .await
        .expect(201);
    assert_eq!(given["helper_id"], h.id.as_str());
    let twice = app
        .post(
            &format!("/api/v1/requests/{id}/feedback"),
            Some(&m.token),
            json!({"rating": 4}),
        )
        .await;
    assert_eq!(twice.status, 409);
    // The request says it is rated, read alone and in the member's list.
    let read = app
        .get(&format!("/api/v1/requests/{id}"), Some(&m.token))
        .await
        .expect(200);
    assert_eq!(read["rated"], true);
    let list = app
        .get("/api/v1/requests?status=completed", Some(&m.token))
        .await
        .expect(200);
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == id && r["rated"] == true));
    // What she said reaches the helper who came, alone and in their list, and coordinators.
    let said = json!({"rating": 5, "comment": "Lovely"});
    assert_eq!(read["feedback"], said);
    for token in [&h.token, &coord.token] {
        let seen = app
            .get(&format!("/api/v1/requests/{id}"), Some(token))
            .await
            .expect(200);
        assert_eq!(seen["feedback"], said, "{seen}");
    }
    let theirs = app
        .get("/api/v1/requests?status=completed", Some(&h.token))
        .await
        .expect(200);
    assert_eq!(
        crate::harness::item_where(&theirs, "id", id)["feedback"],
        said
    );
}

async fn assign_checks_the_hard_rules_unless_forced(app: TestApp) {
    let m = app.member().await;
    let coord = app.coordinator().await;
    let pending = app.applicant().await;
    let req = app.request(&m).await;
    let id = req["id"].as_str().unwrap();
    let path = format!("/api/v1/requests/{id}/assign");
    let r = app
        .post(&path, Some(&coord.token), json!({"helper_id": pending.id}))
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.body["detail"].as_str().unwrap().contains("not approved"),
        "{}",
        r.body
    );
    let r = app
        .post(
            &path,
            Some(&coord.token),
            json!({"helper_id": pending.id, "force": true}),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["reason".to_string()])
    );
    app.post(
        &path,
        Some(&pending.token),
        json!({"helper_id": pending.id}),
    )
    .await
    .expect(403);
    app.post(&path, Some(&m.token), json!({"helper_id": pending.id}))
        .await
        .expect(403);
    let r = app
        .post(&path, Some(&coord.token), json!({"helper_id": "nobody"}))
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["helper_id".to_string()])
    );
    app.post(
        &path,
        Some(&coord.token),
        json!({"helper_id": pending.id, "force": true, "reason": "vetting paperwork in the post"}),
    )
    .await
    .expect(200);
    let log = app
        .state
        .db({
            let id = id.to_string();
            move |c| Ok(neighbourly::db::audit::for_subject(c, &id)?)
        })
        .await
        .unwrap();
    assert!(log.iter().any(
        |(_, action, detail)| action.as_str() == "request.assign_forced"
            && detail
                .as_deref()
                .unwrap_or_default()
                .contains("vetting paperwork")
    ));
    // No reason sends a suspended helper.
    let suspended = app.helper(&coord).await;
    app.suspend(&coord, &suspended).await;
    let other = app.request(&m).await;
    let r = app
        .post(
            &format!("/api/v1/requests/{}/assign", other["id"].as_str().unwrap()),
            Some(&coord.token),
            json!({"helper_id": suspended.id, "force": true, "reason": "They said they could"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body["detail"].as_str().unwrap().contains("suspended"),
        "{}",
        r.body
    );
}

/// Values the OpenAPI document allows are accepted: a whole number written `90.0` (JSON Schema's
/// `integer`), `null` for an optional body, an empty cursor (the first page).
async fn what_the_document_allows_is_accepted(app: TestApp) {
    let m = app.member().await;
    let mut body = TestApp::request_body("shopping");
    body["duration_minutes"] = serde_json::json!(90.0);
    let created = app
        .post("/api/v1/requests", Some(&m.token), body)
        .await
        .expect(201);
    assert_eq!(created["duration_minutes"], 90);
    let mut fraction = TestApp::request_body("shopping");
    fraction["duration_minutes"] = serde_json::json!(90.5);
    let r = app.post("/api/v1/requests", Some(&m.token), fraction).await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["duration_minutes".to_string()])
    );
    let page = app
        .get("/api/v1/requests?cursor=", Some(&m.token))
        .await
        .expect(200);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
    let id = created["id"].as_str().unwrap();
    let cancelled = app
        .post(
            &format!("/api/v1/requests/{id}/cancel"),
            Some(&m.token),
            serde_json::Value::Null,
        )
        .await
        .expect(200);
    assert_eq!(cancelled["status"], "cancelled");
}
