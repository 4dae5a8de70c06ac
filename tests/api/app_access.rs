//! The app for people who do not use a touch screen as most do: by keyboard alone (signing in,
//! asking for help, cancelling it, taking a job), and on a narrow phone with its text at twice
//! the size (320 CSS pixels wide, text at 200 %), where no screen may scroll sideways.

use serde_json::json;

use crate::harness::{Backend, TestApp};

/// Type `text` into the focused element.
async fn type_here(c: &fantoccini::Client, text: &str) {
    c.active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// The focused element shows where the focus is (an outline or a ring).
async fn assert_focus_shows(c: &fantoccini::Client, what: &str) {
    let style = c
        .execute(
            "const s = getComputedStyle(document.activeElement);
             return [s.outlineStyle, s.outlineWidth, s.boxShadow];",
            vec![],
        )
        .await
        .unwrap();
    let shown = style[0] != "none" && style[1] != "0px" || style[2] != "none";
    assert!(shown, "{what}: the focus does not show ({style})");
}

#[tokio::test]
async fn the_app_works_by_keyboard_alone() {
    use fantoccini::key::Key;
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    let (member_email, helper_email) = (member.email.clone(), helper.email.clone());
    let sign_in = |email: String| {
        move |c: fantoccini::Client| async move {
            use crate::browser::{press, tab_to, wait_for_text};
            wait_for_text(&c, "main h1", "Sign in").await;
            tab_to(&c, "el.id === 'email'").await;
            assert_focus_shows(&c, "the email field").await;
            type_here(&c, &email).await;
            tab_to(&c, "el.id === 'password'").await;
            type_here(&c, crate::harness::PASSWORD).await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "main h1", "Your help").await;
            c
        }
    };
    browser
        .run("app-keyboard", |c, base| async move {
            use crate::browser::{press, tab_to, wait_for_text};
            c.goto(&format!("{base}/app/")).await.unwrap();
            let c = sign_in(member_email)(c).await;
            tab_to(&c, "el.textContent === 'Ask for help'").await;
            assert_focus_shows(&c, "a link").await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "main h1", "Ask for help").await;
            tab_to(&c, "el.id === 'kind'").await;
            type_here(&c, "Gardening").await;
            tab_to(&c, "el.id === 'what'").await;
            type_here(&c, "Sweep the leaves off the path").await;
            tab_to(&c, "el.textContent === 'Ask for this help'").await;
            assert_focus_shows(&c, "a button").await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "[role=status]", "we are asking helpers nearby").await;
            tab_to(&c, "el.textContent === 'Sign out'").await;
            press(&c, Key::Enter).await;
            let c = sign_in(helper_email)(c).await;
            tab_to(&c, "el.textContent === 'Yes, I can help'").await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "main", "Address: 12 Choumert Road").await;
            tab_to(&c, "el.textContent === 'Not now'").await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "main", "You can turn messages on from Your details").await;
            tab_to(&c, "el.textContent === 'Yes, I am coming'").await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "[role=status]", "your visit is confirmed").await;
        })
        .await;
    let mine = app
        .get("/api/v1/requests", Some(&member.token))
        .await
        .expect(200);
    let asked = &mine["items"][0];
    assert_eq!(asked["description"], "Sweep the leaves off the path");
    assert_eq!(asked["helper"]["id"], helper.id.as_str(), "{asked}");
    assert!(asked["confirmed_at"].is_string(), "{asked}");
}

/// The screens to look at, each with a text its heading shows (and one in its body).
const MEMBER_SCREENS: &[(&str, &str)] = &[
    ("#/", "Your help|Help with the garden"),
    ("#/ask", "Ask for help"),
    ("#/regular", "Regular help"),
    ("#/events", "Get-togethers|Coffee morning"),
    ("#/account", "Your hours and membership"),
    ("#/concern", "A worry about someone"),
    ("#/details", "Your details"),
];
const HELPER_SCREENS: &[(&str, &str)] = &[
    ("#/", "Your help|Help with the garden"),
    ("#/when", "When you can help"),
    ("#/details", "Your details"),
];
const OPEN_SCREENS: &[(&str, &str)] = &[
    ("#/", "Sign in"),
    ("#/forgot", "Forgotten your password?"),
    ("#/join", "Join Neighbourly"),
    ("#/join/member", "Ask for help with Neighbourly"),
    ("#/join/helper", "Offer to help"),
];

/// Each of `screens`: drawn, its text twice the size, and nothing wider than the screen.
async fn fits(c: &fantoccini::Client, base: &str, screens: &[(&str, &str)]) {
    for (route, heading) in screens {
        c.goto(&format!("{base}/app/{route}")).await.unwrap();
        c.execute("document.documentElement.style.fontSize = '250%';", vec![])
            .await
            .unwrap();
        let (heading, body) = heading.split_once('|').unwrap_or((heading, heading));
        crate::browser::wait_for_text(c, "main h1", heading).await;
        crate::browser::wait_for_text(c, "main", body).await;
        let sizes = c
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth,
                         [...document.querySelectorAll('body *')]
                           .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
                           .map((e) => e.tagName + ' ' + e.textContent.slice(0, 40))];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(sizes[1], json!(320), "the screen is 320 px wide");
        assert!(
            sizes[0].as_i64() <= sizes[1].as_i64(),
            "{route} scrolls sideways at 320 px with text at 200 %: {sizes}"
        );
        let name = route.trim_start_matches("#/").replace('/', "-");
        let name = if name.is_empty() { "start" } else { &name };
        crate::browser::keep_screenshot(c, &format!("app-{name}-320-zoom")).await;
    }
}

#[tokio::test]
async fn every_screen_fits_320_px_with_text_at_twice_the_size() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    // A laptop's browser made narrow: the phone emulation would put its own width back.
    let Some(browser) = crate::browser::Browser::start(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    app.request(&member).await;
    let (visit, _) = crate::visits::assigned(&app, &member, &helper, 2).await;
    crate::events::event(&app, &coord, chrono::Duration::days(5), 20).await;
    let (member_email, helper_email) = (member.email.clone(), helper.email.clone());
    browser
        .run("app-320", |c, base| async move {
            use crate::browser::{cdp, press_button, wait_for_text};
            cdp(
                &c,
                "Emulation.setDeviceMetricsOverride",
                json!({"width": 320, "height": 640, "deviceScaleFactor": 2, "mobile": false}),
            )
            .await;
            fits(&c, &base, OPEN_SCREENS).await;
            crate::app::sign_in(&c, &base, &member_email).await;
            fits(&c, &base, MEMBER_SCREENS).await;
            press_button(&c, "Sign out").await;
            wait_for_text(&c, "main h1", "Sign in").await;
            crate::app::sign_in(&c, &base, &helper_email).await;
            fits(&c, &base, HELPER_SCREENS).await;

            // And on a laptop, as the browser opens, for docs/app.md.
            cdp(&c, "Emulation.clearDeviceMetricsOverride", json!({})).await;
            for (route, name) in [("#/", "app-helper-laptop"), ("#/when", "app-when-laptop")] {
                c.goto(&format!("{base}/app/{route}")).await.unwrap();
                c.refresh().await.unwrap();
                wait_for_text(&c, "main h1", "").await;
                wait_for_text(&c, "main", "help").await;
                crate::browser::keep_screenshot(&c, name).await;
            }
            // A visit two days off: when arriving opens, and nothing else to press but "cannot come".
            c.goto(&format!("{base}/app/#/visits/{visit}"))
                .await
                .unwrap();
            wait_for_text(&c, "main", "You can say you have arrived from").await;
            let shown = c
                .execute("return document.querySelector('main').innerText;", vec![])
                .await
                .unwrap();
            let shown = shown.as_str().unwrap();
            for early in ["I have arrived", "I have finished", "It is done"] {
                assert!(!shown.contains(early), "{early} before the visit: {shown}");
            }
            crate::browser::keep_screenshot(&c, "app-visit-before-laptop").await;
            press_button(&c, "Sign out").await;
            wait_for_text(&c, "main h1", "Sign in").await;
            crate::app::sign_in(&c, &base, &member_email).await;
            wait_for_text(&c, "main h1", "Your help").await;
            crate::browser::keep_screenshot(&c, "app-member-laptop").await;
        })
        .await;
}
