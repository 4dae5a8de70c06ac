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
    let planned = chrono::DateTime::parse_from_rfc3339(
        app.get(&format!("/api/v1/requests/{id}"), Some(&member.token))
            .await
            .expect(200)["planned_start"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
    .naive_utc();
    app.travel(planned - chrono::Duration::minutes(30) - app.clock.now());
    let words = app
        .get(
            &format!("/api/v1/requests/{id}/doorstep"),
            Some(&member.token),
        )
        .await
        .expect(200)["words"]
        .as_str()
        .unwrap()
        .to_string();
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
