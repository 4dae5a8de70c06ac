use crate::harness::RawDb;
use serde_json::json;

use crate::harness::TestApp;
use crate::on_both_backends;

on_both_backends!(
    same_key_same_body_replays,
    concurrent_retries_with_one_key_make_one_request,
    same_key_other_body_is_refused,
    keys_belong_to_each_caller,
    old_rows_are_pruned
);

async fn post_with_key(
    app: &TestApp,
    token: &str,
    key: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value, bool) {
    let resp = app
        .client
        .post(format!("{}/api/v1/requests", app.address))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let replayed = resp.headers().contains_key("idempotent-replayed");
    (resp.status().as_u16(), resp.json().await.unwrap(), replayed)
}

async fn count(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/requests", Some(token)).await.expect(200)["items"]
        .as_array()
        .unwrap()
        .len()
}

async fn same_key_same_body_replays(app: TestApp) {
    let m = app.member().await;
    let body = TestApp::request_body("shopping");
    let (s1, b1, r1) = post_with_key(&app, &m.token, "key-1", &body).await;
    let (s2, b2, r2) = post_with_key(&app, &m.token, "key-1", &body).await;
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(b1, b2);
    assert!(!r1 && r2);
    assert_eq!(count(&app, &m.token).await, 1);
    // Sign-up honours keys too.
    let email = "idem@example.org";
    let send = || {
        app.client
            .post(format!("{}/api/v1/members", app.address))
            .header("Idempotency-Key", "signup-1")
            .json(&TestApp::member_body(email))
            .send()
    };
    let a = send().await.unwrap();
    let b = send().await.unwrap();
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (201, 201));
    assert_eq!(
        a.json::<serde_json::Value>().await.unwrap()["id"],
        b.json::<serde_json::Value>().await.unwrap()["id"]
    );
}

async fn same_key_other_body_is_refused(app: TestApp) {
    let m = app.member().await;
    let (s, _, _) =
        post_with_key(&app, &m.token, "key-2", &TestApp::request_body("shopping")).await;
    assert_eq!(s, 201);
    let (s, b, _) =
        post_with_key(&app, &m.token, "key-2", &TestApp::request_body("gardening")).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(count(&app, &m.token).await, 1);
    // A failed first attempt does not use up the key.
    let mut bad = TestApp::request_body("shopping");
    bad["member_id"] = json!("someone-else");
    let (s, _, _) = post_with_key(&app, &m.token, "key-3", &bad).await;
    assert_eq!(s, 403);
    let (s, _, _) =
        post_with_key(&app, &m.token, "key-3", &TestApp::request_body("shopping")).await;
    assert_eq!(s, 201);
}

async fn keys_belong_to_each_caller(app: TestApp) {
    let a = app.member().await;
    let b = app.member().await;
    let body = TestApp::request_body("shopping");
    let (s1, r1, _) = post_with_key(&app, &a.token, "shared", &body).await;
    let (s2, r2, _) = post_with_key(&app, &b.token, "shared", &body).await;
    assert_eq!((s1, s2), (201, 201));
    assert_ne!(r1["id"], r2["id"]);
    assert_eq!(r2["member_id"], b.id.as_str());
}

async fn old_rows_are_pruned(app: TestApp) {
    let m = app.member().await;
    let body = TestApp::request_body("shopping");
    let (s, _, _) = post_with_key(&app, &m.token, "old-key", &body).await;
    assert_eq!(s, 201);
    app.login(&m.email, "wrong wrong wrong").await.expect(401);
    let later = neighbourly::db::now() + chrono::Duration::days(2);
    let pruned = app
        .state
        .db(move |c| {
            Ok(neighbourly::db::housekeeping::prune(
                c,
                later,
                chrono::Duration::minutes(15),
                chrono::Duration::days(30),
            )?)
        })
        .await
        .unwrap();
    assert_eq!((pruned.idempotency_keys, pruned.login_failures), (1, 1));
    // The key can be used afresh: it creates a new request.
    let (s, _, replayed) = post_with_key(&app, &m.token, "old-key", &body).await;
    assert_eq!((s, replayed), (201, false));
    assert_eq!(count(&app, &m.token).await, 2);
}

/// Ten copies of one request with one key, all at once: one does the work, the others wait for
/// it and replay its answer; none is refused as "in progress".
async fn concurrent_retries_with_one_key_make_one_request(app: TestApp) {
    let m = app.member().await;
    let body = TestApp::request_body("shopping");
    let answers = futures_util::future::join_all(
        (0..10).map(|_| post_with_key(&app, &m.token, "together", &body)),
    )
    .await;
    assert!(answers.iter().all(|(s, _, _)| *s == 201), "{answers:?}");
    assert_eq!(
        answers.iter().filter(|(_, _, replayed)| !replayed).count(),
        1
    );
    assert!(answers.iter().all(|(_, b, _)| *b == answers[0].1));
    assert_eq!(count(&app, &m.token).await, 1);
}
