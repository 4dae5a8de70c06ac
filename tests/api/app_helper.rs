//! A helper's phone: a standing request's offer taken for every week, the moment the app asks to
//! send messages to the phone, and a push delivered through the DevTools protocol shown as a
//! notification that opens its page.

use serde_json::{json, Value};

use crate::app::sign_in;
use crate::harness::{Backend, TestApp};

/// The notifications the app's service worker is showing: `[title, body, url]` each.
async fn notifications(c: &fantoccini::Client) -> Value {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         navigator.serviceWorker.ready
           .then((r) => r.getNotifications())
           .then((ns) => done(ns.map((n) => [n.title, n.body, n.data && n.data.url])))
           .catch((e) => done(String(e)));",
        vec![],
    )
    .await
    .unwrap()
}

/// Deliver `payload` to the app's service worker as a push. The registration's id is not exposed
/// to the page; a fresh profile numbers registrations from 0, and the protocol refuses ids it
/// does not know, so the first it takes is the app's.
async fn deliver_push(c: &fantoccini::Client, base: &str, payload: &Value) {
    // A push given to a worker still installing is dropped: wait for the active one.
    let state = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.ready.then(async (r) => {
               const w = r.active;
               if (w.state !== 'activated') {
                 await new Promise((ok) => w.addEventListener('statechange', () => w.state === 'activated' && ok()));
               }
               done(w.state);
             });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(state, json!("activated"));
    crate::browser::cdp(c, "ServiceWorker.enable", json!({})).await;
    let mut refused = Vec::new();
    for id in 0..5 {
        let sent = crate::browser::try_cdp(
            c,
            "ServiceWorker.deliverPushMessage",
            json!({"origin": base, "registrationId": id.to_string(), "data": payload.to_string()}),
        )
        .await;
        match sent {
            Ok(_) => return,
            Err(e) => refused.push(e.to_string()),
        }
    }
    panic!("no service worker registration took the push: {refused:?}");
}

#[tokio::test]
async fn a_helper_becomes_the_regular_and_is_told_on_the_phone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    let series = crate::series::weekly_series(&app, &member).await;
    let email = helper.email.clone();
    let pushed = json!({
        "title": "Someone nearby needs help",
        "body": "Help with the garden on Tuesday morning. Can you help?",
        "url": "/app/#/",
    });
    browser
        .run("app-helper-regular", |c, base| async move {
            use crate::browser::{
                assert_accessible, cdp, keep_screenshot, press_button, wait_for_text,
            };
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main li", "one visit of a regular arrangement").await;
            crate::console::assert_reads_as_words(&c, "app helper regular offer").await;
            press_button(&c, "Yes, and the visits after it too").await;

            // The first job taken is the moment to ask about messages on the phone.
            wait_for_text(&c, "main", "Shall this phone tell you").await;
            keep_screenshot(&c, "app-push-ask-phone").await;
            assert_accessible(&c, "app push ask").await;
            cdp(
                &c,
                "Browser.grantPermissions",
                json!({"origin": base, "permissions": ["notifications"]}),
            )
            .await;
            press_button(&c, "Yes, tell me on this phone").await;
            // Subscribing needs the browser's push service, which this machine cannot reach: the
            // helper is told so in words, and emails still come.
            let said = wait_for_text(&c, "main .message", "phone").await;
            let said = said.text().await.unwrap();
            assert!(
                said.contains("this phone will tell you") || said.contains("could not be set up"),
                "{said}"
            );

            // A push reaches the service worker and shows as a notification with its page.
            // Delivered again if none shows within ten seconds: a worker the browser was
            // still starting can miss one (seen under load).
            let mut shown = json!([]);
            'delivering: for _ in 0..3 {
                deliver_push(&c, &base, &pushed).await;
                for _ in 0..100 {
                    shown = notifications(&c).await;
                    if shown.as_array().is_some_and(|n| !n.is_empty()) {
                        break 'delivering;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
            assert_eq!(shown, json!([[pushed["title"], pushed["body"], "/app/#/"]]),);
        })
        .await;
    let s = app
        .get(&format!("/api/v1/series/{series}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(
        s["helper"]["id"],
        helper.id.as_str(),
        "the regular helper: {s}"
    );
}

/// A neighbour applies to help with "use where I am now": the phone's position (set through
/// DevTools) becomes their home, with no postcode typed and no coordinate shown.
#[tokio::test]
async fn a_helper_applies_from_where_they_are() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    browser
        .run("app-join-here", |c, base| async move {
            use crate::browser::{assert_accessible, cdp, labelled, press_button, wait_for_text};
            cdp(
                &c,
                "Browser.grantPermissions",
                json!({"origin": base, "permissions": ["geolocation"]}),
            )
            .await;
            cdp(
                &c,
                "Emulation.setGeolocationOverride",
                json!({"latitude": 51.4700, "longitude": -0.0690, "accuracy": 30}),
            )
            .await;
            c.goto(&format!("{base}/app/#/join/helper")).await.unwrap();
            wait_for_text(&c, "main h1", "Offer to help").await;
            for (label, text) in [
                ("Your name", "Hetty Nearby"),
                ("Your email", "hetty@example.org"),
                ("Choose a password", "a long enough password"),
            ] {
                labelled(&c, label).await.send_keys(text).await.unwrap();
            }
            c.find(fantoccini::Locator::Css("input[value=shopping]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            press_button(&c, "Use where I am now").await;
            wait_for_text(&c, "[role=status]", "we will use where you are now").await;
            crate::browser::keep_screenshot(&c, "app-join-here-phone").await;
            assert_accessible(&c, "app join from here").await;
            crate::console::assert_reads_as_words(&c, "app join from here").await;
            press_button(&c, "Apply to help").await;
            wait_for_text(&c, "[role=status]", "A coordinator will ring you").await;
        })
        .await;
    let coord = app.coordinator().await;
    let pending = app
        .get("/api/v1/helpers?vetting=pending", Some(&coord.token))
        .await
        .expect(200);
    let hetty = pending["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Hetty Nearby")
        .cloned()
        .unwrap_or_else(|| panic!("applied: {pending}"));
    let home = &hetty["home"];
    assert!(
        (home["lat"].as_f64().unwrap() - 51.4700).abs() < 1e-6,
        "{hetty}"
    );
    assert!(
        (home["lon"].as_f64().unwrap() + 0.0690).abs() < 1e-6,
        "{hetty}"
    );
}
