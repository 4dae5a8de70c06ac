//! Safeguarding concerns: the lifecycle, who sees what, urgent ones emailed, refusal to be
//! edited or deleted (also by direct SQL), bad input, and coordinators changing one at once.

use crate::harness::RawDb;
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::TestApp;
use crate::on_both_backends;

on_both_backends!(
    a_concern_moves_from_open_to_closed_keeping_every_step,
    the_person_a_concern_is_about_never_sees_it,
    an_urgent_concern_emails_every_coordinator,
    concerns_are_never_edited_or_deleted,
    raising_refuses_bad_input,
    coordinators_changing_one_concern_at_once_both_cannot_win,
);

pub(crate) fn concern_body(about: Option<&str>, urgency: &str) -> Value {
    json!({
        "about_id": about,
        "category": "helper_conduct",
        "description": "The helper shouted at me when I asked for a receipt.",
        "urgency": urgency,
    })
}

async fn a_concern_moves_from_open_to_closed_keeping_every_step(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let request = app.request(&member).await;
    let mut body = concern_body(Some(&helper.id), "routine");
    body["request_id"] = request["id"].clone();
    let raised = app
        .post("/api/v1/concerns", Some(&member.token), body)
        .await
        .expect(201);
    assert_eq!(raised["status"], "open");
    assert_eq!(raised["raised_by"], member.id.as_str());
    assert_eq!(raised["about_name"], "Hal Helper");
    let id = raised["id"].as_str().unwrap();
    let path = format!("/api/v1/concerns/{id}/status");

    let queue = app
        .get("/api/v1/concerns?status=open", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(queue["items"][0]["id"], id);

    let steps = [
        (
            json!({"status": "investigating", "note": "Called the member back."}),
            200,
        ),
        (json!({"status": "referred", "note": "Passing on."}), 422),
        (
            json!({"status": "referred", "note": "Passed to the council.", "referred_to": "Southwark adult social care", "reference": "ASC-1234"}),
            200,
        ),
        (json!({"status": "closed", "note": "Done."}), 422),
        (json!({"status": "open", "note": "Again."}), 422),
        (
            json!({"status": "closed", "note": "The council is handling it.", "closure_reason": "Referred and acknowledged"}),
            200,
        ),
        (json!({"status": "investigating", "note": "Reopen?"}), 409),
    ];
    for (step, code) in steps {
        let r = app.post(&path, Some(&coord.token), step.clone()).await;
        assert_eq!(r.status.as_u16(), code, "{step}: {}", r.body);
    }
    let r = app
        .post(
            &path,
            Some(&coord.token),
            json!({"status": "closed", "note": "x"}),
        )
        .await;
    assert_eq!(r.fields(), ["closure_reason"]);

    let full = app
        .get(&format!("/api/v1/concerns/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(full["status"], "closed");
    let history = full["history"].as_array().unwrap();
    let statuses: Vec<&str> = history
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["open", "investigating", "referred", "closed"]);
    assert_eq!(history[1]["note"], "Called the member back.");
    assert_eq!(history[1]["by"], coord.id.as_str());
    assert_eq!(history[2]["referred_to"], "Southwark adult social care");
    assert_eq!(history[2]["reference"], "ASC-1234");
    assert_eq!(history[3]["closure_reason"], "Referred and acknowledged");

    // Members and helpers do not move concerns on.
    let r = app
        .post(
            &path,
            Some(&member.token),
            json!({"status": "investigating", "note": "x"}),
        )
        .await;
    assert_eq!(r.status, 403);
}

async fn the_person_a_concern_is_about_never_sees_it(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let other = app.member().await;
    let helper = app.helper(&coord).await;
    let raised = app
        .post(
            "/api/v1/concerns",
            Some(&member.token),
            concern_body(Some(&helper.id), "routine"),
        )
        .await
        .expect(201);
    let id = raised["id"].as_str().unwrap();
    let one = format!("/api/v1/concerns/{id}");
    app.post(
        &format!("{one}/status"),
        Some(&coord.token),
        json!({"status": "investigating", "note": "Spoke to the helper's referee."}),
    )
    .await
    .expect(200);

    // The helper it is about: not found, and not listed.
    app.get(&one, Some(&helper.token)).await.expect(404);
    let theirs = app
        .get("/api/v1/concerns", Some(&helper.token))
        .await
        .expect(200);
    assert!(theirs["items"].as_array().unwrap().is_empty());
    // Another member: not found.
    app.get(&one, Some(&other.token)).await.expect(404);
    app.get(&one, None).await.expect(401);
    // The raiser sees it, and its steps, without the coordinators' notes.
    let mine = app.get(&one, Some(&member.token)).await.expect(200);
    assert_eq!(mine["status"], "investigating");
    for step in mine["history"].as_array().unwrap() {
        assert!(step.get("note").is_none(), "{step}");
    }
    let listed = app
        .get("/api/v1/concerns", Some(&member.token))
        .await
        .expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert!(listed["items"][0]["history"][1].get("note").is_none());

    // A concern someone raises about themselves is not shown to them either.
    let own = app
        .post(
            "/api/v1/concerns",
            Some(&other.token),
            concern_body(Some(&other.id), "routine"),
        )
        .await
        .expect(201);
    app.get(
        &format!("/api/v1/concerns/{}", own["id"].as_str().unwrap()),
        Some(&other.token),
    )
    .await
    .expect(404);

    // Every coordinator read is in the audit log.
    app.get(&one, Some(&coord.token)).await.expect(200);
    app.get("/api/v1/concerns", Some(&coord.token))
        .await
        .expect(200);
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let reads = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "concern.read" && e["actor_id"] == coord.id.as_str())
        .count();
    assert_eq!(reads, 2);
}

async fn an_urgent_concern_emails_every_coordinator(app: TestApp) {
    let first = app.coordinator().await;
    let second = app.coordinator().await;
    let member = app.member().await;
    app.post(
        "/api/v1/concerns",
        Some(&member.token),
        concern_body(None, "routine"),
    )
    .await
    .expect(201);
    let urgent = app
        .post(
            "/api/v1/concerns",
            Some(&member.token),
            concern_body(None, "urgent"),
        )
        .await
        .expect(201);
    let id = urgent["id"].as_str().unwrap().to_string();
    for coord in [&first, &second] {
        let to = coord.email.clone();
        let mails = app
            .state
            .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
            .await
            .unwrap();
        let urgent: Vec<_> = mails
            .iter()
            .filter(|m| m.kind == "urgent_concern")
            .collect();
        assert_eq!(urgent.len(), 1, "one email for the urgent concern only");
        assert!(urgent[0]
            .text_body
            .contains(&format!("/console/#/concern/{id}")));
        assert!(
            !urgent[0].text_body.contains("shouted"),
            "the email never carries the report"
        );
    }
}

async fn concerns_are_never_edited_or_deleted(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let raised = app
        .post(
            "/api/v1/concerns",
            Some(&member.token),
            concern_body(None, "routine"),
        )
        .await
        .expect(201);
    let id = raised["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/concerns/{id}");
    for method in [Method::DELETE, Method::PATCH, Method::PUT] {
        let r = app
            .call(
                method.clone(),
                &path,
                Some(&coord.token),
                Some(json!({"description": "x"})),
            )
            .await;
        assert_eq!(r.status, 405, "{method}");
    }
    for sql in [
        "DELETE FROM concerns",
        "UPDATE concerns SET description = 'changed'",
        "DELETE FROM concern_history",
        "UPDATE concern_history SET note = 'changed'",
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
    let still = app.get(&path, Some(&coord.token)).await.expect(200);
    assert_eq!(still["description"], raised["description"]);
    assert_eq!(still["history"].as_array().unwrap().len(), 1);
}

async fn raising_refuses_bad_input(app: TestApp) {
    let member = app.member().await;
    let other = app.member().await;
    let theirs = app.request(&other).await;
    let cases = [
        (json!({"category": "gossip"}), "category"),
        (json!({"urgency": "soon"}), "urgency"),
        (json!({"description": "   "}), "description"),
        (json!({"about_id": "nobody"}), "about_id"),
        (json!({"request_id": theirs["id"]}), "request_id"),
    ];
    for (change, field) in cases {
        let mut body = concern_body(None, "routine");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app
            .post("/api/v1/concerns", Some(&member.token), body.clone())
            .await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(r.fields(), [field], "{body}");
    }
    let r = app
        .post("/api/v1/concerns", None, concern_body(None, "routine"))
        .await;
    assert_eq!(r.status, 401);
    let r = app
        .get("/api/v1/concerns?status=shelved", Some(&member.token))
        .await;
    assert_eq!(r.fields(), ["status"]);
}

async fn coordinators_changing_one_concern_at_once_both_cannot_win(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let raised = app
        .post(
            "/api/v1/concerns",
            Some(&member.token),
            concern_body(None, "urgent"),
        )
        .await
        .expect(201);
    let path = format!("/api/v1/concerns/{}/status", raised["id"].as_str().unwrap());
    let answers = futures_util::future::join_all((0..6).map(|i| {
        app.post(
            &path,
            Some(&coord.token),
            json!({"status": "investigating", "note": format!("Note {i}")}),
        )
    }))
    .await;
    let won = answers.iter().filter(|r| r.status == 200).count();
    assert!(won >= 1);
    assert!(answers.iter().all(|r| r.status == 200 || r.status == 409));
    let full = app
        .get(
            &format!("/api/v1/concerns/{}", raised["id"].as_str().unwrap()),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(
        full["history"].as_array().unwrap().len(),
        1 + won,
        "each win is one step, none lost"
    );
}
