//! "Ask Clive again": a member asks for help from a helper who has visited them before; the job
//! is offered to that helper alone first, then to others as usual. Anyone who has not visited
//! them is refused by name.

use serde_json::json;

use crate::harness::{TestApp, User};
use crate::on_both_backends;
use crate::visits::{assigned, at_the_visit};

on_both_backends!(asking_a_helper_again_offers_them_first);

async fn open_offer_for(app: &TestApp, helper: &User, request: &str) -> Option<String> {
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["request_id"] == request)
        .map(|o| o["id"].as_str().unwrap().to_string())
}

async fn asking_a_helper_again_offers_them_first(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let clive = app.helper(&coord).await;
    let other = app.helper(&coord).await;
    // Clive did a visit for her.
    let (first, _) = assigned(&app, &member, &clive, 2).await;
    at_the_visit(
        &app,
        &first,
        &clive.token,
        "complete",
        json!({"minutes_spent": 60}),
    )
    .await
    .expect(200);

    let mut body = TestApp::request_body("gardening");
    body["ask_first"] = json!(clive.id);
    let again = app
        .post("/api/v1/requests", Some(&member.token), body.clone())
        .await
        .expect(201);
    let id = again["id"].as_str().unwrap().to_string();
    assert_eq!(again["status"], "offered", "{again}");
    let offer = open_offer_for(&app, &clive, &id)
        .await
        .expect("Clive is asked first");
    assert!(
        open_offer_for(&app, &other, &id).await.is_none(),
        "nobody else is asked while Clive may answer"
    );

    // Clive cannot this time: the others are asked as usual.
    app.post(
        &format!("/api/v1/offers/{offer}/decline"),
        Some(&clive.token),
        json!({}),
    )
    .await
    .expect(200);
    assert!(open_offer_for(&app, &other, &id).await.is_some());

    // Only a helper who has visited her can be asked first; for another member, nobody.
    body["ask_first"] = json!(other.id);
    let r = app
        .post("/api/v1/requests", Some(&member.token), body.clone())
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.fields(), ["ask_first"]);
    let stranger = app.member().await;
    body["ask_first"] = json!(clive.id);
    let r = app
        .post("/api/v1/requests", Some(&stranger.token), body.clone())
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    body["ask_first"] = json!("not-a-helper");
    let r = app
        .post("/api/v1/requests", Some(&member.token), body)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
}
