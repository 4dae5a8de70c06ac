//! A helper rings to say they are away: the coordinator adds the time away on the helper's page,
//! and the visit in that time is offered to other helpers in the same step, said on screen and
//! checked against the API; a DBS certificate recorded behind their vetting.

use serde_json::json;

use crate::browser::{assert_accessible, button, keep_screenshot, labelled, wait_for_text};
use crate::console::{app_and_browser, assert_reads_as_words, sign_in};

#[tokio::test]
async fn a_coordinator_adds_time_away_and_the_visit_goes_to_others() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (visit, _) = crate::visits::assigned(&app, &member, &helper, 3).await;
    let cover = app.helper(&coord).await;
    let today = app.clock.now().date();
    let (first, last) = (
        today + chrono::Duration::days(2),
        today + chrono::Duration::days(4),
    );

    let (coord_email, helper_id) = (coord.email.clone(), helper.id.clone());
    browser
        .run("console-time-off", |c, base| async move {
            sign_in(&c, &base, &coord_email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/helpers/{helper_id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Hal Helper").await;
            wait_for_text(&c, "main summary", "Hal Helper's time away")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main li", "No time away to come.").await;
            for (label, day) in [("First day away", first), ("Last day away", last)] {
                let input = labelled(&c, label).await;
                c.execute(
                    "arguments[0].value = arguments[1];",
                    vec![
                        serde_json::to_value(&input).unwrap(),
                        json!(day.to_string()),
                    ],
                )
                .await
                .unwrap();
            }
            button(&c, "Add the time away").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Their visits in that time:").await;
            wait_for_text(&c, "main li", "offered to other helpers.").await;
            wait_for_text(&c, "main li", "Gardening for Ada Member").await;
            assert_reads_as_words(&c, "time away").await;
            keep_screenshot(&c, "helper-time-off").await;
            c.set_window_size(390, 844).await.unwrap();
            c.execute(
                "document.querySelector('[role=status]').scrollIntoView({block: 'center'});",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "helper-time-off-phone").await;
            c.set_window_size(1280, 1000).await.unwrap();
            assert_accessible(&c, "time away").await;

            // The checks behind the vetting: a DBS certificate recorded, read back in words.
            wait_for_text(&c, "main summary", "Checks behind Hal Helper's vetting")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main li", "No checks recorded yet.").await;
            labelled(&c, "Certificate number or referee")
                .await
                .send_keys("001234567890")
                .await
                .unwrap();
            button(&c, "Record the check").await.click().await.unwrap();
            wait_for_text(
                &c,
                "[role=status]",
                "The check is recorded on Hal Helper's vetting.",
            )
            .await;
            wait_for_text(&c, "main li", "DBS certificate: 0012 3456 7890, issued").await;
            wait_for_text(&c, "main li", "recorded by Cora Coordinator").await;
            keep_screenshot(&c, "helper-checks").await;
            wait_for_text(&c, "main summary", "Regular members of Hal Helper")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main li", "Hal Helper is nobody's regular helper yet.").await;
            assert_accessible(&c, "helper checks").await;
        })
        .await;

    let r = app
        .get(&format!("/api/v1/requests/{visit}"), Some(&coord.token))
        .await
        .expect(200);
    assert_ne!(r["status"], "assigned", "{r}");
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&cover.token))
        .await
        .expect(200);
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["request_id"] == visit.as_str()),
        "{inbox}"
    );
    let h = app
        .get(
            &format!("/api/v1/helpers/{}", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(h["availability"]["time_off"].as_array().unwrap().len(), 1);
}
