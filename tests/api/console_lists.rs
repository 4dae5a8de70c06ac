//! The members list in the console, in a real browser on the real server: every member a page at
//! a time, found by where their membership stands, and downloaded as a CSV file in words (read
//! back with Python's csv module); the helpers list found by its checks running out.

use serde_json::json;

use crate::browser::{assert_accessible, button, keep_screenshot, labelled, wait_for_text};
use crate::console::{app_and_browser, assert_reads_as_words, sign_in};

#[tokio::test]
async fn a_coordinator_goes_through_the_members_and_downloads_them() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let today = app.clock.now().date();
    for i in 0..27 {
        let id = app
            .post(
                "/api/v1/members",
                Some(&coord.token),
                json!({"name": format!("Member {i:02}"), "phone": format!("020 7946 {:04}", 1000 + i),
                       "address": format!("{i} Lyndhurst Way, SE15"), "location": {"lat": 51.468, "lon": -0.071}}),
            )
            .await
            .expect(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        if i == 3 {
            app.post(
                &format!("/api/v1/members/{id}/memberships"),
                Some(&coord.token),
                json!({"starts_on": (today - chrono::Duration::days(300)).to_string(),
                       "ends_on": (today - chrono::Duration::days(20)).to_string(), "fee_pence": 2000}),
            )
            .await
            .expect(201);
        }
    }
    let downloads = browser.downloads.clone();
    let coord_email = coord.email.clone();
    browser
        .run("console-members", |c, base| async move {
            sign_in(&c, &base, &coord_email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/members")).await.unwrap();
            wait_for_text(&c, "main h1", "Members").await;
            wait_for_text(&c, "main p", "25 members shown; there are more.").await;
            button(&c, "Show 25 more").await.click().await.unwrap();
            wait_for_text(&c, "main p", "27 members shown.").await;
            wait_for_text(&c, "main li", "Member 26").await;
            let more_shown = c
                .execute(
                    "return [...document.querySelectorAll('main button')].some((b) => b.textContent.startsWith('Show 25 more') && b.offsetParent !== null);",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(more_shown, false, "no more to show once all are shown");
            assert_reads_as_words(&c, "members").await;
            keep_screenshot(&c, "members").await;
            assert_accessible(&c, "members").await;

            labelled(&c, "Membership")
                .await
                .select_by_value("ended")
                .await
                .unwrap();
            button(&c, "Show the members").await.click().await.unwrap();
            wait_for_text(&c, "main p", "One member shown.").await;
            wait_for_text(&c, "main li", "Membership ended").await;
            c.set_window_size(390, 844).await.unwrap();
            keep_screenshot(&c, "members-phone").await;
            c.set_window_size(1280, 1000).await.unwrap();

            button(&c, "Download this list (CSV)").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "neighbourly-members.csv").await;
            let mut text = None;
            for _ in 0..100 {
                text = std::fs::read_dir(&downloads)
                    .unwrap()
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .find(|p| p.extension().is_some_and(|x| x == "csv"))
                    .and_then(|p| std::fs::read_to_string(p).ok())
                    .filter(|t| !t.is_empty());
                if text.is_some() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let rows = crate::harness::read_csv(&text.expect("the list was downloaded"));
            assert_eq!(rows[0], ["Name", "Phone", "Email", "Address", "Membership", "Account"]);
            assert_eq!(rows.len(), 2, "the filter holds in the file: {rows:?}");
            assert_eq!(rows[1][0], "Member 03");
            assert!(rows[1][4].starts_with("Ended "), "{rows:?}");

            // How to reach her, set on her account in order, shown in words.
            c.find(fantoccini::Locator::LinkText("Member 03"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Member 03's account").await;
            wait_for_text(&c, "main dd", "A phone call").await;
            wait_for_text(&c, "main li", "None coming up.").await;
            labelled(&c, "First").await.select_by_value("phone_call").await.unwrap();
            labelled(&c, "Second").await.select_by_value("app").await.unwrap();
            button(&c, "Save their details").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "details are saved").await;
            wait_for_text(&c, "main dd", "A phone call, then the app").await;
            keep_screenshot(&c, "account-contact-by").await;

            c.goto(&format!("{base}/console#/helpers")).await.unwrap();
            wait_for_text(&c, "main h1", "Helpers").await;
            labelled(&c, "Only those whose checks run out within 30 days")
                .await
                .click()
                .await
                .unwrap();
            button(&c, "Show the helpers").await.click().await.unwrap();
            wait_for_text(&c, "main li", "No helper matches.").await;
        })
        .await;
}
