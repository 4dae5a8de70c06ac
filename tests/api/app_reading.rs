//! Reading the app: every screen offers "Read this aloud" (the speech call checked through a stub
//! of `speechSynthesis` in the page, not a sound), and at double text size no screen scrolls
//! sideways on a phone; the size is kept when the app opens again.

use fantoccini::Client;
use serde_json::json;

use crate::browser::{assert_accessible, keep_screenshot, wait_for, Browser};
use crate::harness::{Backend, TestApp};

/// Replace the phone's voice with a recorder: what would be spoken is kept in `__spoken`.
async fn stub_speech(c: &Client) {
    c.execute(
        "window.__spoken = []; \
         window.speechSynthesis.speak = (u) => window.__spoken.push(u.text); \
         window.speechSynthesis.cancel = () => {};",
        vec![],
    )
    .await
    .unwrap();
}

/// Press "Read this aloud" and check the screen's heading was read.
async fn reads_aloud(c: &Client, screen: &str) {
    let heading = wait_for(c, "main h1").await.text().await.unwrap();
    c.find(fantoccini::Locator::Id("read-aloud"))
        .await
        .unwrap_or_else(|_| panic!("{screen}: \"Read this aloud\""))
        .click()
        .await
        .unwrap();
    let spoken = c
        .execute("return window.__spoken.join(' ');", vec![])
        .await
        .unwrap();
    assert!(
        spoken.as_str().unwrap().contains(&heading),
        "{screen}: read {spoken} without {heading:?}"
    );
    // Pressed again, it stops.
    let again = c.find(fantoccini::Locator::Id("read-aloud")).await.unwrap();
    assert_eq!(again.text().await.unwrap(), "Stop reading");
    again.click().await.unwrap();
}

/// Nothing on the screen is wider than the phone.
async fn no_sideways_scrolling(c: &Client, screen: &str) {
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth, getComputedStyle(document.documentElement).fontSize];",
            vec![],
        )
        .await
        .unwrap();
    let w = widths.as_array().unwrap();
    assert!(
        w[0].as_f64().unwrap() <= w[1].as_f64().unwrap(),
        "{screen} scrolls sideways at {}: {widths}",
        w[2]
    );
}

#[tokio::test]
async fn every_screen_reads_aloud_and_doubles_its_text_without_scrolling_sideways() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let member = app.member().await;
    let Some(browser) = Browser::start_phone(&app.address).await else {
        return;
    };
    let email = member.email.clone();
    browser
        .run("app-reading", |c, base| async move {
            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for(&c, "#text-size").await;
            stub_speech(&c).await;
            reads_aloud(&c, "signing in").await;
            c.execute(
                "const s = document.getElementById('text-size'); s.value = '200'; s.dispatchEvent(new Event('change'));",
                vec![],
            )
            .await
            .unwrap();
            no_sideways_scrolling(&c, "signing in").await;
            keep_screenshot(&c, "app-text-double-phone").await;
            assert_accessible(&c, "signing in, at double text size").await;

            crate::app::sign_in(&c, &base, &email).await;
            let size = c
                .execute("return document.documentElement.style.fontSize;", vec![])
                .await
                .unwrap();
            assert_eq!(size, json!("200%"), "the size is kept when the app opens again");
            for (route, screen) in [
                ("#/", "your help"),
                ("#/ask", "asking for help"),
                ("#/events", "get-togethers"),
                ("#/account", "hours and membership"),
                ("#/regular", "regular help"),
                ("#/details", "your details"),
            ] {
                // The screen before stays until the new one is drawn: wait for its heading to go.
                let before = wait_for(&c, "main h1").await.text().await.unwrap();
                let here = c.current_url().await.unwrap();
                let moved = !here.as_str().ends_with(&format!("/app/{route}"));
                c.goto(&format!("{base}/app/{route}")).await.unwrap();
                for _ in 0..200 {
                    if !moved {
                        break;
                    }
                    let now = wait_for(&c, "main h1").await.text().await.unwrap_or_default();
                    if now != before {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                stub_speech(&c).await;
                no_sideways_scrolling(&c, screen).await;
                reads_aloud(&c, screen).await;
            }
        })
        .await;
}
