//! Staying signed in: "Keep me signed in on this phone" in an HttpOnly cookie that renews on use,
//! the places a person is signed in, signing out there, and signing out everywhere.

use chrono::Duration;
use reqwest::header::{COOKIE, SET_COOKIE, USER_AGENT};
use serde_json::{json, Value};

use crate::harness::{item_where, Resp, TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    a_kept_sign_in_lives_in_a_cookie_and_renews_on_use,
    a_person_sees_where_they_are_signed_in_and_signs_out_there,
    signing_out_everywhere_ends_every_token_at_once,
);

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/// A call from a browser: its `User-Agent`, and the cookie it holds, if any.
async fn from_browser(
    app: &TestApp,
    path: &str,
    agent: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let mut req = app
        .client
        .post(format!("{}{}", app.address, path))
        .header(USER_AGENT, agent);
    if let Some(c) = cookie {
        req = req.header(COOKIE, format!("neighbourly_refresh={c}"));
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    Resp::read(req.send().await.expect("request sent")).await
}

/// The `neighbourly_refresh` cookie an answer sets: its value and its attributes.
fn set_cookie(r: &Resp) -> (String, String) {
    let line = r
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("neighbourly_refresh="))
        .unwrap_or_else(|| panic!("no refresh cookie in {:?}", r.headers));
    let value = line["neighbourly_refresh=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (value, line)
}

async fn sign_in(app: &TestApp, email: &str, agent: &str, remember: bool) -> Resp {
    let body = json!({"email": email, "password": PASSWORD, "remember": remember});
    from_browser(app, "/api/v1/auth/login", agent, None, Some(body)).await
}

async fn a_kept_sign_in_lives_in_a_cookie_and_renews_on_use(app: TestApp) {
    let m = app.member().await;
    let r = sign_in(&app, &m.email, IPHONE, true).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.get("refresh_token").is_none(),
        "a kept sign-in's refresh token is never in the answer: {}",
        r.body
    );
    let (first, line) = set_cookie(&r);
    assert!(first.len() >= 40, "{line}");
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Max-Age=7776000",
    ] {
        assert!(line.contains(attribute), "{attribute} missing: {line}");
    }
    assert!(!line.contains("Secure"), "not https here: {line}");
    let access = r.body["access_token"].as_str().unwrap().to_string();
    app.get("/api/v1/me", Some(&access)).await.expect(200);

    // The app opened again: no body, only the cookie; a new cookie comes back.
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&first), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.get("refresh_token").is_none());
    let (second, line) = set_cookie(&r);
    assert_ne!(second, first);
    assert!(line.contains("Max-Age=7776000"), "{line}");
    // A second tab opening at the same moment with the old cookie is not taken for a thief.
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&first), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (twin, _) = set_cookie(&r);

    // Renewed on use: 80 days on it still works, and lasts 90 days from then.
    app.travel(Duration::days(80));
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&second), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (third, _) = set_cookie(&r);
    app.travel(Duration::days(80));
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&third), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (fourth, _) = set_cookie(&r);
    // The tab left alone 160 days has run out.
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&twin), None).await;
    assert_eq!(r.status, 401, "{}", r.body);

    // Long after its first use, an old cookie is a stolen one: the whole sign-in ends.
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&second), None).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&fourth), None).await;
    assert_eq!(r.status, 401, "{}", r.body);

    // Signing out clears the cookie and ends the sign-in.
    let r = sign_in(&app, &m.email, IPHONE, true).await;
    let (kept, _) = set_cookie(&r);
    let r = from_browser(&app, "/api/v1/auth/logout", IPHONE, Some(&kept), None).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let (cleared, line) = set_cookie(&r);
    assert_eq!(cleared, "");
    assert!(
        line.contains("Max-Age=0") && line.contains("Path=/api/v1/auth"),
        "{line}"
    );
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, Some(&kept), None).await;
    assert_eq!(r.status, 401, "{}", r.body);

    // No cookie and no token: a plain answer, and signing out is still fine.
    let r = from_browser(&app, "/api/v1/auth/refresh", IPHONE, None, None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.body["detail"],
        "This phone is not signed in: sign in again."
    );
    let r = from_browser(&app, "/api/v1/auth/logout", IPHONE, None, None).await;
    assert_eq!(r.status, 204);

    // Not kept: the refresh token is in the answer and no cookie is set.
    let r = sign_in(&app, &m.email, WINDOWS, false).await;
    assert_eq!(r.status, 200);
    assert!(r.body["refresh_token"].is_string());
    assert!(r.headers.get(SET_COOKIE).is_none());
}

async fn a_person_sees_where_they_are_signed_in_and_signs_out_there(app: TestApp) {
    let m = app.member().await;
    let phone = sign_in(&app, &m.email, IPHONE, true).await.expect(200);
    let desk = sign_in(&app, &m.email, WINDOWS, false).await.expect(200);
    let phone_token = phone["access_token"].as_str().unwrap();
    let list = app
        .get("/api/v1/me/sessions", Some(phone_token))
        .await
        .expect(200);
    // The harness's own sign-in, the phone and the desk.
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
    let on_phone = item_where(&list, "device", "Safari on an iPhone");
    assert_eq!(on_phone["this_one"], true);
    assert_eq!(on_phone["kept"], true);
    let at_desk = item_where(&list, "device", "Chrome on Windows");
    assert_eq!(at_desk["this_one"], false);
    assert_eq!(at_desk["kept"], false);
    assert!(at_desk["last_used_at"].is_string());

    // A refresh keeps one entry per phone, not one per token.
    let renewed = app.refresh(&json!(desk["refresh_token"])).await.expect(200);
    let list = app
        .get("/api/v1/me/sessions", Some(phone_token))
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");

    // Another person cannot end it, nor learn it exists.
    let other = app.member().await;
    let desk_id = at_desk["id"].as_str().unwrap();
    let path = format!("/api/v1/me/sessions/{desk_id}");
    app.call(reqwest::Method::DELETE, &path, Some(&other.token), None)
        .await
        .expect(404);
    // Signed out at the desk from the phone.
    app.call(reqwest::Method::DELETE, &path, Some(phone_token), None)
        .await
        .expect(204);
    app.refresh(&json!(renewed["refresh_token"]))
        .await
        .expect(401);
    let list = app
        .get("/api/v1/me/sessions", Some(phone_token))
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    app.call(reqwest::Method::DELETE, &path, Some(phone_token), None)
        .await
        .expect(404);
    app.call(
        reqwest::Method::DELETE,
        "/api/v1/me/sessions/not-a-session",
        Some(phone_token),
        None,
    )
    .await
    .expect(404);
    app.get("/api/v1/me/sessions", None).await.expect(401);

    // The person's data lists where they are signed in, never a token.
    let export = app
        .get(&format!("/api/v1/users/{}/export", m.id), Some(&m.token))
        .await
        .expect(200);
    let sessions = export["records"]["sessions"].as_array().expect("sessions");
    assert!(sessions
        .iter()
        .any(|s| s["device"] == "Safari on an iPhone"));
    assert!(sessions.iter().all(|s| s.get("token_hash").is_none()));
}

async fn signing_out_everywhere_ends_every_token_at_once(app: TestApp) {
    let c = app.coordinator().await;
    let m = app.member().await;
    let phone = sign_in(&app, &m.email, IPHONE, true).await.expect(200);
    let path = format!("/api/v1/users/{}/sign-out-everywhere", m.id);
    // Another member may not.
    let other = app.member().await;
    let r = app.post(&path, Some(&other.token), json!({})).await;
    assert_eq!(r.status, 403, "{}", r.body);
    app.get("/api/v1/me", Some(&m.token)).await.expect(200);
    // A coordinator, for a lost phone: access tokens end at once, refresh tokens too.
    app.post(&path, Some(&c.token), json!({})).await.expect(204);
    app.get("/api/v1/me", Some(&m.token)).await.expect(401);
    app.get("/api/v1/me", Some(phone["access_token"].as_str().unwrap()))
        .await
        .expect(401);
    app.refresh(&json!(m.refresh)).await.expect(401);
    let audit = app
        .get(
            &format!("/api/v1/audit?subject_id={}", m.id),
            Some(&c.token),
        )
        .await
        .expect(200);
    assert!(
        audit.to_string().contains("user.signed_out_everywhere"),
        "{audit}"
    );
    // Signing in again works, and a person may sign themselves out everywhere.
    let again = app.login(&m.email, PASSWORD).await.expect(200);
    let token = again["access_token"].as_str().unwrap();
    app.post(&path, Some(token), json!({})).await.expect(204);
    app.get("/api/v1/me", Some(token)).await.expect(401);
    let nobody = "/api/v1/users/00000000-0000-4000-8000-000000000000/sign-out-everywhere";
    app.post(nobody, Some(&c.token), json!({}))
        .await
        .expect(404);
}
