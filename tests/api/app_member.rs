//! A member's own screens in the app, on an emulated phone against the real server: regular help
//! (start, pause, stop after asking twice), their hours and membership, a worry about someone,
//! their details, a forgotten password, one request and one get-together from an email's link.
//! Each screen is accessible and reads as words.

use serde_json::{json, Value};

use crate::app::sign_in;
use crate::harness::{Backend, TestApp};

async fn open_link(c: &fantoccini::Client, text: &str) {
    c.find(fantoccini::Locator::LinkText(text))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn set_value(c: &fantoccini::Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![json!(id), json!(value)],
    )
    .await
    .unwrap();
}

/// Each screen: accessible, in words, and kept for docs/app.md.
async fn looked_at(c: &fantoccini::Client, screen: &str) {
    crate::browser::keep_screenshot(c, &format!("app-{screen}-phone")).await;
    crate::browser::assert_accessible(c, screen).await;
    crate::console::assert_reads_as_words(c, screen).await;
}

#[tokio::test]
async fn a_member_keeps_regular_help_and_their_own_details_on_a_phone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let _helper = app.helper(&coord).await;
    let member = app.member().await;
    let today = chrono::Utc::now().date_naive();
    app.post(
        &format!("/api/v1/members/{}/memberships", member.id),
        Some(&coord.token),
        json!({"starts_on": today.to_string(), "ends_on": (today + chrono::Duration::days(365)).to_string(), "fee_pence": 2500}),
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/v1/members/{}/account/credits", member.id),
        Some(&coord.token),
        json!({"tokens": 5, "amount_pence": 1000}),
    )
    .await
    .expect(201);
    let request = app.request(&member).await;
    let event = crate::events::event(&app, &coord, chrono::Duration::days(5), 20).await;
    let (email, request_id) = (
        member.email.clone(),
        request["id"].as_str().unwrap().to_string(),
    );
    let token = {
        let app = &app;
        move || async move { crate::people::reset_token(app, &email).await }
    };
    let email = member.email.clone();
    browser
        .run("app-member", |c, base| async move {
            use crate::browser::{labelled, press_button, type_into, wait_for_text};
            sign_in(&c, &base, &email).await;

            // Regular help: started, paused, started again, then stopped after asking twice.
            open_link(&c, "Regular help").await;
            wait_for_text(&c, "main h1", "Regular help").await;
            wait_for_text(&c, "main", "You have no regular help yet.").await;
            c.find(fantoccini::Locator::Css("summary"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            set_value(&c, "r-kind", "gardening").await;
            set_value(&c, "r-day", "tue").await;
            type_into(&c, "What needs doing?", "Sweep the <i>yard</i>").await;
            looked_at(&c, "regular-start").await;
            press_button(&c, "Start this regular help").await;
            wait_for_text(&c, "[role=status]", "we are asking helpers nearby").await;
            wait_for_text(&c, "main li", "Help with the garden, every Tuesday morning").await;
            wait_for_text(&c, "main li", "Sweep the <i>yard</i>").await;
            wait_for_text(&c, "main li", "Next: Tuesday").await;
            looked_at(&c, "regular").await;
            // Pausing says what it does first, and may end on a day.
            press_button(&c, "Pause it for a while").await;
            wait_for_text(&c, "main li", "Pause this regular help?").await;
            wait_for_text(&c, "main li", "Visits nobody has taken yet are cancelled").await;
            c.execute(
                "const s = document.querySelector('main li select'); s.value = s.options[2].value;",
                vec![],
            )
            .await
            .unwrap();
            looked_at(&c, "regular-pause").await;
            press_button(&c, "Yes, pause it").await;
            wait_for_text(
                &c,
                "[role=status]",
                "Paused. It starts again by itself from",
            )
            .await;
            wait_for_text(&c, "main li", "Paused. It starts again by itself from").await;
            press_button(&c, "Start it again now").await;
            wait_for_text(&c, "[role=status]", "Started again").await;
            press_button(&c, "Stop it").await;
            wait_for_text(&c, "main li", "Stop this regular help?").await;
            press_button(&c, "No, keep it").await;
            wait_for_text(&c, "main li", "Help with the garden, every Tuesday morning").await;
            press_button(&c, "Stop it").await;
            press_button(&c, "Yes, stop it").await;
            wait_for_text(&c, "[role=status]", "Stopped.").await;
            wait_for_text(&c, "main", "You have no regular help yet.").await;

            // Hours and membership.
            c.goto(&format!("{base}/app/#/account")).await.unwrap();
            wait_for_text(&c, "main h1", "Your hours and membership").await;
            wait_for_text(&c, "main", "You have 5 hours of help left.").await;
            wait_for_text(&c, "main", "Your membership runs until").await;
            wait_for_text(&c, "main li", "5 hours added (£10.00).").await;
            looked_at(&c, "account").await;

            // A worry about someone.
            c.goto(&format!("{base}/app/#/concern")).await.unwrap();
            wait_for_text(&c, "main h1", "A worry about someone").await;
            press_button(&c, "Tell a coordinator").await;
            wait_for_text(&c, "[role=alert]", "Please say what worries you").await;
            set_value(&c, "c-kind", "financial").await;
            type_into(
                &c,
                "What worries you?",
                "A caller asked my neighbour for her bank card.",
            )
            .await;
            looked_at(&c, "concern").await;
            press_button(&c, "Tell a coordinator").await;
            wait_for_text(&c, "main h1", "Thank you for telling us").await;
            open_link(&c, "Back to your help").await;
            wait_for_text(&c, "main h1", "Your help").await;
            open_link(&c, "A worry about someone").await;
            wait_for_text(
                &c,
                "main li",
                "Money or belongings. New, not yet picked up.",
            )
            .await;

            // Details: a new phone number and a postcode the Circle does not know.
            c.goto(&format!("{base}/app/#/details")).await.unwrap();
            wait_for_text(&c, "main h1", "Your details").await;
            let phone = labelled(&c, "Your phone number").await;
            phone.clear().await.unwrap();
            phone.send_keys("020 7946 0999").await.unwrap();
            type_into(
                &c,
                "Anything a helper should know at your door?",
                "I am slow to the door: please wait.",
            )
            .await;
            type_into(&c, "Who should we ring in an emergency?", "Rose Okoye").await;
            type_into(&c, "Their phone number", "07700 900123").await;
            type_into(&c, "Your new postcode", "zz99 9zz").await;
            press_button(&c, "Save my details").await;
            wait_for_text(&c, "[role=alert]", "postcode").await;
            looked_at(&c, "details").await;
            labelled(&c, "Your new postcode")
                .await
                .clear()
                .await
                .unwrap();
            labelled(&c, "How should we reach you first?")
                .await
                .select_by_value("phone_call")
                .await
                .unwrap();
            labelled(&c, "And if that does not work?")
                .await
                .select_by_value("email")
                .await
                .unwrap();
            press_button(&c, "Save my details").await;
            wait_for_text(&c, "[role=status]", "your details are saved").await;
            // Read back: how to reach her is kept, in her order.
            c.refresh().await.unwrap();
            wait_for_text(&c, "main h1", "Your details").await;
            let first = labelled(&c, "How should we reach you first?").await;
            assert_eq!(
                first.prop("value").await.unwrap().as_deref(),
                Some("phone_call")
            );
            let next = labelled(&c, "And if that does not work?").await;
            assert_eq!(next.prop("value").await.unwrap().as_deref(), Some("email"));

            // One request, as an email links to it.
            c.goto(&format!("{base}/app/#/requests/{request_id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Your request").await;
            wait_for_text(&c, "main li", "Help with the garden").await;
            looked_at(&c, "request").await;

            // One get-together, as an email links to it.
            c.goto(&format!("{base}/app/#/events/{event}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Coffee morning").await;
            wait_for_text(&c, "main a", "All get-togethers").await;
            looked_at(&c, "event").await;

            // A forgotten password: the link by email, then a new password from it.
            press_button(&c, "Sign out").await;
            wait_for_text(&c, "main h1", "Sign in").await;
            open_link(&c, "Forgotten your password?").await;
            wait_for_text(&c, "main h1", "Forgotten your password?").await;
            type_into(&c, "Your email", &email).await;
            press_button(&c, "Send me a link").await;
            wait_for_text(&c, "[role=status]", "a link is on its way").await;
            looked_at(&c, "forgot").await;
            let token = token().await.expect("a reset email");
            c.goto(&format!("{base}/app/#/reset/{token}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Choose a new password").await;
            type_into(&c, "A new password", "a new long password").await;
            type_into(&c, "The same again", "a new long passwore").await;
            press_button(&c, "Save the new password").await;
            wait_for_text(&c, "[role=alert]", "not the same").await;
            labelled(&c, "The same again").await.clear().await.unwrap();
            type_into(&c, "The same again", "a new long password").await;
            press_button(&c, "Save the new password").await;
            wait_for_text(&c, "[role=status]", "Your password is changed").await;
            looked_at(&c, "reset").await;
        })
        .await;

    let series = app
        .get("/api/v1/series", Some(&coord.token))
        .await
        .expect(200);
    let items = series["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "started once: {series}");
    assert_eq!(items[0]["status"], "ended");
    assert_eq!(items[0]["category"], "gardening");
    assert_eq!(items[0]["weekday"], "tue");
    let concerns = app
        .get("/api/v1/concerns", Some(&coord.token))
        .await
        .expect(200);
    let raised: Vec<&Value> = concerns["items"].as_array().unwrap().iter().collect();
    assert_eq!(raised.len(), 1, "{concerns}");
    assert_eq!(raised[0]["category"], "financial");
    assert_eq!(raised[0]["urgency"], "routine");
    let me = app
        .get(
            &format!("/api/v1/members/{}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(me["phone"], "020 7946 0999");
    assert_eq!(me["access_needs"], "I am slow to the door: please wait.");
    assert_eq!(me["emergency_contact"]["name"], "Rose Okoye");
    let old = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": member.email, "password": crate::harness::PASSWORD}),
        )
        .await;
    assert_eq!(old.status, 401, "the old password no longer works");
    app.post(
        "/api/v1/auth/login",
        None,
        json!({"email": member.email, "password": "a new long password"}),
    )
    .await
    .expect(200);
}
