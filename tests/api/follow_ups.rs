//! What needs a coordinator today: one walk with a moving clock, over a real SMTP conversation
//! that refuses every email, through each kind of follow-up appearing when it should and
//! leaving when it is dealt with; call-backs and concerns' owners and review dates checked
//! field by field; nobody but coordinators.

use std::collections::BTreeSet;

use chrono::Duration;
use neighbourly::config::Secret;
use serde_json::{json, Value};

use crate::email::{helper_near, worker};
use crate::harness::{test_settings, Backend, TestApp, User};
use crate::smtp::SmtpServer;

crate::on_both_backends!(backend: follow_ups_appear_when_due_and_leave_when_done);

async fn follow_ups(app: &TestApp, coord: &User) -> Value {
    app.get("/api/v1/follow-ups?limit=200", Some(&coord.token))
        .await
        .expect(200)
}

/// `(kind, person_id)` of every follow-up.
fn kinds(list: &Value) -> BTreeSet<(String, String)> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["person_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn pair(kind: &str, who: &str) -> (String, String) {
    (kind.to_string(), who.to_string())
}

async fn follow_ups_appear_when_due_and_leave_when_done(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let mut settings = test_settings();
    settings.email.smtp_url = Secret::new(smtp.url());
    settings.email.max_attempts = 1;
    let Some(app) = TestApp::spawn_with(backend, settings).await else {
        return;
    };
    smtp.set_accepting(false);
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = helper_near(&app, &coord, 0.3).await;
    // A member on a landline only: the service cannot tell them anything.
    let edna = app
        .post(
            "/api/v1/members",
            Some(&coord.token),
            json!({
                "name": "Edna Landline",
                "phone": "020 7946 0999",
                "address": "3 Bellenden Road, SE15",
                "location": {"lat": 51.468, "lon": -0.071},
            }),
        )
        .await
        .expect(201);
    let edna_id = edna["id"].as_str().unwrap().to_string();
    // One on a mobile only can be texted: not a follow-up.
    app.post(
        "/api/v1/members",
        Some(&coord.token),
        json!({
            "name": "Mo Mobile",
            "phone": "07700 900123",
            "address": "5 Bellenden Road, SE15",
            "location": {"lat": 51.468, "lon": -0.071},
        }),
    )
    .await
    .expect(201);

    let list = follow_ups(&app, &coord).await;
    assert_eq!(kinds(&list), [pair("no_contact_route", &edna_id)].into());
    assert_eq!(list["total"], 1);
    let only = &list["items"][0];
    assert_eq!(only["person_name"], "Edna Landline");
    assert_eq!(only["person_phone"], "020 7946 0999");
    assert!(
        only["summary"].as_str().unwrap().contains("ring them"),
        "{only}"
    );

    // A visit tomorrow whose emails all fail: both the member and the helper need a call.
    let (request_id, _) = crate::visits::assigned(&app, &member, &helper, 1).await;
    let now = app.clock.now();
    let drained = worker(&app).drain_at(now).await.unwrap();
    assert!(drained.failed >= 2, "{drained:?}");
    let list = follow_ups(&app, &coord).await;
    assert_eq!(
        kinds(&list),
        [
            pair("no_contact_route", &edna_id),
            pair("message_failed", &member.id),
            pair("message_failed", &helper.id),
        ]
        .into()
    );
    let failed = crate::harness::item_where(&list["items"], "person_id", &member.id);
    assert!(
        failed["summary"]
            .as_str()
            .unwrap()
            .contains("could not be delivered"),
        "{failed}"
    );

    // A call-back for tomorrow, a routine concern (reviewed in a week).
    let tomorrow = (now + Duration::days(1)).date();
    let notes = format!("/api/v1/people/{edna_id}/notes");
    let call_back = app
        .post(
            &notes,
            Some(&coord.token),
            json!({"kind": "call_back", "text": "Ask how the new glasses are", "due_on": tomorrow.to_string()}),
        )
        .await
        .expect(201);
    assert_eq!(call_back["due_on"], tomorrow.to_string());
    assert_eq!(call_back["done_at"], Value::Null);
    let concern = app
        .post(
            "/api/v1/concerns",
            Some(&coord.token),
            json!({"about_id": member.id, "category": "neglect", "description": "The house was very cold", "urgency": "routine"}),
        )
        .await
        .expect(201);
    let concern_id = concern["id"].as_str().unwrap().to_string();
    let in_a_week = (now + Duration::days(7)).date().to_string();
    assert_eq!(concern["review_on"], in_a_week.as_str());
    assert_eq!(concern["owner_id"], Value::Null, "no one owns it yet");
    let list = follow_ups(&app, &coord).await;
    assert_eq!(list["total"], 3, "nothing is due yet: {list}");

    // Two days on: the visit's window has passed with no outcome; its emails no longer matter;
    // the call-back's day has come.
    app.travel(Duration::days(2));
    let list = follow_ups(&app, &coord).await;
    assert_eq!(
        kinds(&list),
        [
            pair("no_contact_route", &edna_id),
            pair("visit_without_outcome", &member.id),
            pair("call_back", &edna_id),
        ]
        .into()
    );
    let visit = crate::harness::item_where(&list["items"], "kind", "visit_without_outcome");
    assert_eq!(visit["request_id"], request_id.as_str());
    assert!(
        visit["summary"].as_str().unwrap().contains("Hal Helper"),
        "{visit}"
    );
    // Oldest first: each item's `since` is no later than the next one's.
    let since: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["since"].as_str().unwrap())
        .collect();
    let mut sorted = since.clone();
    sorted.sort();
    assert_eq!(since, sorted);

    // The call-back made: it leaves. Marking it again changes nothing.
    let done = format!(
        "/api/v1/people/{edna_id}/notes/{}/done",
        call_back["id"].as_str().unwrap()
    );
    let marked = app
        .post(&done, Some(&coord.token), json!({}))
        .await
        .expect(200);
    assert!(marked["done_at"].is_string());
    let again = app
        .post(&done, Some(&coord.token), json!({}))
        .await
        .expect(200);
    assert_eq!(again["done_at"], marked["done_at"]);
    // The visit done: it leaves.
    app.post(
        &format!("/api/v1/requests/{request_id}/complete"),
        Some(&coord.token),
        json!({"minutes_spent": 60}),
    )
    .await
    .expect(200);
    let list = follow_ups(&app, &coord).await;
    assert_eq!(kinds(&list), [pair("no_contact_route", &edna_id)].into());

    // A week on, the concern is due for review, with no owner.
    app.travel(Duration::days(6));
    let list = follow_ups(&app, &coord).await;
    let review = crate::harness::item_where(&list["items"], "kind", "concern_review");
    assert_eq!(review["concern_id"], concern_id.as_str());
    assert_eq!(review["person_id"], member.id.as_str());
    assert!(
        review["summary"]
            .as_str()
            .unwrap()
            .contains("No one owns it yet"),
        "{review}"
    );
    // Looking into it takes it on and sets the next review: it leaves until then.
    let status = format!("/api/v1/concerns/{concern_id}/status");
    let today = app.clock.now().date();
    let bad = app
        .post(
            &status,
            Some(&coord.token),
            json!({"status": "investigating", "note": "Rang", "review_on": (today - Duration::days(1)).to_string(), "owner_id": member.id}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let mut fields = bad.fields();
    fields.sort();
    assert_eq!(fields, ["review_on"], "the date first");
    let bad = app
        .post(
            &status,
            Some(&coord.token),
            json!({"status": "investigating", "note": "Rang", "owner_id": member.id}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.fields(), ["owner_id"], "a member owns no concern");
    let next = (today + Duration::days(14)).to_string();
    let stepped = app
        .post(
            &status,
            Some(&coord.token),
            json!({"status": "investigating", "note": "Rang her daughter", "review_on": next}),
        )
        .await
        .expect(200);
    assert_eq!(stepped["owner_id"], coord.id.as_str());
    assert_eq!(stepped["owner_name"], "Cora Coordinator");
    assert_eq!(stepped["review_on"], next.as_str());
    let list = follow_ups(&app, &coord).await;
    assert_eq!(kinds(&list), [pair("no_contact_route", &edna_id)].into());
    // Closing clears the review date; one may not be given.
    let r = app
        .post(
            &status,
            Some(&coord.token),
            json!({"status": "closed", "note": "Heating mended", "closure_reason": "Resolved", "review_on": next}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["review_on"]);
    let closed = app
        .post(
            &status,
            Some(&coord.token),
            json!({"status": "closed", "note": "Heating mended", "closure_reason": "Resolved"}),
        )
        .await
        .expect(200);
    assert!(closed.get("review_on").is_none(), "{closed}");

    // Call-backs' days are checked; only a call-back is marked done.
    for (body, field) in [
        (json!({"kind": "call_back", "text": "Ring"}), "due_on"),
        (
            json!({"kind": "note", "text": "Hi", "due_on": tomorrow.to_string()}),
            "due_on",
        ),
        (
            json!({"kind": "call_back", "text": "Ring", "due_on": (today - Duration::days(1)).to_string()}),
            "due_on",
        ),
        (
            json!({"kind": "call_back", "text": "Ring", "due_on": (today + Duration::days(400)).to_string()}),
            "due_on",
        ),
    ] {
        let r = app.post(&notes, Some(&coord.token), body).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.fields(), [field]);
    }
    let note = app
        .post(
            &notes,
            Some(&coord.token),
            json!({"kind": "note", "text": "Hi"}),
        )
        .await
        .expect(201);
    let note_done = format!(
        "/api/v1/people/{edna_id}/notes/{}/done",
        note["id"].as_str().unwrap()
    );
    app.post(&note_done, Some(&coord.token), json!({}))
        .await
        .expect(409);
    let elsewhere = format!(
        "/api/v1/people/{}/notes/{}/done",
        member.id,
        call_back["id"].as_str().unwrap()
    );
    app.post(&elsewhere, Some(&coord.token), json!({}))
        .await
        .expect(404);

    // Nobody but coordinators; a bad page is named.
    for who in [&member, &helper] {
        app.get("/api/v1/follow-ups", Some(&who.token))
            .await
            .expect(403);
        app.post(&done, Some(&who.token), json!({}))
            .await
            .expect(403);
    }
    let r = app
        .get("/api/v1/follow-ups?limit=0", Some(&coord.token))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["limit"]);
}

crate::on_both_backends!(follow_ups_page_oldest_first);

/// A page at a time, every follow-up once, in the order of the whole list.
async fn follow_ups_page_oldest_first(app: TestApp) {
    let coord = app.coordinator().await;
    for i in 0..5 {
        let m = app
            .post(
                "/api/v1/members",
                Some(&coord.token),
                json!({
                    "name": format!("Landline {i}"),
                    "phone": "020 7946 0999",
                    "address": "3 Bellenden Road, SE15",
                    "location": {"lat": 51.468, "lon": -0.071},
                }),
            )
            .await
            .expect(201);
        let today = app.clock.now().date();
        app.post(
            &format!("/api/v1/people/{}/notes", m["id"].as_str().unwrap()),
            Some(&coord.token),
            json!({"kind": "call_back", "text": "Ring", "due_on": today.to_string()}),
        )
        .await
        .expect(201);
        app.travel(Duration::minutes(1));
    }
    let whole = app
        .get("/api/v1/follow-ups", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(whole["total"], 10);
    let keys = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["key"].as_str().unwrap().to_string())
            .collect()
    };
    let mut walked = Vec::new();
    let mut path = "/api/v1/follow-ups?limit=3".to_string();
    loop {
        let page = app.get(&path, Some(&coord.token)).await.expect(200);
        assert_eq!(page["total"], 10);
        walked.extend(keys(&page));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/follow-ups?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(walked, keys(&whole));
}
