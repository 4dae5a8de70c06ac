//! One-tap links in emails, read from a real SMTP conversation: opening one changes nothing;
//! posting it accepts, declines or confirms as its helper, once; another helper's link for a job
//! taken is a conflict; a changed token is unknown; a link past its time is gone; twenty helpers
//! tapping at once make one winner.

use crate::harness::RawDb;
use chrono::{Duration, NaiveDateTime};
use neighbourly::service::visits;
use serde_json::{json, Value};

use crate::email::{app_with_smtp, helper_near, worker};
use crate::harness::{test_settings, Backend, TestApp, User};
use crate::smtp::SmtpServer;

crate::on_both_backends!(
    backend:
    links_in_a_real_email_accept_decline_and_confirm_once,
    twenty_helpers_tap_accept_at_once_and_one_goes,
    a_link_past_its_time_is_gone
);

/// The token of the link labelled `label` in the plain-text part of the newest email to `to`
/// whose subject starts with `subject`; the HTML part links to the same address.
fn link_in(smtp: &SmtpServer, to: &str, subject: &str, label: &str) -> String {
    let mail = smtp
        .to(to)
        .into_iter()
        .rev()
        .find(|m| m.subject().starts_with(subject))
        .unwrap_or_else(|| panic!("an email \"{subject}…\" to {to}"));
    let text = mail.part("text/plain").expect("a plain-text part");
    let url = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{label}: ")))
        .unwrap_or_else(|| panic!("a \"{label}\" link in {text}"))
        .trim()
        .to_string();
    let html = mail.part("text/html").expect("an HTML part");
    assert!(html.contains(&format!("href=\"{url}\"")), "{html}");
    let token = url
        .split("/app/a/")
        .nth(1)
        .unwrap_or_else(|| panic!("a link to the app's action page: {url}"));
    token.to_string()
}

async fn open(app: &TestApp, token: &str) -> crate::harness::Resp {
    app.get(&format!("/api/v1/action-links/{token}"), None)
        .await
}

async fn tap(app: &TestApp, token: &str, body: Value) -> crate::harness::Resp {
    app.post(&format!("/api/v1/action-links/{token}"), None, body)
        .await
}

async fn request(app: &TestApp, coord: &User, id: &str) -> Value {
    app.get(&format!("/api/v1/requests/{id}"), Some(&coord.token))
        .await
        .expect(200)
}

async fn links_in_a_real_email_accept_decline_and_confirm_once(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let h1 = helper_near(&app, &coord, 0.3).await;
    let h2 = helper_near(&app, &coord, 0.6).await;
    let member = app.member().await;
    let w = worker(&app);
    // In three days: the helper is asked to confirm the day before.
    let mut body = TestApp::request_body("gardening");
    let start = chrono::Utc::now() + Duration::days(3);
    body["window"] =
        json!({"start": start.to_rfc3339(), "end": (start + Duration::hours(4)).to_rfc3339()});
    let job = app
        .post("/api/v1/requests", Some(&member.token), body)
        .await
        .expect(201);
    let id = job["id"].as_str().unwrap().to_string();
    w.drain_once().await.unwrap();
    let h1_accept = link_in(&smtp, &h1.email, "Can you help?", "Yes, I can help");
    let h2_accept = link_in(&smtp, &h2.email, "Can you help?", "Yes, I can help");
    let h2_decline = link_in(&smtp, &h2.email, "Can you help?", "No, not this time");
    assert_ne!(h1_accept, h2_accept);

    // Opening a link (as a mail scanner would, twice) changes nothing.
    for _ in 0..2 {
        let seen = open(&app, &h1_accept).await.expect(200);
        assert_eq!(seen["action"], "accept");
        assert_eq!(seen["offer"]["request_id"], id.as_str());
        assert_eq!(seen["offer"]["status"], "open");
        assert_eq!(seen["standing_request"], false);
        let text = seen.to_string();
        assert!(
            !text.contains("Choumert") && !text.contains("7946 000"),
            "{text}"
        );
    }
    assert_eq!(request(&app, &coord, &id).await["status"], "offered");
    let page = app
        .client
        .get(format!("{}/app/a/{h1_accept}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");

    // A changed token is unknown, and says nothing more.
    let mut changed = h1_accept.clone().into_bytes();
    changed[10] = if changed[10] == b'A' { b'B' } else { b'A' };
    let changed = String::from_utf8(changed).unwrap();
    for r in [
        open(&app, &changed).await,
        tap(&app, &changed, json!({})).await,
    ] {
        assert_eq!(r.status, 404, "{}", r.body);
    }
    assert_eq!(open(&app, "not-a-token").await.status, 404);

    // The accept link takes the job, as that helper; used again it is gone.
    let done = tap(&app, &h1_accept, json!({})).await.expect(200);
    assert_eq!(done["action"], "accept");
    assert_eq!(done["request"]["helper"]["id"], h1.id.as_str());
    // Used without signing in, the link answers as its page shows the job: the address and
    // phone are in the job's email and in the app, not in this answer.
    assert!(done["request"].get("member").is_none(), "{done}");
    assert!(!done.to_string().contains("Choumert"), "{done}");
    assert!(!done.to_string().contains("7946 0001"), "{done}");
    let now = request(&app, &coord, &id).await;
    assert_eq!(now["status"], "assigned");
    assert_eq!(now["helper"]["id"], h1.id.as_str());
    assert_eq!(tap(&app, &h1_accept, json!({})).await.status, 410);
    assert_eq!(open(&app, &h1_accept).await.status, 410);
    // The other helper's links: the job is taken.
    let late = tap(&app, &h2_accept, json!({})).await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert_eq!(tap(&app, &h2_decline, json!({})).await.status, 409);
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "action_link.used"
                && e["actor_id"] == h1.id.as_str()
                && e["detail"] == "accept by email link"),
        "{log}"
    );

    // A decline link declines, as that helper.
    let second = app.request(&member).await;
    let second_id = second["id"].as_str().unwrap().to_string();
    w.drain_once().await.unwrap();
    let decline = link_in(&smtp, &h2.email, "Can you help?", "No, not this time");
    assert_eq!(
        open(&app, &decline).await.expect(200)["offer"]["request_id"],
        second_id.as_str()
    );
    let declined = tap(&app, &decline, json!({})).await.expect(200);
    assert_eq!(declined["action"], "decline");
    assert_eq!(declined["offer"]["status"], "declined");
    assert_eq!(tap(&app, &decline, json!({})).await.status, 410);

    // A confirm link, from the email asking the helper to confirm, confirms the visit.
    let start: NaiveDateTime = chrono::DateTime::parse_from_rfc3339(
        request(&app, &coord, &id).await["window"]["start"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
    .naive_utc();
    let at = start - Duration::hours(23);
    app.state
        .run(move |svc| visits::sweep(svc, at))
        .await
        .unwrap();
    w.drain_at(at).await.unwrap();
    let confirm = link_in(&smtp, &h1.email, "Please confirm", "Yes, I am coming");
    let seen = open(&app, &confirm).await.expect(200);
    assert_eq!(seen["action"], "confirm");
    assert_eq!(seen["request"]["id"], id.as_str());
    assert!(
        seen["request"].get("member").is_none(),
        "no contact details: {seen}"
    );
    assert!(request(&app, &coord, &id).await["confirmed_at"].is_null());
    let confirmed = tap(&app, &confirm, json!({})).await.expect(200);
    assert_eq!(confirmed["action"], "confirm");
    assert!(request(&app, &coord, &id).await["confirmed_at"].is_string());
    assert_eq!(tap(&app, &confirm, json!({})).await.status, 410);
}

/// Twenty helpers are offered one job; all tap accept at once: one gets it, the rest are told it
/// was taken.
async fn twenty_helpers_tap_accept_at_once_and_one_goes(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let mut settings = test_settings();
    settings.email.smtp_url = neighbourly::config::Secret::new(smtp.url());
    settings.matching.offers_per_request = 20;
    let Some(app) = TestApp::spawn_with(backend, settings).await else {
        return;
    };
    let coord = app.coordinator().await;
    let mut helpers = Vec::new();
    for i in 0..20 {
        helpers.push(helper_near(&app, &coord, 0.1 + f64::from(i) * 0.05).await);
    }
    let member = app.member().await;
    let job = app.request(&member).await;
    let w = worker(&app);
    while w.drain_once().await.unwrap().sent > 0 {}
    let tokens: Vec<String> = helpers
        .iter()
        .map(|h| link_in(&smtp, &h.email, "Can you help?", "Yes, I can help"))
        .collect();
    let answers =
        futures_util::future::join_all(tokens.iter().map(|t| tap(&app, t, json!({})))).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 409)),
        "{statuses:?}"
    );
    let winner = &answers.iter().find(|a| a.status == 200).unwrap().body["request"]["helper"]["id"];
    let read = request(&app, &coord, job["id"].as_str().unwrap()).await;
    assert_eq!(&read["helper"]["id"], winner);
}

/// A link past its offer's time is gone, and does nothing.
async fn a_link_past_its_time_is_gone(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = helper_near(&app, &coord, 0.3).await;
    let member = app.member().await;
    let job = app.request(&member).await;
    worker(&app).drain_once().await.unwrap();
    let token = link_in(&smtp, &helper.email, "Can you help?", "Yes, I can help");
    app.state
        .db(|c| {
            use diesel::prelude::*;
            use neighbourly::db::schema::action_links;
            let past = neighbourly::db::now() - Duration::minutes(1);
            diesel::update(action_links::table)
                .set(action_links::expires_at.eq(past))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let r = open(&app, &token).await;
    assert_eq!(r.status, 410, "{}", r.body);
    assert!(
        r.body["detail"].as_str().unwrap().contains("run out"),
        "{}",
        r.body
    );
    assert_eq!(tap(&app, &token, json!({})).await.status, 410);
    assert_eq!(
        request(&app, &coord, job["id"].as_str().unwrap()).await["status"],
        "offered"
    );
}

/// The page a link opens, on a phone: the job in words and one button; tapping it takes the job
/// and says so; the link opened again says, in words, that it has been used.
#[tokio::test]
async fn the_link_page_on_a_phone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let other = app.helper(&coord).await;
    let member = app.member().await;
    app.request(&member).await;
    let token = accept_token(&app, &helper).await;
    let too_late = accept_token(&app, &other).await;
    browser
        .run("link-page", |c, base| async move {
            use crate::browser::{assert_accessible, button, keep_screenshot, wait_for_text};
            c.goto(&format!("{base}/app/a/{token}")).await.unwrap();
            wait_for_text(&c, "main h1", "Can you help?").await;
            let shown = c
                .execute("return document.querySelector('main').innerText;", vec![])
                .await
                .unwrap();
            let shown = shown.as_str().unwrap().to_string();
            assert!(shown.contains("Help with the garden"), "{shown}");
            assert!(shown.contains("Trim the front hedge"), "{shown}");
            assert!(
                !shown.contains("gardening") && !shown.contains("51."),
                "{shown}"
            );
            let width = c
                .execute("return document.documentElement.scrollWidth;", vec![])
                .await
                .unwrap();
            assert!(
                width.as_i64().unwrap() <= 390,
                "no sideways scrolling: {width}"
            );
            keep_screenshot(&c, "link-phone").await;
            assert_accessible(&c, "link").await;
            button(&c, "Yes, I can help").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Thank you: the job is yours").await;
            wait_for_text(&c, "main", "We have just emailed you their address").await;
            let shown = c
                .execute("return document.querySelector('main').innerText;", vec![])
                .await
                .unwrap();
            assert!(!shown.as_str().unwrap().contains("Choumert"), "{shown}");
            let into_app = |text: &'static str| {
                let c = c.clone();
                async move {
                    c.find(fantoccini::Locator::LinkText(text))
                        .await
                        .unwrap_or_else(|e| panic!("a link {text:?} into the app: {e}"))
                        .attr("href")
                        .await
                        .unwrap()
                        .unwrap()
                }
            };
            assert!(into_app("Open this visit in the app")
                .await
                .starts_with("/app/#/visits/"));
            keep_screenshot(&c, "link-phone-accepted").await;
            assert_accessible(&c, "link accepted").await;
            c.refresh().await.unwrap();
            wait_for_text(&c, "[role=alert]", "used already").await;
            assert_eq!(into_app("Open the Neighbourly app").await, "/app/");
            keep_screenshot(&c, "link-phone-used").await;
            // Another helper's link to the job says at once that it is taken: no button to press.
            c.goto(&format!("{base}/app/a/{too_late}")).await.unwrap();
            wait_for_text(&c, "[role=alert]", "This job was taken by another helper").await;
            let buttons = c
                .execute(
                    "return document.querySelectorAll('main button').length;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(buttons, json!(0), "nothing to press on a job taken");
            assert_eq!(into_app("Open the Neighbourly app").await, "/app/");
            keep_screenshot(&c, "link-phone-taken").await;
            assert_accessible(&c, "link taken").await;
        })
        .await;
}

/// The token of the "Yes, I can help" link in the newest offer email to `helper`.
async fn accept_token(app: &TestApp, helper: &User) -> String {
    let to = helper.email.clone();
    let mails = app
        .state
        .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
        .await
        .unwrap();
    let offer = mails
        .iter()
        .rev()
        .find(|m| m.kind == "offer")
        .expect("an offer email");
    let url = offer
        .text_body
        .lines()
        .find_map(|l| l.strip_prefix("Yes, I can help: "))
        .unwrap()
        .to_string();
    url.split("/app/a/").nth(1).unwrap().to_string()
}
