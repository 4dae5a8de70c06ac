//! Staying signed in on a phone: "Keep me signed in on this phone" survives the browser being
//! closed and opened again, with the sign-in in an HttpOnly cookie and no token in any storage a
//! script can read; "Your details" lists where the person is signed in and signs out there.

use fantoccini::Client;
use serde_json::json;

use crate::browser::{button, keep_screenshot, labelled, wait_for_text, Browser};
use crate::harness::{Backend, TestApp, PASSWORD};

/// What scripts on the page can read: both storages and `document.cookie`, as one text.
async fn readable_by_scripts(c: &Client) -> String {
    c.execute(
        "return JSON.stringify({local: {...localStorage}, session: {...sessionStorage}, cookie: document.cookie});",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap()
    .to_string()
}

#[tokio::test]
async fn a_member_stays_signed_in_after_closing_the_app_and_signs_out_elsewhere() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let member = app.member().await;
    // Also signed in on a computer at the library, for one visit.
    app.client
        .post(format!("{}/api/v1/auth/login", app.address))
        .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36")
        .json(&json!({"email": member.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let Some(browser) = Browser::start_phone(&app.address).await else {
        return;
    };
    let c = browser.client.clone();
    let base = app.address.clone();
    c.goto(&format!("{base}/app/")).await.unwrap();
    wait_for_text(&c, "main h1", "Sign in").await;
    wait_for_text(&c, "main label", "Keep me signed in on this phone").await;
    let kept: bool = c
        .execute("return document.getElementById('stay').checked;", vec![])
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    assert!(kept, "kept is the default on the app's sign-in");
    labelled(&c, "Your email")
        .await
        .send_keys(&member.email)
        .await
        .unwrap();
    labelled(&c, "Your password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    button(&c, "Sign in").await.click().await.unwrap();
    wait_for_text(&c, "main h1", "Your help").await;
    let seen = readable_by_scripts(&c).await;
    assert!(!seen.contains("eyJ"), "no token where scripts read: {seen}");
    assert!(!seen.contains("neighbourly_refresh"), "{seen}");

    // The phone's browser closed, and opened again a week later.
    let profile = browser.close_keeping_profile().await;
    app.travel(chrono::Duration::days(7));
    let Some(browser) = Browser::start_phone_in(&app.address, profile).await else {
        return;
    };
    browser
        .run("app-stay-signed-in", |c, base| async move {
            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for_text(&c, "main h1", "Your help").await;
            let seen = readable_by_scripts(&c).await;
            assert!(!seen.contains("eyJ"), "no token where scripts read: {seen}");

            // Where she is signed in: this phone, and the library's computer, signed out there.
            c.goto(&format!("{base}/app/#/details")).await.unwrap();
            wait_for_text(&c, "main h2", "Where you are signed in").await;
            wait_for_text(&c, "main li", "Chrome on an Android phone (this phone)").await;
            wait_for_text(&c, "main li", "Chrome on Windows").await;
            c.execute(
                "[...document.querySelectorAll('main h2')].find((e) => e.textContent.startsWith('Where')).scrollIntoView();",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "app-signed-in-where-phone").await;
            crate::browser::assert_accessible(&c, "details").await;
            crate::console::assert_reads_as_words(&c, "details").await;
            button(&c, "Sign out there").await.click().await.unwrap();
            wait_for_text(&c, "main li", "Signed out on Chrome on Windows.").await;

            // Sign out everywhere asks first; then this phone is signed out too.
            button(&c, "Sign out everywhere").await.click().await.unwrap();
            wait_for_text(&c, "main", "this one too?").await;
            button(&c, "No, stay signed in").await.click().await.unwrap();
            button(&c, "Sign out everywhere").await.click().await.unwrap();
            button(&c, "Yes, sign out everywhere").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            c.goto(&format!("{base}/app/")).await.unwrap();
            c.refresh().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
        })
        .await;
    let sessions = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": member.email, "password": PASSWORD}),
        )
        .await
        .expect(200);
    let list = app
        .get("/api/v1/me/sessions", sessions["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the new one: {list}"
    );
}

/// A member with no password signs in on her phone with a code texted to her mobile: a wrong
/// code is said to be wrong, the right one signs her in.
#[tokio::test]
async fn a_member_without_a_password_signs_in_with_a_texted_code() {
    use crate::harness::RawDb;
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let coord = app.coordinator().await;
    let member = app.member().await;
    app.call(
        reqwest::Method::PATCH,
        &format!("/api/v1/members/{}", member.id),
        Some(&coord.token),
        Some(json!({"phone": "07700 900777"})),
    )
    .await
    .expect(200);
    let Some(browser) = Browser::start_phone(&app.address).await else {
        return;
    };
    let state = app.state.clone();
    browser
        .run("app-sign-in-by-code", |c, base| async move {
            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            button(&c, "Text me a code").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in with a code").await;
            labelled(&c, "Your mobile number")
                .await
                .send_keys("07700 900777")
                .await
                .unwrap();
            keep_screenshot(&c, "app-sign-in-code-ask-phone").await;
            button(&c, "Text me a code").await.click().await.unwrap();
            wait_for_text(&c, "main [role=status]", "a text with a code is on its way").await;
            let texts = state
                .db(|c| Ok(neighbourly::db::outbox::for_recipient(c, "+447700900777")?))
                .await
                .unwrap();
            let text = texts.last().expect("a code texted").text_body.clone();
            let code = text[..6].to_string();
            let wrong = if code == "000000" { "111111" } else { "000000" };
            let field = labelled(&c, "The six numbers in the text").await;
            field.send_keys(wrong).await.unwrap();
            button(&c, "Sign in").await.click().await.unwrap();
            wait_for_text(&c, "main .error", "That code is not right").await;
            keep_screenshot(&c, "app-sign-in-code-phone").await;
            crate::browser::assert_accessible(&c, "sign in with a code").await;
            field.clear().await.unwrap();
            field.send_keys(&code).await.unwrap();
            button(&c, "Sign in").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Your help").await;
        })
        .await;
}
