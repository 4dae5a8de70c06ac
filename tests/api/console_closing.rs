//! A person's account in the console, its rare steps done on screen: their data downloaded, signed
//! out on every phone, the account closed and reopened, and a person erased, each asked first and
//! the state it leaves shown at once; checked against the API.

use crate::browser::{assert_accessible, button, keep_screenshot, wait_for_text};
use crate::console::{app_and_browser, sign_in};

#[tokio::test]
async fn a_coordinator_closes_reopens_and_erases_an_account_on_screen() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let gone = app.member().await;
    let (coord_email, member_id, gone_id) =
        (coord.email.clone(), member.id.clone(), gone.id.clone());
    let downloads = browser.downloads.clone();
    browser
        .run("console-closing", |c, base| async move {
            sign_in(&c, &base, &coord_email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/account/{member_id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h2", "Their account").await;
            wait_for_text(&c, "main section", "The account is open.").await;

            // A call logged on her record, read back with who wrote it.
            wait_for_text(&c, "main section", "Nothing written yet.").await;
            c.execute(
                "const s = [...document.querySelectorAll('main select')].find((e) => e.closest('section[aria-label=\"Notes and calls\"]')); s.value = 'call';",
                vec![],
            )
            .await
            .unwrap();
            crate::browser::labelled(&c, "What was said or done")
                .await
                .send_keys("Rang Ada: managing well, will ring on Friday.")
                .await
                .unwrap();
            button(&c, "Keep it on the record").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Kept on Ada Member's record.").await;
            wait_for_text(&c, "main section li", "Rang Ada: managing well, will ring on Friday.").await;
            wait_for_text(&c, "main section li", "A call").await;
            keep_screenshot(&c, "account-notes").await;

            button(&c, "Download Ada Member's data").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "data is downloaded").await;
            let mut data = None;
            for _ in 0..100 {
                let file = std::fs::read_dir(&downloads)
                    .unwrap()
                    .filter_map(|e| e.ok())
                    .find(|e| e.file_name().to_string_lossy().ends_with(".json"));
                if let Some(file) = file {
                    data = serde_json::from_slice::<serde_json::Value>(&std::fs::read(file.path()).unwrap()).ok();
                    if data.is_some() {
                        break;
                    }
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let data = data.expect("the data file was downloaded");
            assert_eq!(data["user_id"], member_id.as_str());

            button(&c, "Sign out on every phone").await.click().await.unwrap();
            wait_for_text(&c, "[role=alert]", "Sign Ada Member out on every phone and computer?").await;
            button(&c, "Yes, sign them out").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "is signed out everywhere.").await;
            // The focus stays where the coordinator works, on what the step said.
            let focus = c
                .execute("return document.activeElement.textContent;", vec![])
                .await
                .unwrap();
            assert!(
                focus.as_str().unwrap().contains("is signed out everywhere."),
                "focus on {focus}"
            );
            // Their phone is a link a phone can call.
            let tel = c
                .execute(
                    "return document.querySelector('main a[href^=\"tel:\"]').getAttribute('href');",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(tel, serde_json::json!("tel:02079460001"));

            // Closing asks first, names what it does, and wants a reason.
            button(&c, "Close this account").await.click().await.unwrap();
            wait_for_text(&c, "[role=alert]", "Their requests not yet done are cancelled").await;
            keep_screenshot(&c, "account-close-ask").await;
            assert_accessible(&c, "account close").await;
            button(&c, "Yes, close the account").await.click().await.unwrap();
            wait_for_text(&c, "[role=alert]", "Please say why").await;
            crate::browser::labelled(&c, "Why it is closed")
                .await
                .send_keys("Moved to Kent")
                .await
                .unwrap();
            button(&c, "Yes, close the account").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "account is closed").await;
            wait_for_text(&c, "main section", "The account is closed").await;
            button(&c, "Reopen this account").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "account is open again").await;
            wait_for_text(&c, "main section", "The account is open.").await;

            // Erasing: "This cannot be undone", then the page says so.
            c.goto(&format!("{base}/console#/account/{gone_id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h2", "Their account").await;
            let erase = c
                .execute(
                    "return [...document.querySelectorAll('main section button')].map((b) => b.textContent).find((t) => t.startsWith('Erase '));",
                    vec![],
                )
                .await
                .unwrap();
            let erase = erase.as_str().unwrap().to_string();
            button(&c, &erase).await.click().await.unwrap();
            wait_for_text(&c, "[role=alert]", "This cannot be undone.").await;
            crate::browser::labelled(&c, "Why they are erased")
                .await
                .send_keys("Asked to be forgotten")
                .await
                .unwrap();
            let yes = erase.replacen("Erase", "Yes, erase", 1);
            button(&c, &yes).await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "is erased.").await;
            wait_for_text(&c, "main section", "Erased.").await;
            keep_screenshot(&c, "account-erased").await;
        })
        .await;
    // What the screens did, as the service holds it.
    app.get("/api/v1/me", Some(&member.token)).await.expect(401);
    let seen = app
        .get(
            &format!("/api/v1/members/{}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(seen["active"], true, "reopened: {seen}");
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200)
        .to_string();
    for action in [
        "user.exported",
        "user.signed_out_everywhere",
        "user.deactivated",
        "user.reactivated",
    ] {
        assert!(log.contains(action), "{action} missing: {log}");
    }
    let erased = app
        .get(&format!("/api/v1/members/{}", gone.id), Some(&coord.token))
        .await
        .expect(200);
    assert!(
        erased["name"]
            .as_str()
            .unwrap()
            .starts_with("Erased person"),
        "{erased}"
    );
}

/// An event cancelled on screen (asked first, with the reason members are told), and the weekly
/// report emailed to every coordinator from its page.
#[tokio::test]
async fn a_coordinator_cancels_an_event_and_sends_the_report_on_screen() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let id = crate::events::event(&app, &coord, chrono::Duration::days(5), 20).await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    crate::visits::assigned(&app, &member, &helper, 2).await;
    let (coord_email, event_id) = (coord.email.clone(), id.clone());
    browser
        .run("console-event-cancel", |c, base| async move {
            sign_in(&c, &base, &coord_email).await;
            wait_for_text(&c, "main h1", "Today").await;
            // A helper's diary, on the Helpers page.
            c.goto(&format!("{base}/console#/helpers")).await.unwrap();
            wait_for_text(&c, "main h1", "Helpers").await;
            crate::browser::type_into(&c, "Name, phone number or email", "Hal").await;
            button(&c, "Find").await.click().await.unwrap();
            // The search answers first; then its helper's diary is opened.
            wait_for_text(&c, "main details summary", "Visits of Hal Helper").await;
            c.find(fantoccini::Locator::XPath("//summary[starts-with(text(), 'Visits of ')]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main details ul", "Gardening for Ada Member").await;
            c.goto(&format!("{base}/console#/event/{event_id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h2", "Cancelling").await;
            // Changed first: more places and a new title, only what changed sent.
            c.find(fantoccini::Locator::XPath("//summary[text()='Change the event']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let title = crate::browser::labelled(&c, "Title").await;
            title.clear().await.unwrap();
            title.send_keys("Christmas coffee morning").await.unwrap();
            let places = crate::browser::labelled(&c, "Places").await;
            places.clear().await.unwrap();
            places.send_keys("25").await.unwrap();
            button(&c, "Save the changes").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "The event is changed.").await;
            wait_for_text(&c, "main h1", "Christmas coffee morning").await;
            button(&c, "Cancel this event").await.click().await.unwrap();
            wait_for_text(&c, "[role=alert]", "Everyone going and waiting is told").await;
            let yes = c
                .execute(
                    "return [...document.querySelectorAll('main button')].map((b) => b.textContent).find((t) => t.startsWith('Yes, cancel '));",
                    vec![],
                )
                .await
                .unwrap();
            let yes = yes.as_str().unwrap().to_string();
            button(&c, &yes).await.click().await.unwrap();
            wait_for_text(&c, "[role=alert]", "Please say why it is cancelled").await;
            crate::browser::labelled(&c, "Why it is cancelled (members are told)")
                .await
                .send_keys("The hall is flooded")
                .await
                .unwrap();
            button(&c, &yes).await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "is cancelled.").await;
            wait_for_text(&c, "main", "The hall is flooded").await;
            let left = c
                .execute(
                    "return [...document.querySelectorAll('main button')].some((b) => b.textContent === 'Cancel this event');",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(left, serde_json::json!(false), "nothing more to cancel");
            assert_accessible(&c, "event cancelled").await;

            c.goto(&format!("{base}/console#/report")).await.unwrap();
            button(&c, "Email it to every coordinator").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "is on its way to one coordinator.").await;
        })
        .await;
    let e = app
        .get(&format!("/api/v1/events/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(e["status"], "cancelled");
    assert_eq!(e["title"], "Christmas coffee morning");
    assert_eq!(e["capacity"], 25);
    assert_eq!(e["cancel_reason"], "The hall is flooded");
}
