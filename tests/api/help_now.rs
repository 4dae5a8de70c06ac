//! "I can help now": a helper with no weekly times says they are free for the next few hours;
//! a same-day job nobody could take is offered to them at once, and the switch turns off by
//! itself or when they say so. Only that helper or a coordinator may set it.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::harness::TestApp;
use crate::on_both_backends;

on_both_backends!(a_helper_free_now_is_offered_todays_jobs);

fn within_hours(from: i64, to: i64) -> Value {
    let start = Utc::now() + Duration::minutes(from);
    let end = Utc::now() + Duration::minutes(to);
    json!({"start": start.to_rfc3339(), "end": end.to_rfc3339()})
}

async fn a_helper_free_now_is_offered_todays_jobs(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let times = format!("/api/v1/helpers/{}/availability", helper.id);
    app.put(
        &times,
        Some(&helper.token),
        json!({"timezone": "Europe/London", "weekly": [], "time_off": []}),
    )
    .await
    .expect(200);
    // Asked for this afternoon: nobody has said they are free then.
    let mut body = TestApp::request_body("gardening");
    body["window"] = within_hours(90, 300);
    let asked = app
        .post("/api/v1/requests", Some(&member.token), body)
        .await
        .expect(201);
    assert_eq!(asked["status"], "open", "{asked}");
    let id = asked["id"].as_str().unwrap().to_string();

    let path = format!("/api/v1/helpers/{}/help-now", helper.id);
    for bad in [
        json!({"hours": 0}),
        json!({"hours": 9}),
        json!({"hours": "3"}),
    ] {
        let r = app.put(&path, Some(&helper.token), bad).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.fields(), ["hours"]);
    }
    // Nobody else may say it for them.
    let other = app.helper(&coord).await;
    app.put(&path, Some(&other.token), json!({"hours": 3}))
        .await
        .expect(404);
    app.put(&path, Some(&member.token), json!({"hours": 3}))
        .await
        .expect(404);

    let on = app
        .put(&path, Some(&helper.token), json!({"hours": 3}))
        .await
        .expect(200);
    assert!(on["help_now_until"].is_string(), "{on}");
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["request_id"] == id.as_str()),
        "offered at once: {inbox}"
    );
    // Their weekly times changed meanwhile: "help now" stays.
    let kept = app
        .put(
            &times,
            Some(&helper.token),
            json!({"timezone": "Europe/London", "weekly": [{"day": "mon", "start": "09:00", "end": "12:00"}], "time_off": []}),
        )
        .await
        .expect(200);
    assert_eq!(kept["help_now_until"], on["help_now_until"]);
    // Off when they say so; a coordinator may also set it for a helper who rang.
    let off = app
        .call(reqwest::Method::DELETE, &path, Some(&helper.token), None)
        .await
        .expect(200);
    assert!(off.get("help_now_until").is_none(), "{off}");
    app.put(&path, Some(&coord.token), json!({"hours": 2}))
        .await
        .expect(200);
}

/// On a phone: a helper with no weekly times says "I can help now", and today's job nobody could
/// take appears among their offers; the member who asked for today is told to ring the Circle
/// while nobody is free.
#[tokio::test]
async fn a_helper_says_they_can_help_now_on_a_phone() {
    // Help asked for a few minutes from now, so that it is still today on the phone's clock
    // whatever the time of day the test runs (an hour and a half on would be tomorrow late in
    // the evening).
    let mut settings = crate::harness::test_settings();
    settings.requests.min_notice_minutes = 0;
    let app = TestApp::spawn_with(crate::harness::Backend::Sqlite, settings)
        .await
        .unwrap();
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    app.put(
        &format!("/api/v1/helpers/{}/availability", helper.id),
        Some(&helper.token),
        json!({"timezone": "Europe/London", "weekly": [], "time_off": []}),
    )
    .await
    .expect(200);
    let mut body = TestApp::request_body("gardening");
    body["window"] = within_hours(2, 300);
    body["description"] = json!("Fetch a prescription");
    app.post("/api/v1/requests", Some(&member.token), body)
        .await
        .expect(201);
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let (helper_email, member_email) = (helper.email.clone(), member.email.clone());
    browser
        .run("app-help-now", |c, base| async move {
            use crate::browser::{button, keep_screenshot, wait_for_text};
            crate::app::sign_in(&c, &base, &member_email).await;
            wait_for_text(&c, "main li", "Nobody nearby is free yet. If you need help today, please ring Test Circle on 020 7946 0999.").await;
            button(&c, "Sign out").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            crate::app::sign_in(&c, &base, &helper_email).await;
            wait_for_text(&c, "main", "Free today? Say so").await;
            keep_screenshot(&c, "app-help-now-phone").await;
            crate::browser::assert_accessible(&c, "help now").await;
            c.execute(
                "document.getElementById('help-now-hours').value = '4';",
                vec![],
            )
            .await
            .unwrap();
            button(&c, "I can help now").await.click().await.unwrap();
            wait_for_text(&c, "main", "You are free to help until").await;
            wait_for_text(&c, "main li", "Fetch a prescription").await;
            keep_screenshot(&c, "app-help-now-on-phone").await;
            button(&c, "I cannot help now after all").await.click().await.unwrap();
            wait_for_text(&c, "main", "Free today? Say so").await;
        })
        .await;
}
