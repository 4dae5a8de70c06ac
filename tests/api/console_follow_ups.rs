//! Follow-ups in the console, in a real browser on the real server: Today says how many and
//! shows the oldest; the Follow-ups page lists a visit with no outcome, a concern due for review,
//! a member no one can reach and a call-back, each in words with whom to ring; a call-back set on
//! a person's record shows there from its day, and "I rang" takes it off the list.

use serde_json::json;

use crate::browser::{assert_accessible, button, keep_screenshot, labelled, wait_for_text};
use crate::console::{app_and_browser, assert_reads_as_words, sign_in};

#[tokio::test]
async fn a_coordinator_works_through_the_follow_ups() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let edna = app
        .post(
            "/api/v1/members",
            Some(&coord.token),
            json!({"name": "Edna Landline", "phone": "020 7946 0999", "address": "3 Bellenden Road, SE15",
                   "location": {"lat": 51.468, "lon": -0.071}}),
        )
        .await
        .expect(201);
    let edna_id = edna["id"].as_str().unwrap().to_string();
    // A concern raised eight days ago, a visit whose window ended a week ago, a call-back for today.
    app.post(
        "/api/v1/concerns",
        Some(&coord.token),
        json!({"about_id": member.id, "category": "self_neglect", "description": "Not eating well", "urgency": "routine"}),
    )
    .await
    .expect(201);
    crate::visits::assigned(&app, &member, &helper, 1).await;
    app.travel(chrono::Duration::days(8));
    let today = app.clock.now().date();
    app.post(
        &format!("/api/v1/people/{edna_id}/notes"),
        Some(&coord.token),
        json!({"kind": "call_back", "text": "Ask whether the new glasses help", "due_on": today.to_string()}),
    )
    .await
    .expect(201);
    let before = app
        .get("/api/v1/follow-ups", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(before["total"], 4, "{before}");

    let coord_email = coord.email.clone();
    browser
        .run("console-follow-ups", |c, base| async move {
            sign_in(&c, &base, &coord_email).await;
            wait_for_text(&c, "main h2", "To follow up (4)").await;
            wait_for_text(&c, "main nav", "4 to follow up").await;
            wait_for_text(&c, "#follow-ups", "Ask whether the new glasses help").await;

            c.goto(&format!("{base}/console#/follow-ups")).await.unwrap();
            wait_for_text(&c, "main h1", "Follow-ups").await;
            wait_for_text(&c, "main", "4 things to follow up, the oldest first.").await;
            wait_for_text(&c, "main li", "Visit with no outcome").await;
            wait_for_text(&c, "main li", "no one has said how it went").await;
            wait_for_text(&c, "main li", "Concern to review").await;
            wait_for_text(&c, "main li", "No one owns it yet").await;
            wait_for_text(&c, "main li", "No way to reach them").await;
            wait_for_text(&c, "main li", "Call-back").await;
            // Whom to ring: a link a phone can call.
            let tel = c
                .find(fantoccini::Locator::Css("main li a[href^='tel:']"))
                .await
                .unwrap();
            assert_eq!(tel.attr("href").await.unwrap().as_deref(), Some("tel:02079460999"));
            assert_reads_as_words(&c, "follow-ups").await;
            c.set_window_size(390, 844).await.unwrap();
            keep_screenshot(&c, "follow-ups-phone").await;
            c.set_window_size(1280, 1000).await.unwrap();
            keep_screenshot(&c, "follow-ups").await;
            assert_accessible(&c, "follow-ups").await;

            button(&c, "I rang Edna Landline").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Marked done.").await;
            wait_for_text(&c, "main", "3 things to follow up, the oldest first.").await;

            // A call-back set on her record for today shows on Follow-ups; "I rang" there too.
            c.goto(&format!("{base}/console#/account/{edna_id}")).await.unwrap();
            wait_for_text(&c, "main h1", "Edna Landline's account").await;
            wait_for_text(&c, "main section", "Ring on").await;
            c.execute(
                "const s = [...document.querySelectorAll('main select')].find((e) => e.closest('section[aria-label=\"Notes and calls\"]')); s.value = 'call_back'; s.dispatchEvent(new Event('change'));",
                vec![],
            )
            .await
            .unwrap();
            let day = labelled(&c, "Ring on").await;
            c.execute(
                "arguments[0].value = arguments[1];",
                vec![
                    serde_json::to_value(&day).unwrap(),
                    json!(today.to_string()),
                ],
            )
            .await
            .unwrap();
            labelled(&c, "What was said or done")
                .await
                .send_keys("Ring about the lunch club")
                .await
                .unwrap();
            button(&c, "Keep it on the record").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Kept on Edna Landline's record.").await;
            wait_for_text(&c, "main section li", "Ring about the lunch club").await;
            keep_screenshot(&c, "account-call-back").await;
            c.goto(&format!("{base}/console#/follow-ups")).await.unwrap();
            wait_for_text(&c, "main li", "Ring about the lunch club").await;
            c.goto(&format!("{base}/console#/account/{edna_id}")).await.unwrap();
            wait_for_text(&c, "main section li", "Ring about the lunch club").await;
            button(&c, "I rang").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "The call-back is marked done.").await;
        })
        .await;

    let after = app
        .get("/api/v1/follow-ups", Some(&coord.token))
        .await
        .expect(200);
    let kinds: Vec<&str> = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.len(),
        3,
        "both call-backs done, the rest still to do: {after}"
    );
    assert!(!kinds.contains(&"call_back"), "{after}");
}
