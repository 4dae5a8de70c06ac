//! Web Push to a push service run by the test on 127.0.0.1: the VAPID JWT is checked with the
//! served key (`aud`, `exp`, `sub`), the payload decrypted with the subscription's private key;
//! a 503 is retried and arrives once, a 410 forgets the subscription; two workers send each push
//! once; endpoints that would reach inside the network are refused; a closed account's
//! subscriptions go.

use crate::harness::RawDb;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use neighbourly::notify::worker::Worker;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use serde_json::{json, Value};

use crate::harness::{test_settings, Backend, TestApp, User};
use crate::push_service::{Posted, PushService};

crate::on_both_backends!(
    backend:
    a_subscribed_phone_hears_of_an_offer,
    two_workers_push_each_message_once,
    subscriptions_refuse_inside_addresses_and_go_with_the_account
);

/// A browser's side of a subscription: its key pair and secret.
struct Browser {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new() -> Browser {
        Browser {
            secret: p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng),
            auth: rand::random(),
        }
    }

    fn subscription(&self, endpoint: &str) -> Value {
        let point = self.secret.public_key().to_encoded_point(false);
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": {
                "p256dh": URL_SAFE_NO_PAD.encode(point.as_bytes()),
                "auth": URL_SAFE_NO_PAD.encode(self.auth),
            },
        })
    }

    /// What a post said, decrypted.
    fn read(&self, posted: &Posted) -> Value {
        let auth = web_push_native::Auth::from(self.auth);
        let plain = web_push_native::decrypt(posted.body.clone(), &self.secret, &auth)
            .expect("the payload decrypts with the subscription's key");
        serde_json::from_slice(&plain).expect("the payload is JSON")
    }
}

async fn push_app(backend: Backend) -> Option<TestApp> {
    let mut settings = test_settings();
    settings.push.allow_http_loopback = true;
    TestApp::spawn_with(backend, settings).await
}

fn worker(app: &TestApp) -> Worker {
    let mailer =
        neighbourly::notify::transport::Mailer::from_settings(&app.settings.email).unwrap();
    let push = neighbourly::startup::push_sender(&app.state.settings).unwrap();
    Worker::new(
        app.state.services.pool.clone(),
        app.settings.email.clone(),
        Arc::new(mailer),
    )
    .with_push(Arc::new(push))
}

/// Drain until nothing is due at `at`.
async fn drain(w: &Worker, at: chrono::NaiveDateTime) {
    while w.drain_at(at).await.unwrap().sent > 0 {}
}

/// The VAPID signature of a post, checked as a push service does: signed by the served key, for
/// this origin, not expired, with a contact.
async fn assert_signed(app: &TestApp, service: &PushService, posted: &Posted) {
    let key = app.get("/api/v1/push/key", None).await.expect(200)["public_key"]
        .as_str()
        .unwrap()
        .to_string();
    let auth = posted
        .headers
        .get("authorization")
        .expect("an Authorization header");
    let rest = auth.strip_prefix("vapid ").expect("the vapid scheme");
    let mut jwt = None;
    let mut k = None;
    for part in rest.split(',') {
        let (name, value) = part.trim().split_once('=').unwrap();
        match name {
            "t" => jwt = Some(value.to_string()),
            "k" => k = Some(value.to_string()),
            _ => {}
        }
    }
    assert_eq!(k.as_deref(), Some(key.as_str()), "k is the served key");
    let public = URL_SAFE_NO_PAD.decode(&key).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.set_audience(&[service.origin()]);
    validation.set_required_spec_claims(&["exp", "aud", "sub"]);
    let token = jsonwebtoken::decode::<Value>(
        jwt.as_deref().unwrap(),
        &jsonwebtoken::DecodingKey::from_ec_der(&public),
        &validation,
    )
    .expect("the VAPID JWT verifies with the served key");
    let exp = token.claims["exp"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!(
        exp > now && exp <= now + 24 * 3600,
        "exp within 24 hours: {exp}"
    );
    assert_eq!(token.claims["sub"], "mailto:no-reply@neighbourly.example");
    assert_eq!(posted.headers["content-encoding"], "aes128gcm");
}

async fn subscribe(app: &TestApp, who: &User, browser: &Browser, endpoint: &str) -> u16 {
    app.post(
        "/api/v1/me/push-subscriptions",
        Some(&who.token),
        browser.subscription(endpoint),
    )
    .await
    .status
    .as_u16()
}

async fn a_subscribed_phone_hears_of_an_offer(backend: Backend) {
    let Some(app) = push_app(backend).await else {
        return;
    };
    let service = PushService::start().await;
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    let phone = Browser::new();
    let endpoint = service.endpoint("helper-phone");
    assert_eq!(subscribe(&app, &helper, &phone, &endpoint).await, 201);
    assert_eq!(
        subscribe(&app, &helper, &phone, &endpoint).await,
        200,
        "the same again"
    );
    let w = worker(&app);
    let now = neighbourly::db::now();
    drain(&w, now).await;
    let before = service.posted().len();

    // The push service is down once: the push is retried and arrives once.
    service.answer_next(&[503]);
    app.request(&member).await;
    drain(&w, neighbourly::db::now()).await;
    let later = neighbourly::db::now() + Duration::hours(2);
    drain(&w, later).await;
    let posts: Vec<Posted> = service.posted().into_iter().skip(before).collect();
    assert_eq!(
        posts.iter().map(|p| p.status).collect::<Vec<_>>(),
        [503, 201]
    );
    let delivered = &posts[1];
    assert_eq!(delivered.path, "/push/helper-phone");
    assert_signed(&app, &service, delivered).await;
    let ttl: i64 = delivered.headers["ttl"].parse().unwrap();
    assert!(
        ttl > 0 && ttl <= 2 * 3600,
        "an offer's push lives as long as the offer: {ttl}"
    );
    let said = phone.read(delivered);
    assert_eq!(said["title"], "Can you help a neighbour?");
    assert!(
        said["body"]
            .as_str()
            .unwrap()
            .contains("Help with the garden"),
        "{said}"
    );
    assert!(
        said["url"].as_str().unwrap().starts_with("/app/#/offers/"),
        "{said}"
    );
    let text = said.to_string();
    for private in ["Choumert", "7946", "Member", "51."] {
        assert!(
            !text.contains(private),
            "no address, phone, surname or position: {text}"
        );
    }

    // The push service says the subscription is gone: it is forgotten, and nothing more is sent.
    service.answer_next(&[410]);
    app.request(&member).await;
    drain(&w, later).await;
    let after_gone = service.posted().len();
    app.request(&member).await;
    drain(&w, later).await;
    assert_eq!(
        service.posted().len(),
        after_gone,
        "nothing posted to a gone subscription"
    );
    assert_eq!(
        app.call(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/me/push-subscriptions?endpoint={}",
                urlencode(&endpoint)
            ),
            Some(&helper.token),
            None,
        )
        .await
        .status,
        404,
        "forgotten"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Two workers (as in two server processes on one database) drain at once: each push is posted
/// once.
async fn two_workers_push_each_message_once(backend: Backend) {
    let Some(app) = push_app(backend).await else {
        return;
    };
    let service = PushService::start().await;
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    let phones: Vec<Browser> = (0..3).map(|_| Browser::new()).collect();
    for (i, phone) in phones.iter().enumerate() {
        let endpoint = service.endpoint(&format!("phone-{i}"));
        assert_eq!(subscribe(&app, &helper, phone, &endpoint).await, 201);
    }
    for _ in 0..4 {
        app.request(&member).await;
    }
    let (a, b) = (worker(&app), worker(&app));
    let now = neighbourly::db::now();
    futures_util::future::join(drain(&a, now), drain(&b, now)).await;
    let posts = service.posted();
    let offers_pushed = posts.len();
    assert_eq!(offers_pushed, 12, "4 offers to 3 phones, each once");
    for (i, phone) in phones.iter().enumerate() {
        let mine: Vec<&Posted> = posts
            .iter()
            .filter(|p| p.path == format!("/push/phone-{i}"))
            .collect();
        assert_eq!(mine.len(), 4);
        for p in mine {
            assert!(phone.read(p)["url"].as_str().unwrap().starts_with("/app/"));
        }
    }
}

async fn subscriptions_refuse_inside_addresses_and_go_with_the_account(backend: Backend) {
    let Some(app) = push_app(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let phone = Browser::new();
    for endpoint in [
        "http://push.example.org/x",
        "https://10.1.2.3/x",
        "https://192.168.0.10/x",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/x",
        "https://[::1]/x",
        "http://localhost:9000/x",
    ] {
        let r = app
            .post(
                "/api/v1/me/push-subscriptions",
                Some(&helper.token),
                phone.subscription(endpoint),
            )
            .await;
        assert_eq!(r.status, 422, "{endpoint}: {}", r.body);
        assert_eq!(r.fields(), ["endpoint"], "{endpoint}");
    }
    let mut short = phone.subscription("http://127.0.0.1:9/push/x");
    short["keys"]["auth"] = json!("AAAA");
    let r = app
        .post("/api/v1/me/push-subscriptions", Some(&helper.token), short)
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["keys.auth"]);
    assert_eq!(
        app.post(
            "/api/v1/me/push-subscriptions",
            None,
            phone.subscription("http://127.0.0.1:9/push/x")
        )
        .await
        .status,
        401
    );
    let key = app.get("/api/v1/push/key", None).await.expect(200);
    let public = URL_SAFE_NO_PAD
        .decode(key["public_key"].as_str().unwrap())
        .unwrap();
    assert!(p256::PublicKey::from_sec1_bytes(&public).is_ok() && public.len() == 65);

    // Kept, then removed with the account.
    let endpoint = "http://127.0.0.1:9/push/helper";
    assert_eq!(subscribe(&app, &helper, &phone, endpoint).await, 201);
    app.post(
        &format!("/api/v1/users/{}/deactivate", helper.id),
        Some(&coord.token),
        json!({"reason": "Moved away"}),
    )
    .await
    .expect(200);
    let id = helper.id.clone();
    let left = app
        .state
        .db(move |c| {
            use diesel::prelude::*;
            use neighbourly::db::schema::push_subscriptions as ps;
            Ok(ps::table
                .filter(ps::user_id.eq(id))
                .count()
                .get_result::<i64>(c)?)
        })
        .await
        .unwrap();
    assert_eq!(left, 0);
}
