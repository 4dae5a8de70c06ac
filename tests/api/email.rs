//! Email through a real SMTP conversation with a server inside the test process.

use crate::harness::RawDb;
use std::sync::Arc;

use chrono::Duration;
use neighbourly::config::Secret;
use neighbourly::notify::transport::Mailer;
use neighbourly::notify::worker::Worker;
use serde_json::json;

use crate::harness::{test_settings, Backend, TestApp, User};
use crate::smtp::SmtpServer;

pub(crate) async fn app_with_smtp(backend: Backend) -> Option<(TestApp, SmtpServer)> {
    let smtp = SmtpServer::start().await;
    let mut settings = test_settings();
    settings.email.smtp_url = Secret::new(smtp.url());
    Some((TestApp::spawn_with(backend, settings).await?, smtp))
}

pub(crate) fn worker(app: &TestApp) -> Worker {
    let mailer = Mailer::from_settings(&app.settings.email).unwrap();
    Worker::new(
        app.state.services.pool.clone(),
        app.settings.email.clone(),
        Arc::new(mailer),
    )
    .with_circle(&app.settings.circle)
}

pub(crate) async fn helper_near(app: &TestApp, coord: &User, km: f64) -> User {
    app.helper_at(coord, 51.4700 + km / 111.2, -0.0700).await
}

crate::on_both_backends!(
    backend:
    offers_and_accepts_send_the_right_emails,
    smtp_down_then_up_delivers_each_email_once,
    two_workers_never_send_one_email_twice,
    a_slow_server_and_two_workers_send_each_email_once,
    a_worker_stopped_mid_send_is_taken_over,
    hopeless_emails_fail_and_coordinators_see_them,
    offers_made_at_night_wait_for_the_morning_and_count_waking_hours,
    emails_that_say_to_ring_give_the_circles_number
);

/// An email that says to ring leaves with the Circle's name and number in those words, in its
/// plain-text and its HTML part, over a real SMTP conversation.
async fn emails_that_say_to_ring_give_the_circles_number(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    app.state
        .db(|c| {
            let mail = neighbourly::db::outbox::NewEmail {
                kind: neighbourly::domain::MessageKind::EventReminder,
                recipient: "edna@example.org".into(),
                subject: "Coffee morning tomorrow".into(),
                text_body: "If you can no longer come, please ring your coordinator.".into(),
                html_body: "<p>Ring your coordinator if you need a lift.</p>".into(),
                dedup_key: None,
                push: None,
            };
            neighbourly::db::outbox::enqueue(c, &mail, neighbourly::db::now())?;
            Ok(())
        })
        .await
        .unwrap();
    worker(&app).drain_once().await.unwrap();
    let sent = smtp.to("edna@example.org");
    assert_eq!(sent.len(), 1);
    let text = sent[0].part("text/plain").expect("a plain-text part");
    assert!(
        text.contains("please ring Test Circle on 020 7946 0999."),
        "{text}"
    );
    let html = sent[0].part("text/html").expect("an HTML part");
    assert!(
        html.contains("Ring Test Circle on 020 7946 0999 if you need a lift."),
        "{html}"
    );
}

async fn offers_and_accepts_send_the_right_emails(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let h1 = helper_near(&app, &coord, 0.3).await;
    let h2 = helper_near(&app, &coord, 0.6).await;
    let m = app.member().await;
    let w = worker(&app);
    w.drain_once().await.unwrap();
    // Approval emails went to both helpers.
    assert_eq!(
        smtp.to(&h1.email)[0].subject(),
        "You are approved as a Neighbourly helper"
    );
    let r = app.request(&m).await;
    let d = w.drain_once().await.unwrap();
    assert_eq!(d.sent, 2, "{d:?}");
    for h in [&h1, &h2] {
        let offers: Vec<_> = smtp
            .to(&h.email)
            .into_iter()
            .filter(|m| m.subject().starts_with("Can you help?"))
            .collect();
        assert_eq!(offers.len(), 1, "one offer email to {}", h.email);
        let text = offers[0].part("text/plain").expect("a plain-text part");
        let html = offers[0].part("text/html").expect("an HTML part");
        for part in [&text, &html] {
            assert!(part.contains("Trim the front hedge"), "{part}");
            assert!(
                !part.contains("Choumert") && !part.contains("7946 0001"),
                "no address or phone: {part}"
            );
        }
        assert_eq!(offers[0].from, "no-reply@neighbourly.example");
    }
    // Accepting sends the address to the winner and "your helper is coming" to the member.
    let offer = app.get("/api/v1/offers", Some(&h1.token)).await.expect(200)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&h1.token),
        json!({}),
    )
    .await
    .expect(200);
    w.drain_once().await.unwrap();
    let details: Vec<_> = smtp
        .to(&h1.email)
        .into_iter()
        .filter(|m| m.subject().starts_with("Your job on"))
        .collect();
    assert_eq!(details.len(), 1);
    let text = details[0].part("text/plain").unwrap();
    assert!(
        text.contains("12 Choumert Road, Peckham, SE15") && text.contains("020 7946 0001"),
        "{text}"
    );
    let coming = smtp.to(&m.email);
    assert_eq!(coming.len(), 1);
    assert!(
        coming[0].subject().contains("is coming to help"),
        "{}",
        coming[0].subject()
    );
    assert!(
        smtp.to(&h2.email)
            .iter()
            .all(|m| !m.subject().starts_with("Your job")),
        "the loser gets no address"
    );
    // Cancelling tells the assigned helper.
    app.post(
        &format!("/api/v1/requests/{}/cancel", r["id"].as_str().unwrap()),
        Some(&m.token),
        json!({"reason": "Feeling poorly"}),
    )
    .await
    .expect(200);
    w.drain_once().await.unwrap();
    let cancelled: Vec<_> = smtp
        .to(&h1.email)
        .into_iter()
        .filter(|m| m.subject().starts_with("Cancelled:"))
        .collect();
    assert_eq!(cancelled.len(), 1);
    assert!(cancelled[0]
        .part("text/plain")
        .unwrap()
        .contains("Feeling poorly"));
}

async fn smtp_down_then_up_delivers_each_email_once(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    smtp.set_accepting(false);
    let helpers = [
        helper_near(&app, &coord, 0.3).await,
        helper_near(&app, &coord, 0.5).await,
    ];
    let w = worker(&app);
    let first = w.drain_once().await.unwrap();
    assert_eq!((first.sent, first.retrying), (0, 2), "{first:?}");
    assert!(smtp.received().is_empty());
    let pending = app
        .get("/api/v1/outbox?status=pending", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(pending["items"].as_array().unwrap().len(), 2);
    assert_eq!(pending["items"][0]["attempts"], 1);
    assert!(
        pending["items"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("451"),
        "{pending}"
    );
    // Still down at the next try.
    let later = neighbourly::db::now() + Duration::seconds(5);
    assert_eq!(w.drain_at(later).await.unwrap().retrying, 2);
    smtp.set_accepting(true);
    // Not due yet: nothing is sent early.
    assert_eq!(w.drain_at(later).await.unwrap().sent, 0);
    let d = w.drain_at(later + Duration::minutes(10)).await.unwrap();
    assert_eq!(d.sent, 2);
    assert_eq!(
        w.drain_at(later + Duration::hours(2)).await.unwrap().sent,
        0,
        "nothing twice"
    );
    for h in &helpers {
        assert_eq!(smtp.to(&h.email).len(), 1, "exactly once to {}", h.email);
    }
}

/// `n` emails queued at once, "Message 0" to "Message n-1".
async fn queue_messages(app: &TestApp, n: usize) {
    app.state
        .db(move |c| {
            for i in 0..n {
                let mail = neighbourly::db::outbox::NewEmail {
                    kind: neighbourly::domain::MessageKind::JobDetails,
                    recipient: format!("person{i}@example.org"),
                    subject: format!("Message {i}"),
                    text_body: "Hello".into(),
                    html_body: "<p>Hello</p>".into(),
                    dedup_key: None,
                    push: None,
                };
                neighbourly::db::outbox::enqueue(c, &mail, neighbourly::db::now())?;
            }
            Ok(())
        })
        .await
        .unwrap();
}

async fn two_workers_never_send_one_email_twice(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    let n = 60;
    queue_messages(&app, n).await;
    let (a, b) = (worker(&app), worker(&app));
    let mut sent = 0;
    for _ in 0..10 {
        let (x, y) = tokio::join!(a.drain_once(), b.drain_once());
        let (x, y) = (x.unwrap(), y.unwrap());
        sent += x.sent + y.sent;
        if x.sent + y.sent == 0 {
            break;
        }
    }
    assert_eq!(sent, n);
    let got = smtp.received();
    assert_eq!(got.len(), n);
    let mut subjects: Vec<String> = got.iter().map(|m| m.subject()).collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), n, "no message twice");
}

/// A slow provider: each message takes 0.7 s, the lease is 3 s. Two workers poll all along (two
/// processes); neither may take over a message the other is still sending.
async fn a_slow_server_and_two_workers_send_each_email_once(backend: Backend) {
    let smtp = SmtpServer::start().await;
    smtp.set_delay_ms(700);
    let mut settings = test_settings();
    settings.email.smtp_url = Secret::new(smtp.url());
    settings.email.lease_secs = 3;
    settings.email.send_timeout_secs = 2;
    let Some(app) = TestApp::spawn_with(backend, settings).await else {
        return;
    };
    let n = 6;
    queue_messages(&app, n).await;
    let poll = |w: Worker, smtp: SmtpServer| async move {
        for _ in 0..200 {
            w.drain_once().await.unwrap();
            if smtp.received().len() >= n {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    tokio::join!(
        poll(worker(&app), smtp.clone()),
        poll(worker(&app), smtp.clone())
    );
    // Whatever was still being sent when the loops stopped has finished by now.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let mut subjects: Vec<String> = smtp.received().iter().map(|m| m.subject()).collect();
    subjects.sort();
    let all = subjects.len();
    subjects.dedup();
    assert_eq!(subjects.len(), n, "every message went out");
    assert_eq!(all, n, "no message twice: {subjects:?}");
}

async fn a_worker_stopped_mid_send_is_taken_over(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let h = helper_near(&app, &coord, 0.3).await;
    // A worker claims the email and then its process dies before sending.
    let now = neighbourly::db::now();
    let lease = app.settings.email.lease_secs;
    let claimed = app
        .state
        .db(move |c| {
            Ok(neighbourly::db::outbox::claim(
                c,
                "dead-worker",
                now,
                now + Duration::seconds(lease),
                20,
            )?)
        })
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let w = worker(&app);
    assert_eq!(
        w.drain_at(now).await.unwrap().sent,
        0,
        "the claim holds while its lease runs"
    );
    let d = w
        .drain_at(now + Duration::seconds(lease + 1))
        .await
        .unwrap();
    assert_eq!(d.sent, 1);
    assert_eq!(smtp.to(&h.email).len(), 1);
}

async fn hopeless_emails_fail_and_coordinators_see_them(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let mut settings = test_settings();
    settings.email.smtp_url = Secret::new(smtp.url());
    settings.email.max_attempts = 3;
    let Some(app) = TestApp::spawn_with(backend, settings).await else {
        return;
    };
    smtp.set_accepting(false);
    let coord = app.coordinator().await;
    let _h = helper_near(&app, &coord, 0.3).await;
    let w = worker(&app);
    let mut t = neighbourly::db::now();
    let mut failed = 0;
    for _ in 0..5 {
        failed += w.drain_at(t).await.unwrap().failed;
        t += Duration::hours(2);
    }
    assert_eq!(failed, 1);
    let list = app
        .get("/api/v1/outbox?status=failed", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["attempts"], 3);
    app.get("/api/v1/outbox", Some(&_h.token)).await.expect(403);
    app.get("/api/v1/outbox?status=lost", Some(&coord.token))
        .await
        .expect(422);
}

#[tokio::test]
async fn without_smtp_emails_are_written_as_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings();
    settings.email.mail_dir = dir.path().join("mail").display().to_string();
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let coord = app.coordinator().await;
    let h = helper_near(&app, &coord, 0.3).await;
    assert_eq!(worker(&app).drain_once().await.unwrap().sent, 1);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
    assert!(text.contains(&format!("To: {}", h.email)), "{text}");
}

/// The Circle's clock moved on to the next `hh:mm` in its time zone.
fn travel_to_local(app: &TestApp, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let tz = app.settings.reports.timezone;
    let now = app.clock.now().and_utc();
    let local = now.with_timezone(&tz);
    let mut day = local.date_naive();
    let target = |d: chrono::NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(hour, minute, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    while target(day) <= now {
        day = day.succ_opt().unwrap();
    }
    let at = target(day);
    app.travel(at - now);
    at
}

/// Gardening asked for by `m` in four hours from `start`.
async fn ask_from(app: &TestApp, m: &User, start: chrono::DateTime<chrono::Utc>) {
    let mut body = TestApp::request_body("gardening");
    let end = start + Duration::hours(4);
    body["window"] = json!({"start": start.to_rfc3339(), "end": end.to_rfc3339()});
    app.post("/api/v1/requests", Some(&m.token), body)
        .await
        .expect(201);
}

async fn offers_made_at_night_wait_for_the_morning_and_count_waking_hours(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let mut settings = test_settings();
    settings.email.smtp_url = Secret::new(smtp.url());
    settings.matching.quiet_hours =
        neighbourly::domain::quiet::QuietSpan::parse("21:00-08:00").unwrap();
    settings.matching.offer_ttl_minutes = 120;
    let Some(app) = TestApp::spawn_with(backend, settings).await else {
        return;
    };
    let coord = app.coordinator().await;
    let h = helper_near(&app, &coord, 0.3).await;
    let m = app.member().await;
    let w = worker(&app);
    w.drain_at(app.clock.now()).await.unwrap();
    let asked_at = travel_to_local(&app, 0, 17);
    let wake = asked_at + Duration::minutes(7 * 60 + 43);
    // A visit two days off: the offer waits for the morning and runs to 10:00, not 02:17.
    ask_from(&app, &m, asked_at + Duration::days(2)).await;
    let offers = app.get("/api/v1/offers", Some(&h.token)).await.expect(200);
    let expires: chrono::DateTime<chrono::Utc> = offers["items"][0]["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(expires, wake + Duration::hours(2), "{offers}");
    w.drain_at(app.clock.now()).await.unwrap();
    let offered = |to: &str| {
        smtp.to(to)
            .iter()
            .filter(|m| m.subject().starts_with("Can you help?"))
            .count()
    };
    assert_eq!(offered(&h.email), 0, "nobody is woken at 00:17");
    w.drain_at(wake.naive_utc()).await.unwrap();
    assert_eq!(offered(&h.email), 1, "the offer arrives at 08:00");
    // A visit this morning is offered at once, night or not.
    let h2 = helper_near(&app, &coord, 0.4).await;
    w.drain_at(app.clock.now()).await.unwrap();
    ask_from(&app, &m, asked_at + Duration::hours(2)).await;
    w.drain_at(app.clock.now()).await.unwrap();
    assert_eq!(
        offered(&h2.email),
        1,
        "an offer for a visit within 12 hours goes at once"
    );
}
