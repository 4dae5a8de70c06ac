use crate::harness::RawDb;
use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::harness::{test_settings, Backend, TestApp, User};
use crate::on_both_backends;

on_both_backends!(
    a_new_request_is_offered_to_the_nearest_helpers_without_the_address,
    accepting_reveals_the_address_and_withdraws_the_other_offers,
    declines_pass_the_job_to_the_next_best,
    lapsed_offers_are_reoffered_and_passed_windows_expire,
    coordinators_see_ranked_candidates_with_reasons,
    a_blocked_helper_is_never_offered,
    batch_runs_propose_and_then_offer,
    cancelling_withdraws_open_offers,
    suspending_a_helper_passes_their_offers_on,
);

/// Helpers north of the member's home (51.4700, -0.0700) at about `km` kilometres.
async fn helper_km(app: &TestApp, coord: &User, km: f64) -> User {
    app.helper_at(coord, 51.4700 + km / 111.2, -0.0700).await
}

async fn offers_of(app: &TestApp, h: &User) -> Vec<Value> {
    app.get("/api/v1/offers", Some(&h.token)).await.expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn a_new_request_is_offered_to_the_nearest_helpers_without_the_address(app: TestApp) {
    let coord = app.coordinator().await;
    let near = helper_km(&app, &coord, 0.3).await;
    let mid = helper_km(&app, &coord, 1.0).await;
    let far = helper_km(&app, &coord, 2.0).await;
    let farthest = helper_km(&app, &coord, 2.5).await;
    let m = app.member().await;
    let r = app.request(&m).await;
    assert_eq!(r["status"], "offered");
    for h in [&near, &mid, &far] {
        let offers = offers_of(&app, h).await;
        assert_eq!(offers.len(), 1);
        let o = &offers[0];
        assert_eq!(o["request_id"], r["id"]);
        assert_eq!(o["status"], "open");
        assert_eq!(o["category"], "gardening");
        assert_eq!(o["standing_request"], false, "a one-off request");
        let text = o.to_string();
        for secret in ["Choumert", "Ada", "Member", "7946", "51.47,", "-0.07,"] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
        let d = o["distance_km"].as_f64().unwrap();
        assert_eq!((d * 10.0).round() / 10.0, d, "rounded to 0.1 km");
        assert!(o["area"]["cell_size_m"].as_u64().unwrap() >= 500);
    }
    assert!(
        offers_of(&app, &farthest).await.is_empty(),
        "only the best three"
    );
    // Members and coordinators have no inbox.
    app.get("/api/v1/offers", Some(&m.token)).await.expect(403);
    app.get("/api/v1/offers?status=nonsense", Some(&near.token))
        .await
        .expect(422);
}

async fn accepting_reveals_the_address_and_withdraws_the_other_offers(app: TestApp) {
    let coord = app.coordinator().await;
    let a = helper_km(&app, &coord, 0.3).await;
    let b = helper_km(&app, &coord, 0.6).await;
    let m = app.member().await;
    let r = app.request(&m).await;
    let id = r["id"].as_str().unwrap();
    app.get(&format!("/api/v1/requests/{id}"), Some(&a.token))
        .await
        .expect(404);
    let offer_a = offers_of(&app, &a).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let offer_b = offers_of(&app, &b).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // While open, both answers are allowed until the offer runs out.
    let open = &offers_of(&app, &a).await[0];
    let names: Vec<&str> = open["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["allowed"] == true && a["until"] == open["expires_at"])
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["accept", "decline"], "{open}");
    // Nobody else can act on an offer.
    app.post(
        &format!("/api/v1/offers/{offer_a}/accept"),
        Some(&b.token),
        json!({}),
    )
    .await
    .expect(404);
    app.post(
        &format!("/api/v1/offers/{offer_a}/accept"),
        Some(&m.token),
        json!({}),
    )
    .await
    .expect(403);

    let won = app
        .post(
            &format!("/api/v1/offers/{offer_a}/accept"),
            Some(&a.token),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(won["offer"]["status"], "accepted");
    assert_eq!(won["request"]["status"], "assigned");
    assert_eq!(
        won["request"]["member"]["address"],
        "12 Choumert Road, Peckham, SE15"
    );
    assert_eq!(won["request"]["member"]["phone"], "020 7946 0001");
    assert_eq!(won["request"]["helper"]["id"], a.id.as_str());
    app.get(&format!("/api/v1/requests/{id}"), Some(&a.token))
        .await
        .expect(200);

    let late = app
        .post(
            &format!("/api/v1/offers/{offer_b}/accept"),
            Some(&b.token),
            json!({}),
        )
        .await;
    assert_eq!(late.status, 409);
    assert!(
        late.body["detail"].as_str().unwrap().contains("taken"),
        "{}",
        late.body
    );
    assert_eq!(offers_of(&app, &b).await[0]["status"], "withdrawn");
    // The offer's own actions said so, in the same words.
    let after = &offers_of(&app, &b).await[0];
    for a in after["actions"].as_array().unwrap() {
        assert_eq!(a["allowed"], false, "{after}");
        assert_eq!(a["reason"], late.body["detail"], "{after}");
    }
    app.get(&format!("/api/v1/requests/{id}"), Some(&b.token))
        .await
        .expect(404);

    let log = app
        .state
        .db({
            let member = m.id.clone();
            move |c| Ok(neighbourly::db::audit::for_subject(c, &member)?)
        })
        .await
        .unwrap();
    let reveals: Vec<_> = log
        .iter()
        .filter(|(_, action, _)| action.as_str() == "member.address_revealed")
        .collect();
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0].0.as_deref(), Some(a.id.as_str()));
}

async fn declines_pass_the_job_to_the_next_best(app: TestApp) {
    let mut settings = test_settings();
    settings.matching.offers_per_request = 1;
    let app = TestApp::spawn_with(app_backend(&app), settings)
        .await
        .unwrap();
    let coord = app.coordinator().await;
    let a = helper_km(&app, &coord, 0.3).await;
    let b = helper_km(&app, &coord, 1.0).await;
    let m = app.member().await;
    let r = app.request(&m).await;
    assert!(offers_of(&app, &b).await.is_empty());
    let oa = offers_of(&app, &a).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let declined = app
        .post(
            &format!("/api/v1/offers/{oa}/decline"),
            Some(&a.token),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(declined["status"], "declined");
    app.post(
        &format!("/api/v1/offers/{oa}/accept"),
        Some(&a.token),
        json!({}),
    )
    .await
    .expect(409);
    let ob = offers_of(&app, &b).await;
    assert_eq!(ob.len(), 1, "the next best gets the offer");
    let ob = ob[0]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/offers/{ob}/decline"),
        Some(&b.token),
        json!({}),
    )
    .await
    .expect(200);
    // Nobody is left: the request is open and in the coordinators' queue.
    let id = r["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/requests/{id}"), Some(&m.token))
            .await
            .expect(200)["status"],
        "open"
    );
    let queue = app
        .get("/api/v1/requests?status=open", Some(&coord.token))
        .await
        .expect(200);
    assert!(queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id));
    assert!(
        offers_of(&app, &a).await.len() == 1,
        "a helper who declined is not asked again"
    );
}

fn app_backend(app: &TestApp) -> Backend {
    if app.settings.database.url.expose().starts_with("postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

async fn sweep(
    app: &TestApp,
    at: chrono::DateTime<chrono::Utc>,
) -> neighbourly::service::offering::sweep::SweepReport {
    app.state
        .run(move |svc| neighbourly::service::housekeeping::sweep_offers(svc, at.naive_utc()))
        .await
        .unwrap()
}

async fn lapsed_offers_are_reoffered_and_passed_windows_expire(app: TestApp) {
    let mut settings = test_settings();
    settings.matching.offers_per_request = 1;
    let app = TestApp::spawn_with(app_backend(&app), settings)
        .await
        .unwrap();
    let coord = app.coordinator().await;
    let a = helper_km(&app, &coord, 0.3).await;
    let b = helper_km(&app, &coord, 1.0).await;
    let m = app.member().await;
    let r = app.request(&m).await;
    let id = r["id"].as_str().unwrap().to_string();
    let oa = offers_of(&app, &a).await[0].clone();
    assert_eq!(
        sweep(&app, chrono::Utc::now()).await,
        Default::default(),
        "nothing due yet"
    );

    // Two hours on, A's offer has lapsed and B is asked.
    let later = chrono::Utc::now() + chrono::Duration::minutes(121);
    let report = sweep(&app, later).await;
    assert_eq!((report.lapsed_for, report.reoffered), (1, 1));
    assert_eq!(offers_of(&app, &a).await[0]["status"], "lapsed");
    let oa_id = oa["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/offers/{oa_id}/accept"),
            Some(&a.token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.body["detail"].as_str().unwrap().contains("lapsed"),
        "{}",
        r.body
    );
    assert_eq!(offers_of(&app, &b).await[0]["status"], "open");

    // After the window, the request expires and B's offer is withdrawn.
    let after = chrono::Utc::now() + chrono::Duration::days(2);
    assert_eq!(sweep(&app, after).await.expired, 1);
    let now = app
        .get(&format!("/api/v1/requests/{id}"), Some(&m.token))
        .await
        .expect(200);
    assert_eq!(now["status"], "expired");
    assert_eq!(offers_of(&app, &b).await[0]["status"], "withdrawn");
    assert_eq!(
        sweep(&app, after).await,
        Default::default(),
        "sweeping again changes nothing"
    );
}

async fn coordinators_see_ranked_candidates_with_reasons(app: TestApp) {
    let coord = app.coordinator().await;
    let near = helper_km(&app, &coord, 0.3).await;
    let far = helper_km(&app, &coord, 1.5).await;
    let _pending = app.applicant().await;
    let m = app.member().await;
    let r = app.request(&m).await;
    let path = format!("/api/v1/requests/{}/candidates", r["id"].as_str().unwrap());
    let list = app.get(&path, Some(&coord.token)).await.expect(200);
    let items = list["items"].as_array().unwrap();
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["helper_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [near.id.as_str(), far.id.as_str()]);
    let first = &items[0];
    assert!(first["score"].as_f64().unwrap() > items[1]["score"].as_f64().unwrap());
    assert!((first["distance_km"].as_f64().unwrap() - 0.3).abs() < 0.02);
    assert_eq!(
        first["reasons"]["rules_passed"].as_array().unwrap().len(),
        8
    );
    assert!(first["reasons"]["distance_points"].as_f64().unwrap() < 0.0);
    app.get(&path, Some(&m.token)).await.expect(403);
    app.get(&path, Some(&near.token)).await.expect(403);
    app.get(&format!("{path}?limit=0"), Some(&coord.token))
        .await
        .expect(422);
    app.get("/api/v1/requests/nope/candidates", Some(&coord.token))
        .await
        .expect(404);
}

async fn a_blocked_helper_is_never_offered(app: TestApp) {
    let coord = app.coordinator().await;
    let h = helper_km(&app, &coord, 0.3).await;
    let m = app.member().await;
    let other = app.member().await;
    let path = format!("/api/v1/members/{}/blocks", m.id);
    let r = app
        .post(&path, Some(&other.token), json!({"helper_id": h.id}))
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .post(&path, Some(&m.token), json!({"helper_id": "nobody"}))
        .await;
    assert_eq!(r.status, 422);
    let r = app
        .post(&path, Some(&m.token), json!({"helper_id": h.id}))
        .await;
    assert_eq!(r.status, 204);
    let req = app.request(&m).await;
    assert_eq!(req["status"], "open");
    assert!(offers_of(&app, &h).await.is_empty());
    // Assigning by hand is refused too.
    let id = req["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/requests/{id}/assign"),
            Some(&coord.token),
            json!({"helper_id": h.id}),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.body["detail"].as_str().unwrap().contains("blocked"),
        "{}",
        r.body
    );
    // Lifting the block lets the helper be assigned again; only the member or a coordinator can.
    let unblock = format!("/api/v1/members/{}/blocks/{}", m.id, h.id);
    app.call(reqwest::Method::DELETE, &unblock, Some(&other.token), None)
        .await
        .expect(404);
    app.call(reqwest::Method::DELETE, &unblock, Some(&m.token), None)
        .await
        .expect(204);
    app.call(reqwest::Method::DELETE, &unblock, Some(&m.token), None)
        .await
        .expect(404);
    app.post(
        &format!("/api/v1/requests/{id}/assign"),
        Some(&coord.token),
        json!({"helper_id": h.id}),
    )
    .await
    .expect(200);
}

async fn batch_runs_propose_and_then_offer(app: TestApp) {
    let coord = app.coordinator().await;
    let m1 = app.member().await;
    let m2 = app.member().await;
    let r1 = app.request(&m1).await;
    let r2 = app.request(&m2).await;
    assert_eq!(
        (r1["status"].as_str(), r2["status"].as_str()),
        (Some("open"), Some("open"))
    );
    let a = helper_km(&app, &coord, 0.3).await;
    let b = helper_km(&app, &coord, 0.8).await;
    app.post("/api/v1/matching/runs", Some(&m1.token), json!({}))
        .await
        .expect(403);
    let dry = app
        .post(
            "/api/v1/matching/runs",
            Some(&coord.token),
            json!({"dry_run": true}),
        )
        .await
        .expect(200);
    assert_eq!(dry["proposals"].as_array().unwrap().len(), 2);
    assert_eq!(dry["unassigned"], json!([]));
    assert!(
        offers_of(&app, &a).await.is_empty(),
        "a dry run makes no offers"
    );
    let run = app
        .post("/api/v1/matching/runs", Some(&coord.token), json!({}))
        .await
        .expect(201);
    assert_eq!(run["proposals"].as_array().unwrap().len(), 2);
    let helpers: Vec<&str> = run["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["helper_id"].as_str().unwrap())
        .collect();
    assert!(helpers.contains(&a.id.as_str()));
    let total: usize = offers_of(&app, &a).await.len() + offers_of(&app, &b).await.len();
    assert_eq!(total, 2);
    let r1 = app
        .get(
            &format!("/api/v1/requests/{}", r1["id"].as_str().unwrap()),
            Some(&m1.token),
        )
        .await
        .expect(200);
    assert_eq!(r1["status"], "offered");
}

async fn cancelling_withdraws_open_offers(app: TestApp) {
    let coord = app.coordinator().await;
    let h = helper_km(&app, &coord, 0.3).await;
    let m = app.member().await;
    let r = app.request(&m).await;
    app.post(
        &format!("/api/v1/requests/{}/cancel", r["id"].as_str().unwrap()),
        Some(&m.token),
        json!({}),
    )
    .await
    .expect(200);
    let o = &offers_of(&app, &h).await[0];
    assert_eq!(o["status"], "withdrawn");
    let r = app
        .post(
            &format!("/api/v1/offers/{}/accept", o["id"].as_str().unwrap()),
            Some(&h.token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409);
}

/// Twenty helpers accept the same job at once: exactly one wins.
async fn twenty_concurrent_accepts(backend: Backend) {
    let mut settings = test_settings();
    settings.matching.offers_per_request = 20;
    settings.server.workers = 4;
    settings.database.pool_size = 8;
    let Some(app) = TestApp::spawn_with(backend, settings).await else {
        return;
    };
    let coord = app.coordinator().await;
    let mut helpers = Vec::new();
    for i in 0..20 {
        helpers.push(helper_km(&app, &coord, 0.1 + i as f64 * 0.05).await);
    }
    let m = app.member().await;
    app.request(&m).await;
    let mut offer_ids = Vec::new();
    for h in &helpers {
        offer_ids.push(
            offers_of(&app, h).await[0]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let results = join_all(helpers.iter().zip(&offer_ids).map(|(h, o)| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/offers/{o}/accept"),
                Some(&h.token),
                json!({}),
            )
            .await
        }
    }))
    .await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        19,
        "{statuses:?}"
    );
    let winner = results.iter().find(|r| r.status == 200).unwrap();
    let list = app
        .get("/api/v1/requests", Some(&m.token))
        .await
        .expect(200);
    assert_eq!(
        list["items"][0]["helper"]["id"],
        winner.body["request"]["helper"]["id"]
    );
}

#[tokio::test]
async fn twenty_concurrent_accepts_give_one_winner_on_sqlite() {
    twenty_concurrent_accepts(Backend::Sqlite).await;
}

#[tokio::test]
async fn twenty_concurrent_accepts_give_one_winner_on_postgres() {
    twenty_concurrent_accepts(Backend::Postgres).await;
}

/// A suspended helper's open offers go to the next best helper, and they cannot accept.
async fn suspending_a_helper_passes_their_offers_on(app: TestApp) {
    let mut settings = test_settings();
    settings.matching.offers_per_request = 1;
    let app = TestApp::spawn_with(app_backend(&app), settings)
        .await
        .unwrap();
    let coord = app.coordinator().await;
    let a = helper_km(&app, &coord, 0.3).await;
    let b = helper_km(&app, &coord, 1.0).await;
    let m = app.member().await;
    app.request(&m).await;
    let offer = offers_of(&app, &a).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.suspend(&coord, &a).await;
    assert_eq!(offers_of(&app, &a).await[0]["status"], "withdrawn");
    assert_eq!(offers_of(&app, &b).await.len(), 1, "the job passed on");
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&a.token),
        json!({}),
    )
    .await
    .expect(409);
}
