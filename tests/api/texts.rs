//! Text messages through a real Kannel gateway (`crate::kannel`): an offer texted to a helper
//! arrives at the fake operator; their `YES 4821` comes back through Kannel's `get-url` and
//! takes the job; a second helper's late yes is thanked; the member is texted who is coming; a
//! delivery report marks the text; `STOP` stops the next text; `HELP` and anything else are
//! answered; wrong codes slow a number down. The outbox with the gateway down, then up, and two
//! workers at once: every text once. Signing in by a texted code.

use std::sync::Arc;

use chrono::Duration;
use neighbourly::config::Secret;
use neighbourly::db::outbox::OutboxRow;
use neighbourly::notify::sms_gateway::Kannel;
use neighbourly::notify::worker::Worker;
use reqwest::Method;
use serde_json::{json, Value};

use crate::email::{helper_near, worker};
use crate::harness::{test_settings, Backend, RawDb, TestApp, User};
use crate::kannel::{self, Gateway};

crate::on_both_backends!(
    backend:
    a_job_offered_taken_and_told_by_text_through_kannel,
    texts_wait_while_the_gateway_is_down_and_go_once,
    signing_in_by_a_texted_code,
    a_text_that_cannot_be_delivered_is_a_follow_up,
    no_by_text_turns_the_offer_down
);

const SECRET: &str = "gateway-secret-0123456789";

fn sms_settings(sendsms_url: &str) -> neighbourly::config::Settings {
    let mut settings = test_settings();
    settings.sms.gateway = "kannel".into();
    settings.sms.kannel_url = sendsms_url.into();
    settings.sms.username = kannel::USERNAME.into();
    settings.sms.password = Secret::new(kannel::PASSWORD);
    settings.sms.from = "Circle".into();
    settings.sms.inbound_secret = Secret::new(SECRET);
    settings
}

/// A worker that sends texts through the gateway at `sendsms_url`, reporting back to the app.
fn texting_worker(app: &TestApp, sendsms_url: &str) -> Worker {
    let mut sms = app.settings.sms.clone();
    sms.kannel_url = sendsms_url.into();
    let kannel = Kannel::from_settings(&sms, &app.address, std::time::Duration::from_secs(3))
        .unwrap()
        .unwrap();
    worker(app).with_sms(Some(Arc::new(kannel)))
}

/// Send everything due in the next three days (the day-before messages are queued for then).
async fn drain(w: &Worker) {
    let by = neighbourly::db::now() + Duration::days(3);
    while w.drain_at(by).await.unwrap().sent > 0 {}
}

async fn texts_to(app: &TestApp, number: &str) -> Vec<OutboxRow> {
    let number = number.to_string();
    app.state
        .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &number)?))
        .await
        .unwrap()
}

/// Make this person texted first, at this mobile.
async fn by_text(app: &TestApp, coord: &User, who: &str, id: &str, phone: &str) {
    app.call(
        Method::PATCH,
        &format!("/api/v1/{who}/{id}"),
        Some(&coord.token),
        Some(json!({"phone": phone, "contact_by": ["sms", "email"]})),
    )
    .await
    .expect(200);
}

fn code_in(text: &str, word: &str) -> String {
    let at = text
        .find(&format!("{word} "))
        .unwrap_or_else(|| panic!("{word} and a code in {text:?}"));
    text[at + word.len() + 1..at + word.len() + 5].to_string()
}

async fn request(app: &TestApp, coord: &User, id: &str) -> Value {
    app.get(&format!("/api/v1/requests/{id}"), Some(&coord.token))
        .await
        .expect(200)
}

async fn a_job_offered_taken_and_told_by_text_through_kannel(backend: Backend) {
    if !kannel::available() {
        return;
    }
    let Some(app) = TestApp::spawn_with(backend, sms_settings("http://127.0.0.1:9/")).await else {
        return;
    };
    let inbound = format!("{}/api/v1/sms/inbound?secret={SECRET}", app.address);
    let gateway = Gateway::start(&inbound).expect("Kannel starts");
    let w = texting_worker(&app, &gateway.sendsms_url);
    let coord = app.coordinator().await;
    let h1 = helper_near(&app, &coord, 0.3).await;
    let h2 = helper_near(&app, &coord, 0.6).await;
    // Three ways to write one number each.
    by_text(&app, &coord, "helpers", &h1.id, "07700 900111").await;
    by_text(&app, &coord, "helpers", &h2.id, "+44 7700 900222").await;
    let member = app.member().await;
    by_text(&app, &coord, "members", &member.id, "447700900333").await;
    let (n1, n2, nm) = ("+447700900111", "+447700900222", "+447700900333");

    // The offer goes out as a text with a code; never an address. The visit is in three days.
    let mut body = TestApp::request_body("gardening");
    let start = chrono::Utc::now() + Duration::days(3);
    body["window"] =
        json!({"start": start.to_rfc3339(), "end": (start + Duration::hours(4)).to_rfc3339()});
    let job = app
        .post("/api/v1/requests", Some(&member.token), body)
        .await
        .expect(201);
    let id = job["id"].as_str().unwrap().to_string();
    drain(&w).await;
    let offer1 = gateway.wait_for(n1, |t| t.contains("Reply YES")).await;
    let offer2 = gateway.wait_for(n2, |t| t.contains("Reply YES")).await;
    assert_eq!(offer1.from, "Circle");
    assert!(
        offer1
            .text
            .starts_with("Test Circle: Hal, can you help with the garden on "),
        "{}",
        offer1.text
    );
    for t in [&offer1.text, &offer2.text] {
        assert!(!t.contains("Choumert") && !t.contains("SE15"), "{t}");
    }
    let (code1, code2) = (code_in(&offer1.text, "YES"), code_in(&offer2.text, "YES"));

    // A wrong secret is refused; the gateway's own call is not.
    app.get(
        "/api/v1/sms/inbound?secret=wrong&from=447700900111&text=YES+1234",
        None,
    )
    .await
    .expect(401);

    // The first helper's yes, from their phone through Kannel, takes the job.
    gateway.text_from("447700900111", &format!("YES {code1}"));
    for _ in 0..200 {
        if request(&app, &coord, &id).await["status"] == "assigned" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let taken = request(&app, &coord, &id).await;
    assert_eq!(taken["status"], "assigned");
    assert_eq!(taken["helper"]["id"], h1.id.as_str());
    drain(&w).await;
    let yours = gateway.wait_for(n1, |t| t.contains("is yours")).await;
    assert!(yours.text.contains("Thank you, Hal"), "{}", yours.text);
    // The member, who has no app and is texted first, hears who is coming.
    let coming = gateway.wait_for(nm, |t| t.contains("is coming")).await;
    assert!(
        coming
            .text
            .contains("Hello Ada, Hal is coming to help with the garden on"),
        "{}",
        coming.text
    );
    assert!(coming.text.contains("020 7946 0999"), "{}", coming.text);

    // The second helper's yes comes late: thanked, and nothing changes.
    gateway.text_from("+447700900222", &format!("yes {code2}"));
    let late = until_text(&w, &gateway, n2, |t| t.contains("Someone else is going")).await;
    assert_eq!(
        late.text,
        "Test Circle: Someone else is going, thank you Hal."
    );
    assert_eq!(
        request(&app, &coord, &id).await["helper"]["id"],
        h1.id.as_str()
    );

    // The day before, the member is reminded by text who is coming, and the helper is asked to
    // confirm with a code; their OK confirms the visit.
    let start = chrono::DateTime::parse_from_rfc3339(taken["window"]["start"].as_str().unwrap())
        .unwrap()
        .naive_utc();
    let at = start - Duration::hours(23);
    app.state
        .run(move |svc| neighbourly::service::visits::sweep(svc, at))
        .await
        .unwrap();
    let reminder = until_text(&w, &gateway, nm, |t| t.contains("a reminder")).await;
    let words = crate::doorstep::words_of(&app, &id, &member.token).await;
    assert!(
        reminder
            .text
            .contains(&format!("They will say \"{words}\" at the door.")),
        "{}",
        reminder.text
    );
    assert!(
        reminder
            .text
            .contains("Hal is coming to help with the garden on"),
        "{}",
        reminder.text
    );
    let ask = until_text(&w, &gateway, n1, |t| t.contains("Reply OK")).await;
    let ok = code_in(&ask.text, "OK");
    assert!(request(&app, &coord, &id).await["confirmed_at"].is_null());
    gateway.text_from("447700900111", &format!("OK {ok}"));
    until_text(&w, &gateway, n1, |t| t.contains("is confirmed")).await;
    assert!(request(&app, &coord, &id).await["confirmed_at"].is_string());
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let by_text: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "action_link.used" && e["actor_id"] == h1.id.as_str())
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(by_text.len(), 2, "{by_text:?}");
    assert!(by_text.contains(&"accept by text") && by_text.contains(&"confirm by text"));

    // The operator's delivery reports reach the service and mark the texts: a text in one
    // part is reported delivered; one in two parts (the reminder) has a report too (Kannel's
    // fake operator reports a joined text as accepted by the network).
    let one_part = |r: &OutboxRow| neighbourly::domain::sms::measure(&r.text_body).segments == 1;
    let reported = |rows: &[OutboxRow]| {
        rows.iter().all(|r| match one_part(r) {
            true => r.delivery.as_deref() == Some("delivered"),
            false => r.delivery.is_some(),
        })
    };
    // Reports come back through the gateway on their own time; wait up to 20 s, as for a page.
    for _ in 0..400 {
        if reported(&texts_to(&app, nm).await) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let rows = texts_to(&app, nm).await;
    assert!(rows.iter().filter(|r| one_part(r)).count() >= 1);
    assert!(reported(&rows), "{rows:#?}");
    for r in &rows {
        assert_eq!(r.status, neighbourly::domain::OutboxStatus::Sent);
    }

    // HELP gives the Circle's number; anything else is answered once, politely.
    gateway.text_from("447700900333", "HELP");
    let help = until_text(&w, &gateway, nm, |t| t.contains("To talk to a coordinator")).await;
    assert!(help.text.contains("ring 020 7946 0999"), "{}", help.text);
    gateway.text_from("447700900333", "Who is this?");
    until_text(&w, &gateway, nm, |t| t.contains("could not read your text")).await;

    // Wrong codes are answered, until the number has sent too many.
    for _ in 0..5 {
        gateway.text_from("447700900222", "YES 0000");
    }
    gateway.text_from("447700900222", "YES 0001");
    let slowed = until_text(&w, &gateway, n2, |t| t.contains("Too many codes")).await;
    assert!(slowed.text.contains("wait an hour"), "{}", slowed.text);
    // The five answers go through the outbox, not necessarily before the sixth's.
    let unknown = || {
        gateway
            .sent()
            .into_iter()
            .filter(|s| s.to.ends_with("7700900222") && s.text.contains("could not find 0000"))
            .count()
    };
    for _ in 0..400 {
        if unknown() >= 5 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(unknown(), 5);

    // STOP is answered, and the next text to the member does not go (email does instead).
    gateway.text_from("447700900333", "STOP");
    until_text(&w, &gateway, nm, |t| t.contains("no more texts")).await;
    let before = texts_to(&app, nm).await.len();
    app.post(
        &format!("/api/v1/requests/{id}/withdraw"),
        Some(&h1.token),
        json!({"reason": "My car has broken down"}),
    )
    .await
    .expect(200);
    drain(&w).await;
    assert_eq!(
        texts_to(&app, nm).await.len(),
        before,
        "nothing texted after STOP"
    );
    // START turns texts on again, with an answer.
    gateway.text_from("447700900333", "START");
    until_text(&w, &gateway, nm, |t| t.contains("on again")).await;
}

/// Drain the outbox until a text to `number` that satisfies `is` has gone out through the
/// gateway (a reply is queued when Kannel has passed the phone's text on).
async fn until_text(
    w: &Worker,
    gateway: &Gateway,
    number: &str,
    is: impl Fn(&str) -> bool,
) -> kannel::Sent {
    for _ in 0..300 {
        drain(w).await;
        if let Some(s) = gateway
            .sent()
            .into_iter()
            .find(|s| s.to.trim_start_matches('+') == number.trim_start_matches('+') && is(&s.text))
        {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "no such text to {number}; the operator saw {:#?}",
        gateway.sent()
    );
}

/// Texts queued while the gateway cannot be reached wait and retry; once it answers, each goes
/// once, also with two workers draining at the same time (two processes).
async fn texts_wait_while_the_gateway_is_down_and_go_once(backend: Backend) {
    if !kannel::available() {
        return;
    }
    let Some(app) = TestApp::spawn_with(backend, sms_settings("http://127.0.0.1:9/")).await else {
        return;
    };
    let numbers: Vec<String> = (0..12).map(|i| format!("+4477009004{i:02}")).collect();
    let queued = numbers.clone();
    app.state
        .db(move |c| {
            for (i, n) in queued.iter().enumerate() {
                let text = neighbourly::notify::texts::Texting::queued(
                    n,
                    "a test",
                    format!("Text number {i}"),
                    None,
                );
                neighbourly::db::outbox::enqueue(c, &text, neighbourly::db::now())?;
            }
            Ok(())
        })
        .await
        .unwrap();
    // Nothing listens at port 9: every text waits for a later try.
    let down = texting_worker(&app, "http://127.0.0.1:9/cgi-bin/sendsms");
    let d = down.drain_once().await.unwrap();
    assert_eq!((d.sent, d.failed), (0, 0));
    assert!(d.retrying > 0);

    let inbound = format!("{}/api/v1/sms/inbound?secret={SECRET}", app.address);
    let gateway = Gateway::start(&inbound).expect("Kannel starts");
    let (a, b) = (
        texting_worker(&app, &gateway.sendsms_url),
        texting_worker(&app, &gateway.sendsms_url),
    );
    let later = neighbourly::db::now() + Duration::hours(2);
    let mut sent = 0;
    for _ in 0..20 {
        let (x, y) = tokio::join!(a.drain_at(later), b.drain_at(later));
        let (x, y) = (x.unwrap(), y.unwrap());
        sent += x.sent + y.sent;
        if x.sent + y.sent + x.retrying + y.retrying == 0 {
            break;
        }
    }
    assert_eq!(sent, numbers.len());
    for (i, n) in numbers.iter().enumerate() {
        gateway
            .wait_for(n, |t| t == format!("Text number {i}"))
            .await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(gateway.sent().len(), numbers.len(), "each text once");
}

/// A code by text to sign in: 202 whatever the number, the code once, five tries, ten
/// minutes, and limits per number and per network that say nothing about accounts.
async fn signing_in_by_a_texted_code(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, sms_settings("http://127.0.0.1:9/")).await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    by_text(&app, &coord, "members", &member.id, "07700 900555").await;
    let ask = |phone: &'static str, from: &'static str| {
        let app = &app;
        async move {
            let resp = app
                .client
                .post(format!("{}/api/v1/auth/sms-code", app.address))
                .header("X-Forwarded-For", from)
                .json(&json!({"phone": phone}))
                .send()
                .await
                .unwrap();
            resp.status().as_u16()
        }
    };
    let login = |phone: &'static str, code: String| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/sms-login",
                None,
                json!({"phone": phone, "code": code}),
            )
            .await
        }
    };
    let latest_code = || async {
        let rows = texts_to(&app, "+447700900555").await;
        let text = rows.last().expect("a text").text_body.clone();
        assert!(
            text.contains("is your code to sign in to Test Circle"),
            "{text}"
        );
        text[..6].to_string()
    };

    // Same answer for a number on an account and one that is not; a bad number is a 422.
    assert_eq!(ask("07700 900555", "203.0.113.1").await, 202);
    assert_eq!(ask("07700 900999", "203.0.113.1").await, 202);
    assert!(texts_to(&app, "+447700900999").await.is_empty());
    let bad = app
        .post(
            "/api/v1/auth/sms-code",
            None,
            json!({"phone": "not a phone"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.fields(), ["phone"]);
    let code = latest_code().await;

    // Five wrong tries end the code, the right one included after them.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        login("07700 900555", wrong.into()).await.expect(401);
    }
    login("07700 900555", code.clone()).await.expect(401);

    // A new code works once, written however the phone was.
    assert_eq!(ask("+44 7700 900555", "203.0.113.1").await, 202);
    let code = latest_code().await;
    let tokens = login("447700900555", code.clone()).await.expect(200);
    assert_eq!(tokens["user"]["id"], member.id.as_str());
    login("07700 900555", code).await.expect(401);

    // A number is sent three codes an hour: a fourth ask is answered alike and sends nothing.
    let sent_before = texts_to(&app, "+447700900555").await.len();
    assert_eq!(ask("07700 900555", "203.0.113.2").await, 202);
    assert_eq!(texts_to(&app, "+447700900555").await.len(), sent_before + 1);
    assert_eq!(ask("07700 900555", "203.0.113.2").await, 202);
    assert_eq!(texts_to(&app, "+447700900555").await.len(), sent_before + 1);
    // A code runs out after ten minutes.
    app.travel(Duration::minutes(61));
    assert_eq!(ask("07700 900555", "203.0.113.2").await, 202);
    let code = latest_code().await;
    app.travel(Duration::minutes(11));
    login("07700 900555", code).await.expect(401);

    // One network may ask ten times an hour.
    for i in 0..10 {
        let phone: &'static str = Box::leak(format!("07700 9006{i:02}").into_boxed_str());
        assert_eq!(ask(phone, "198.51.100.7").await, 202);
    }
    assert_eq!(ask("07700 900699", "198.51.100.7").await, 429);
}

/// With no gateway set, the member's "who is coming" text fails at once, and coordinators are
/// told to ring her; a delivery report that the network could not deliver a text does the same.
async fn a_text_that_cannot_be_delivered_is_a_follow_up(backend: Backend) {
    let mut settings = test_settings();
    settings.sms.inbound_secret = Secret::new(SECRET);
    let Some(app) = TestApp::spawn_with(backend, settings).await else {
        return;
    };
    let w = worker(&app);
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    by_text(&app, &coord, "members", &member.id, "07700 900888").await;
    crate::visits::assigned(&app, &member, &helper, 1).await;
    drain(&w).await;
    let texts = texts_to(&app, "+447700900888").await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_eq!(texts[0].status, neighbourly::domain::OutboxStatus::Failed);
    assert!(texts[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("no text gateway"));
    let list = app
        .get("/api/v1/follow-ups?limit=200", Some(&coord.token))
        .await
        .expect(200);
    let failed = crate::harness::item_where(&list["items"], "person_id", &member.id);
    assert_eq!(failed["kind"], "message_failed");
    assert!(
        failed["summary"]
            .as_str()
            .unwrap()
            .starts_with("The text \u{201c}who is coming\u{201d} could not be delivered"),
        "{failed}"
    );

    // A report on a text: 401 without the secret, 422 for a kind Kannel never gives, and a
    // failure recorded as one.
    let id = texts[0].id.clone();
    app.get(&format!("/api/v1/sms/delivery?id={id}&status=1"), None)
        .await
        .expect(401);
    let bad = app
        .get(
            &format!("/api/v1/sms/delivery?secret={SECRET}&id={id}&status=3"),
            None,
        )
        .await;
    assert_eq!(bad.status, 422);
    app.post(
        &format!("/api/v1/sms/delivery?secret={SECRET}&id={id}&status=2"),
        None,
        json!({}),
    )
    .await
    .expect(204);
    let texts = texts_to(&app, "+447700900888").await;
    assert_eq!(texts[0].delivery.as_deref(), Some("failed"));
    // Texts from phones may come as JSON or a form; a missing field is named.
    let r = app
        .post(
            &format!("/api/v1/sms/inbound?secret={SECRET}"),
            None,
            json!({"from": "07700 900888"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["text"]);
    let form = app
        .client
        .post(format!(
            "{}/api/v1/sms/inbound?secret={SECRET}",
            app.address
        ))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("from=447700900888&text=HELP")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 204);
    let texts = texts_to(&app, "+447700900888").await;
    assert!(texts
        .last()
        .unwrap()
        .text_body
        .contains("To talk to a coordinator"));

    // Reports may come in any order and at once: once a text is delivered, a late "accepted"
    // or "buffered" does not undo it.
    let id = texts.last().unwrap().id.clone();
    let report = |status: u8| {
        let url = format!(
            "{}/api/v1/sms/delivery?secret={SECRET}&id={id}&status={status}",
            app.address
        );
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    let at_once =
        futures_util::future::join_all([8, 1, 4, 8, 8, 4, 8, 8, 4, 8].into_iter().map(&report))
            .await;
    assert!(at_once.iter().all(|s| *s == 204), "{at_once:?}");
    assert_eq!(report(8).await, 204);
    let texts = texts_to(&app, "+447700900888").await;
    assert_eq!(texts.last().unwrap().delivery.as_deref(), Some("delivered"));
}

/// A helper's NO by text turns the offer down through the same path as the app's button, and
/// the job goes to the next helper; the gateway may post the text as JSON.
async fn no_by_text_turns_the_offer_down(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, sms_settings("http://127.0.0.1:9/")).await else {
        return;
    };
    let coord = app.coordinator().await;
    let h1 = helper_near(&app, &coord, 0.3).await;
    by_text(&app, &coord, "helpers", &h1.id, "07700 900444").await;
    let member = app.member().await;
    let job = app.request(&member).await;
    let id = job["id"].as_str().unwrap().to_string();
    let offer = texts_to(&app, "+447700900444")
        .await
        .into_iter()
        .find(|t| t.text_body.contains("Reply YES"))
        .expect("the offer by text");
    let code = code_in(&offer.text_body, "NO");
    app.post(
        &format!("/api/v1/sms/inbound?secret={SECRET}"),
        None,
        json!({"from": "+44 7700 900444", "text": format!("no {code}")}),
    )
    .await
    .expect(204);
    let offers = app
        .get("/api/v1/offers?status=declined", Some(&h1.token))
        .await
        .expect(200);
    assert_eq!(offers["items"][0]["request_id"], id.as_str(), "{offers}");
    let answer = texts_to(&app, "+447700900444").await;
    assert_eq!(
        answer.last().unwrap().text_body,
        "Test Circle: Thank you, Hal. We will ask someone else."
    );
    // The same code again is no longer in use.
    app.post(
        &format!("/api/v1/sms/inbound?secret={SECRET}"),
        None,
        json!({"from": "447700900444", "text": format!("NO {code}")}),
    )
    .await
    .expect(204);
    let answer = texts_to(&app, "+447700900444").await;
    assert!(answer
        .last()
        .unwrap()
        .text_body
        .contains(&format!("could not find {code}")));
}
