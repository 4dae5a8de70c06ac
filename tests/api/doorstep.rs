//! Doorstep words: the member, the helper going and coordinators see the same two words for a
//! visit; anyone else, and a visit with no helper yet, is told there are none; a visit taken by
//! another helper gets new words. In the app (Chromium, phone size): the member sees the words in
//! large type with who will say them, and the helper is told to say them at the door.

use serde_json::json;

use crate::harness::{Backend, TestApp};
use crate::visits::assigned;

crate::on_both_backends!(backend: the_words_are_the_visits_and_only_its_people_see_them);

async fn the_words_are_the_visits_and_only_its_people_see_them(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let other_member = app.member().await;
    let helper = app.helper(&coord).await;
    let other_helper = app.helper(&coord).await;
    let (id, _) = assigned(&app, &member, &helper, 3).await;
    let path = format!("/api/v1/requests/{id}/doorstep");

    let seen = app.get(&path, Some(&member.token)).await.expect(200);
    let words = seen["words"].as_str().unwrap().to_string();
    let (a, b) = words.split_once(' ').expect("two words");
    assert!(
        a != b && a.chars().chain(b.chars()).all(|c| c.is_ascii_lowercase()),
        "{words}"
    );
    assert_eq!(seen["helper"]["name"], "Hal Helper");
    assert!(seen["helper"]["photo_url"].is_null());
    assert!(seen["day"].as_str().unwrap().len() == 10, "{seen}");
    for who in [&helper, &coord] {
        assert_eq!(
            app.get(&path, Some(&who.token)).await.expect(200)["words"],
            words.as_str()
        );
    }
    for who in [&other_member, &other_helper] {
        app.get(&path, Some(&who.token)).await.expect(404);
    }
    app.get(&path, None).await.expect(401);
    app.get(
        "/api/v1/requests/no-such-request/doorstep",
        Some(&coord.token),
    )
    .await
    .expect(404);

    // A request nobody has said yes to has no words yet.
    app.helper(&coord).await;
    let open = app
        .post(
            "/api/v1/requests",
            Some(&other_member.token),
            TestApp::request_body("shopping"),
        )
        .await
        .expect(201);
    let open_path = format!("/api/v1/requests/{}/doorstep", open["id"].as_str().unwrap());
    app.get(&open_path, Some(&other_member.token))
        .await
        .expect(404);

    // The helper cannot come; another takes the visit, with new words, and the first helper no
    // longer sees any.
    app.post(
        &format!("/api/v1/requests/{id}/withdraw"),
        Some(&helper.token),
        json!({"reason": "My car has broken down"}),
    )
    .await
    .expect(200);
    app.get(&path, Some(&member.token)).await.expect(404);
    app.post(
        &format!("/api/v1/requests/{id}/assign"),
        Some(&coord.token),
        json!({"helper_id": other_helper.id}),
    )
    .await
    .expect(200);
    let again = app.get(&path, Some(&member.token)).await.expect(200);
    assert_ne!(again["words"], words.as_str(), "new words for a new visit");
    assert_eq!(
        app.get(&path, Some(&other_helper.token)).await.expect(200)["words"],
        again["words"]
    );
    app.get(&path, Some(&helper.token)).await.expect(404);
}

#[tokio::test]
async fn the_member_and_the_helper_see_the_words_on_their_phones() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (id, _) = assigned(&app, &member, &helper, 1).await;
    // Half an hour before the helper's planned start: arriving, and running late, are open.
    let planned = crate::doorstep::planned_start(&app, &id, &member.token).await;
    app.travel(planned - chrono::Duration::minutes(30) - app.clock.now());
    let words = crate::doorstep::words_of(&app, &id, &member.token).await;
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let (m_email, h_email) = (member.email.clone(), helper.email.clone());
    browser
        .run("app-doorstep", |c, base| async move {
            use crate::browser::{assert_accessible, keep_screenshot, wait_for_text};
            crate::app::sign_in(&c, &base, &m_email).await;
            let box_ = wait_for_text(
                &c,
                "main .doorstep",
                "When Hal comes to your door, they will say:",
            )
            .await;
            let big = box_.find(fantoccini::Locator::Css(".words")).await.unwrap();
            assert_eq!(big.text().await.unwrap(), words);
            assert!(box_
                .text()
                .await
                .unwrap()
                .contains("do not let them in: ring Test Circle on 020 7946 0999"));
            keep_screenshot(&c, "app-doorstep-member-phone").await;
            assert_accessible(&c, "a member's help with the doorstep words").await;
            c.execute("sessionStorage.clear(); localStorage.clear();", vec![])
                .await
                .unwrap();
            c.delete_all_cookies().await.unwrap();
            crate::app::sign_in(&c, &base, &h_email).await;
            c.goto(&format!("{base}/app/#/visits/{id}")).await.unwrap();
            let say = wait_for_text(
                &c,
                "main .doorstep",
                "Say these words at the door, so that Ada knows it is you:",
            )
            .await;
            assert!(say.text().await.unwrap().contains(&words));
            keep_screenshot(&c, "app-doorstep-helper-phone").await;

            // Running late, in one tap: the member is told, and her screen says when.
            crate::browser::button(&c, "I am running about 15 minutes late")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(
                &c,
                "main .message",
                "Ada has been told you will be there at about",
            )
            .await;
            keep_screenshot(&c, "app-running-late-helper-phone").await;
            assert_accessible(&c, "a helper's visit, running late").await;
            c.execute("sessionStorage.clear(); localStorage.clear();", vec![])
                .await
                .unwrap();
            c.delete_all_cookies().await.unwrap();
            crate::app::sign_in(&c, &base, &m_email).await;
            wait_for_text(
                &c,
                "main",
                "Hal is running late, and will be with you at about",
            )
            .await;
            keep_screenshot(&c, "app-running-late-member-phone").await;
        })
        .await;
}

crate::on_both_backends!(backend: a_member_on_the_phone_is_rung_with_who_is_coming_and_the_words);

/// A member with no email or mobile is on the coordinators' "who is coming" call list, with the
/// helper, the day and the words at the door, until a call with them is logged; a member with an
/// email is not.
async fn a_member_on_the_phone_is_rung_with_who_is_coming_and_the_words(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let emailed = app.member().await;
    let mut edna = TestApp::member_body("unused@example.org");
    edna.as_object_mut().unwrap().remove("email");
    edna.as_object_mut().unwrap().remove("password");
    edna["name"] = json!("Edna Okoye");
    edna["phone"] = json!("020 7946 0123");
    let edna = app
        .post("/api/v1/members", Some(&coord.token), edna)
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut ask = TestApp::request_body("gardening");
    let start = chrono::Utc::now() + chrono::Duration::days(1);
    ask["window"] = json!({"start": start.to_rfc3339(), "end": (start + chrono::Duration::hours(4)).to_rfc3339()});
    ask["member_id"] = json!(edna);
    let r = app
        .post("/api/v1/requests", Some(&coord.token), ask)
        .await
        .expect(201);
    let id = r["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/requests/{id}/assign"),
        Some(&coord.token),
        json!({"helper_id": helper.id}),
    )
    .await
    .expect(200);
    let (emailed_visit, _) = assigned(&app, &emailed, &helper, 1).await;
    let words = crate::doorstep::words_of(&app, &id, &coord.token).await;

    let calls = calls_to_make(&app, &coord.token).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    assert_eq!(call["person_name"], "Edna Okoye");
    assert_eq!(call["person_phone"], "020 7946 0123");
    assert_eq!(call["request_id"], id.as_str());
    assert_ne!(call["request_id"], emailed_visit.as_str());
    let summary = call["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Ring to say Hal Helper is coming to help with"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("\u{201c}{words}\u{201d}")),
        "{summary}"
    );

    // A note is not a call; a call logged after the helper said yes ends it.
    let notes = format!("/api/v1/people/{edna}/notes");
    app.post(
        &notes,
        Some(&coord.token),
        json!({"kind": "note", "text": "Prefers mornings"}),
    )
    .await
    .expect(201);
    assert_eq!(calls_to_make(&app, &coord.token).await.len(), 1);
    app.post(
        &notes,
        Some(&coord.token),
        json!({"kind": "call", "text": "Told Edna Hal is coming, and the words"}),
    )
    .await
    .expect(201);
    assert!(calls_to_make(&app, &coord.token).await.is_empty());
}

/// The "who is coming" lines of the follow-ups.
async fn calls_to_make(app: &TestApp, token: &str) -> Vec<serde_json::Value> {
    app.get("/api/v1/follow-ups?limit=100", Some(token))
        .await
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "tell_who_is_coming")
        .cloned()
        .collect()
}

/// The words at the door of the visit `id`, as `token`'s holder reads them.
pub(crate) async fn words_of(app: &TestApp, id: &str, token: &str) -> String {
    app.get(&format!("/api/v1/requests/{id}/doorstep"), Some(token))
        .await
        .expect(200)["words"]
        .as_str()
        .unwrap()
        .to_string()
}

/// When the helper plans to arrive at the visit `id`, as `token`'s holder reads it.
pub(crate) async fn planned_start(app: &TestApp, id: &str, token: &str) -> chrono::NaiveDateTime {
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(token))
        .await
        .expect(200);
    chrono::DateTime::parse_from_rfc3339(seen["planned_start"].as_str().unwrap())
        .unwrap()
        .naive_utc()
}
