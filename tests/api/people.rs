//! Finding people, changing their details, deactivating accounts, password resets, the audit log,
//! and why nobody fits a request.

use crate::harness::RawDb;
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{TestApp, User, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    members_are_found_by_name_phone_email_and_postcode,
    searching_refuses_bad_input_and_other_roles,
    profiles_change_by_their_owner_or_a_coordinator,
    a_helper_who_moves_is_matched_from_the_new_home_at_once,
    helpers_are_listed_by_vetting_skill_expiry_and_nearness,
    deactivation_ends_access_at_once_and_passes_offers_on,
    password_reset_works_once_by_emailed_link,
    candidates_and_the_open_queue_say_why_nobody_fits,
    coordinators_read_the_audit_log,
    a_request_tells_its_story,
    racing_changes_to_one_email_leave_one_owner,
    a_reset_link_raced_works_once,
);

async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> crate::harness::Resp {
    app.call(Method::PATCH, path, Some(token), Some(body)).await
}

/// A member registered by a coordinator with the given name, phone and address.
async fn registered(app: &TestApp, coord: &User, name: &str, phone: &str, address: &str) -> String {
    let body = app
        .post(
            "/api/v1/members",
            Some(&coord.token),
            json!({"name": name, "phone": phone, "address": address,
                   "location": {"lat": 51.47, "lon": -0.07}}),
        )
        .await
        .expect(201);
    body["id"].as_str().unwrap().to_string()
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

async fn search(app: &TestApp, coord: &User, q: &str) -> Vec<String> {
    let q = q.replace(' ', "%20").replace('+', "%2B");
    names(
        &app.get(&format!("/api/v1/members?q={q}"), Some(&coord.token))
            .await
            .expect(200),
    )
}

async fn members_are_found_by_name_phone_email_and_postcode(app: TestApp) {
    let coord = app.coordinator().await;
    registered(
        &app,
        &coord,
        "Edith Smith",
        "020 7946 0101",
        "3 Bellenden Road, SE15 4RF",
    )
    .await;
    registered(
        &app,
        &coord,
        "Joan Smithers",
        "020 7946 0102",
        "9 Lyndhurst Way, SE15 5AG",
    )
    .await;
    registered(
        &app,
        &coord,
        "Arthur Blacksmith",
        "07700 900123",
        "1 Rye Lane, SE15 4ST",
    )
    .await;

    assert_eq!(
        search(&app, &coord, "smith").await,
        ["Arthur Blacksmith", "Edith Smith", "Joan Smithers"]
    );
    // The name starting with the term comes before names that merely hold it.
    assert_eq!(search(&app, &coord, "jo").await[0], "Joan Smithers");
    // A phone number matches with or without its spaces, and by part.
    assert_eq!(search(&app, &coord, "02079460101").await, ["Edith Smith"]);
    assert_eq!(
        search(&app, &coord, "07700 900 123").await,
        ["Arthur Blacksmith"]
    );
    // A postcode, in any case and spacing.
    assert_eq!(search(&app, &coord, "se155ag").await, ["Joan Smithers"]);
    assert_eq!(search(&app, &coord, "SE15 4RF").await, ["Edith Smith"]);
    assert!(search(&app, &coord, "nobody-like-this").await.is_empty());
    // LIKE's wildcards are plain characters.
    assert!(search(&app, &coord, "%").await.is_empty());

    let email = "ruby.jones@example.org";
    app.post("/api/v1/members", None, TestApp::member_body(email))
        .await
        .expect(201);
    let found = app
        .get("/api/v1/members?q=RUBY.JONES", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(found["items"][0]["email"], email);
    assert_eq!(found["items"][0]["active"], true);

    // Pages: two, then the rest, then nothing more.
    let first = app
        .get("/api/v1/members?q=smith&limit=2", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(names(&first), ["Arthur Blacksmith", "Edith Smith"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/members?q=smith&limit=2&cursor={cursor}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(names(&second), ["Joan Smithers"]);
    assert!(second["next_cursor"].is_null());
}

async fn searching_refuses_bad_input_and_other_roles(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.applicant().await;
    for path in ["/api/v1/members?q=a", "/api/v1/helpers", "/api/v1/audit"] {
        app.get(path, Some(&member.token)).await.expect(403);
        app.get(path, Some(&helper.token)).await.expect(403);
        app.get(path, None).await.expect(401);
    }
    let cases = [
        ("/api/v1/members?limit=0", "limit"),
        ("/api/v1/members?cursor=nonsense", "cursor"),
        ("/api/v1/helpers?vetting=maybe", "vetting"),
        ("/api/v1/helpers?skill=juggling", "skill"),
        (
            "/api/v1/helpers?expiring_within_days=-1",
            "expiring_within_days",
        ),
        ("/api/v1/helpers?near=north", "near"),
        ("/api/v1/helpers?near=95,0", "near"),
        ("/api/v1/helpers?near=51.5,-0.1&within_km=0", "within_km"),
        ("/api/v1/helpers?within_km=3", "within_km"),
        ("/api/v1/audit?cursor=nonsense", "cursor"),
    ];
    for (path, field) in cases {
        let r = app.get(path, Some(&coord.token)).await;
        assert_eq!(r.status, 422, "{path}: {}", r.body);
        assert_eq!(r.fields(), [field], "{path}");
    }
    let long = "x".repeat(201);
    let r = app
        .get(&format!("/api/v1/members?q={long}"), Some(&coord.token))
        .await;
    assert_eq!(r.status, 422);
    let r = app
        .get(
            "/api/v1/helpers?expiring_within_days=soon",
            Some(&coord.token),
        )
        .await;
    assert_eq!(r.status, 400);
}

async fn profiles_change_by_their_owner_or_a_coordinator(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let other = app.member().await;
    let path = format!("/api/v1/members/{}", member.id);

    let changed = patch(
        &app,
        &path,
        &member.token,
        json!({"name": "Ada Lovelace", "address": "5 Consort Road, SE15 2PH",
               "location": {"lat": 51.468, "lon": -0.062}}),
    )
    .await
    .expect(200);
    assert_eq!(changed["name"], "Ada Lovelace");
    assert_eq!(changed["address"], "5 Consort Road, SE15 2PH");
    assert_eq!(changed["location"]["lat"], 51.468);
    assert_eq!(changed["phone"], "020 7946 0001", "fields left out stay");

    let by_coord = patch(&app, &path, &coord.token, json!({"phone": null}))
        .await
        .expect(200);
    assert!(by_coord["phone"].is_null());

    patch(&app, &path, &other.token, json!({"name": "Mallory"}))
        .await
        .expect(404);
    let r = app
        .call(Method::PATCH, &path, None, Some(json!({"name": "X"})))
        .await;
    assert_eq!(r.status, 401);

    let taken = patch(&app, &path, &member.token, json!({"email": other.email})).await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    for (body, field) in [
        (json!({"name": null}), "name"),
        (json!({"name": "  "}), "name"),
        (json!({"email": "nope"}), "email"),
        (json!({"email": null}), "email"),
        (json!({"phone": "call me"}), "phone"),
        (json!({"address": null}), "address"),
        (
            json!({"location": {"lat": 100.0, "lon": 0.0}}),
            "location.lat",
        ),
    ] {
        let r = patch(&app, &path, &member.token, body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(r.fields(), [field], "{body}");
    }
    // A member with no email keeps a phone.
    let phone_only = registered(&app, &coord, "Phone Only", "020 7946 0999", "1 Rye Lane").await;
    let r = patch(
        &app,
        &format!("/api/v1/members/{phone_only}"),
        &coord.token,
        json!({"phone": null}),
    )
    .await;
    assert_eq!(r.fields(), ["phone"]);

    // A helper edits their own profile, and reads their availability back.
    let helper = app.helper(&coord).await;
    let hpath = format!("/api/v1/helpers/{}", helper.id);
    let h = patch(
        &app,
        &hpath,
        &helper.token,
        json!({"skills": ["shopping"], "phone": "020 7946 0555"}),
    )
    .await
    .expect(200);
    assert_eq!(h["skills"], json!(["shopping"]));
    assert_eq!(h["phone"], "020 7946 0555");
    for (body, field) in [
        (json!({"skills": []}), "skills"),
        (json!({"skills": ["juggling"]}), "skills"),
        (json!({"max_distance_km": 0}), "max_distance_km"),
        (json!({"max_distance_km": 51}), "max_distance_km"),
        (json!({"home": null}), "home"),
    ] {
        let r = patch(&app, &hpath, &helper.token, body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(r.fields(), [field], "{body}");
    }
    patch(&app, &hpath, &member.token, json!({"name": "X"}))
        .await
        .expect(404);
    let avail_path = format!("{hpath}/availability");
    let avail = app.get(&avail_path, Some(&helper.token)).await.expect(200);
    assert_eq!(avail["timezone"], "Europe/London");
    assert_eq!(avail["weekly"].as_array().unwrap().len(), 7);
    app.get(&avail_path, Some(&coord.token)).await.expect(200);
    app.get(&avail_path, Some(&member.token)).await.expect(404);

    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["user.profile_changed", "user.profile_changed"]);
    assert_eq!(log["items"][0]["actor_id"], coord.id.as_str());
    assert_eq!(log["items"][0]["detail"], "fields=phone");
}

async fn a_helper_who_moves_is_matched_from_the_new_home_at_once(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let first = app.request(&member).await;
    assert_eq!(first["status"], "offered");
    // They move 20 km north: out of reach of the member.
    patch(
        &app,
        &format!("/api/v1/helpers/{}", helper.id),
        &helper.token,
        json!({"home": {"lat": 51.65, "lon": -0.07}}),
    )
    .await
    .expect(200);
    let second = app.request(&member).await;
    assert_eq!(
        second["status"], "open",
        "the moved helper is no longer in reach"
    );
    // And back, with a longer reach: offered again.
    patch(
        &app,
        &format!("/api/v1/helpers/{}", helper.id),
        &coord.token,
        json!({"home": {"lat": 51.4720, "lon": -0.0720}, "max_distance_km": 10}),
    )
    .await
    .expect(200);
    let third = app.request(&member).await;
    assert_eq!(third["status"], "offered");
}

async fn helpers_are_listed_by_vetting_skill_expiry_and_nearness(app: TestApp) {
    let coord = app.coordinator().await;
    let first = app.applicant_at(51.50, -0.10).await;
    let second = app.applicant_at(51.60, -0.10).await;
    let approved_near = app.helper_at(&coord, 51.472, -0.072).await;
    let approved_far = app.helper_at(&coord, 51.55, -0.072).await;

    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let queue = app
        .get("/api/v1/helpers?vetting=pending", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(
        ids(&queue),
        [first.id.clone(), second.id.clone()],
        "applications oldest first"
    );
    assert_eq!(queue["items"][0]["vetting"]["status"], "pending");

    let near = app
        .get(
            "/api/v1/helpers?vetting=approved&near=51.47,-0.07&within_km=20",
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(
        ids(&near),
        [approved_near.id.clone(), approved_far.id.clone()],
        "nearest first"
    );
    let close = app
        .get(
            "/api/v1/helpers?near=51.47,-0.07&within_km=1",
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(ids(&close), [approved_near.id.as_str()]);

    let gardeners = app
        .get("/api/v1/helpers?skill=gardening", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(gardeners["items"].as_array().unwrap().len(), 4);
    let shoppers = app
        .get("/api/v1/helpers?skill=shopping", Some(&coord.token))
        .await
        .expect(200);
    assert!(shoppers["items"].as_array().unwrap().is_empty());

    // Vetting that runs out within 30 days.
    let soon = (chrono::Utc::now() + chrono::Duration::days(10)).date_naive();
    app.post(
        &format!("/api/v1/helpers/{}/vetting", approved_far.id),
        Some(&coord.token),
        json!({"status": "approved", "expires_on": soon.to_string()}),
    )
    .await
    .expect(200);
    let expiring = app
        .get(
            "/api/v1/helpers?expiring_within_days=30",
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(ids(&expiring), [approved_far.id.as_str()]);

    let by_email = app
        .get(
            &format!("/api/v1/helpers?q={}", second.email),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(ids(&by_email), [second.id.as_str()]);

    let page = app
        .get("/api/v1/helpers?limit=3", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/helpers?limit=3&cursor={cursor}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
}

async fn deactivation_ends_access_at_once_and_passes_offers_on(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let request = app.request(&member).await;
    assert_eq!(request["status"], "offered");
    let inbox = app
        .get("/api/v1/offers", Some(&helper.token))
        .await
        .expect(200);
    assert_eq!(inbox["items"].as_array().unwrap().len(), 1);
    let cover = app.helper(&coord).await;

    let path = format!("/api/v1/users/{}/deactivate", helper.id);
    app.post(&path, Some(&member.token), json!({"reason": "x"}))
        .await
        .expect(403);
    let r = app.post(&path, Some(&coord.token), json!({})).await;
    assert_eq!(r.status, 422);
    let r = app
        .post(&path, Some(&coord.token), json!({"reason": "  "}))
        .await;
    assert_eq!(r.fields(), ["reason"]);
    app.post(
        "/api/v1/users/nobody/deactivate",
        Some(&coord.token),
        json!({"reason": "x"}),
    )
    .await
    .expect(404);
    let own = app
        .post(
            &format!("/api/v1/users/{}/deactivate", coord.id),
            Some(&coord.token),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(own.status, 422);

    let done = app
        .post(&path, Some(&coord.token), json!({"reason": "Moved away"}))
        .await
        .expect(200);
    assert_eq!(done["active"], false);
    assert!(done["deactivated_at"].is_string());
    // Again is not an error.
    app.post(&path, Some(&coord.token), json!({"reason": "Moved away"}))
        .await
        .expect(200);

    // The next call with the old access token is refused, and so is the refresh token.
    app.get("/api/v1/me", Some(&helper.token)).await.expect(401);
    // A write with it does nothing, and bad input with it is a 401 too, not a 422: the token
    // is checked in the use case's own transaction, and before any answer is given.
    let availability = format!("/api/v1/helpers/{}/availability", helper.id);
    let hours = json!({"timezone": "Europe/London", "weekly": [], "time_off": []});
    app.put(&availability, Some(&helper.token), hours)
        .await
        .expect(401);
    let bad = json!({"timezone": "Europe/Narnia", "weekly": [], "time_off": []});
    app.put(&availability, Some(&helper.token), bad)
        .await
        .expect(401);
    let kept = app
        .get(
            &format!("/api/v1/helpers/{}", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_ne!(kept["availability"]["weekly"], json!([]), "{kept}");
    app.get("/api/v1/offers", Some(&helper.token))
        .await
        .expect(401);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": helper.refresh}),
    )
    .await
    .expect(401);
    let login = app.login(&helper.email, PASSWORD).await;
    assert_eq!(login.status, 401);
    assert!(login.body["detail"]
        .as_str()
        .unwrap()
        .contains("deactivated"));

    // The offer went on to the other helper.
    let theirs = app
        .get("/api/v1/offers", Some(&cover.token))
        .await
        .expect(200);
    assert_eq!(theirs["items"][0]["request_id"], request["id"]);
    // And a deactivated helper is not offered new jobs.
    let profile = app
        .get(
            &format!("/api/v1/helpers/{}", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(profile["active"], false);
    let cands = app
        .get(
            &format!(
                "/api/v1/requests/{}/candidates",
                request["id"].as_str().unwrap()
            ),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(cands["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["helper_id"] != helper.id.as_str()));

    let back = app
        .post(
            &format!("/api/v1/users/{}/reactivate", helper.id),
            Some(&coord.token),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(back["active"], true);
    // The old access token stays ended; signing in again works.
    app.get("/api/v1/me", Some(&helper.token)).await.expect(401);
    let again = app.login(&helper.email, PASSWORD).await.expect(200);
    app.get("/api/v1/me", again["access_token"].as_str())
        .await
        .expect(200);
    // Reactivating without a body works too, and twice is not an error.
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/reactivate", helper.id),
            Some(&coord.token),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={}", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(&actions[..2], ["user.reactivated", "user.deactivated"]);
    assert_eq!(log["items"][1]["detail"], "Moved away");
}

/// The token in the newest password-reset email to `to`.
pub(crate) async fn reset_token(app: &TestApp, to: &str) -> Option<String> {
    crate::harness::token_in_email(app, to, "password_reset", "/reset/").await
}

async fn password_reset_works_once_by_emailed_link(app: TestApp) {
    let member = app.member().await;
    let unknown = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": "nobody@example.org"}),
        )
        .await
        .expect(202);
    let known = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": member.email.to_uppercase()}),
        )
        .await
        .expect(202);
    assert_eq!(unknown, known, "the answer gives nothing away");
    assert!(reset_token(&app, "nobody@example.org").await.is_none());
    let token = reset_token(&app, &member.email)
        .await
        .expect("a reset email");
    assert!(token.len() >= 32);

    let r = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "short"}),
        )
        .await;
    assert_eq!(r.fields(), ["password"]);
    let r = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": "forged", "password": "a brand new password"}),
        )
        .await;
    assert_eq!(r.fields(), ["token"]);

    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": token, "password": "a brand new password"}),
    )
    .await
    .expect(200);
    // Once only.
    let again = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "another new password"}),
        )
        .await;
    assert_eq!(again.status, 422);
    // Every session of the account is signed out.
    app.get("/api/v1/me", Some(&member.token)).await.expect(401);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": member.refresh}),
    )
    .await
    .expect(401);
    app.login(&member.email, PASSWORD).await.expect(401);
    app.login(&member.email, "a brand new password")
        .await
        .expect(200);

    // At most three links an hour.
    for _ in 0..5 {
        app.post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": member.email}),
        )
        .await
        .expect(202);
    }
    let to = member.email.clone();
    let sent = app
        .state
        .db(move |c| Ok(neighbourly::db::outbox::for_recipient(c, &to)?))
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "password_reset")
        .count();
    assert_eq!(sent, 3);
    let r = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"email": "nope"}),
        )
        .await;
    assert_eq!(r.fields(), ["email"]);
}

async fn candidates_and_the_open_queue_say_why_nobody_fits(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    // Three gardeners within 10 km; none can take the job.
    let _pending = app.applicant().await;
    let busy = app.helper(&coord).await;
    app.put(
        &format!("/api/v1/helpers/{}/availability", busy.id),
        Some(&busy.token),
        json!({"timezone": "Europe/London", "weekly": [], "time_off": []}),
    )
    .await
    .expect(200);
    let _far = app.helper_at(&coord, 51.52, -0.07).await; // about 5.5 km: beyond 3 km reach
    let request = app.request(&member).await;
    assert_eq!(request["status"], "open");
    let id = request["id"].as_str().unwrap();

    let cands = app
        .get(
            &format!("/api/v1/requests/{id}/candidates"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(cands["items"].as_array().unwrap().is_empty());
    assert_eq!(
        cands["excluded"],
        json!([
            {"rule": "approved", "count": 1},
            {"rule": "within_distance", "count": 1},
            {"rule": "available", "count": 1},
        ])
    );
    let open = app
        .get("/api/v1/requests?status=open", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(open["items"][0]["id"], id);
    assert_eq!(open["items"][0]["excluded"], cands["excluded"]);
    // The member's own list says nothing of other people.
    let own = app
        .get("/api/v1/requests", Some(&member.token))
        .await
        .expect(200);
    assert!(own["items"][0].get("excluded").is_none());
}

async fn coordinators_read_the_audit_log(app: TestApp) {
    let coord = app.coordinator().await;
    let other_coord = app.coordinator().await;
    let a = app.applicant().await;
    let b = app.applicant().await;
    let until = (chrono::Utc::now() + chrono::Duration::days(200))
        .date_naive()
        .to_string();
    for (who, h) in [(&coord, &a), (&other_coord, &b)] {
        app.post(
            &format!("/api/v1/helpers/{}/vetting", h.id),
            Some(&who.token),
            json!({"status": "approved", "expires_on": until}),
        )
        .await
        .expect(200);
    }
    let all = app
        .get("/api/v1/audit", Some(&coord.token))
        .await
        .expect(200);
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["subject_id"], b.id.as_str(), "newest first");
    assert_eq!(items[0]["action"], "helper.vetting");
    let by_actor = app
        .get(
            &format!("/api/v1/audit?actor_id={}", coord.id),
            Some(&other_coord.token),
        )
        .await
        .expect(200);
    let items = by_actor["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["subject_id"], a.id.as_str());
    let page = app
        .get("/api/v1/audit?limit=1", Some(&coord.token))
        .await
        .expect(200);
    let cursor = page["next_cursor"].as_str().unwrap();
    let next = app
        .get(
            &format!("/api/v1/audit?limit=1&cursor={cursor}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(next["items"][0]["subject_id"], a.id.as_str());
}

async fn a_request_tells_its_story(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let first = app.helper(&coord).await;
    let second = app.helper(&coord).await;
    let request = app.request(&member).await;
    let id = request["id"].as_str().unwrap();
    let waiting = app
        .get("/api/v1/requests?status=offered", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(waiting["items"][0]["id"], id);
    assert!(waiting["items"][0]["offers_lapse_at"].is_string());
    let own = app
        .get("/api/v1/requests", Some(&member.token))
        .await
        .expect(200);
    assert!(own["items"][0].get("offers_lapse_at").is_none());
    let offer_of = |inbox: Value| inbox["items"][0]["id"].as_str().unwrap().to_string();
    let o1 = offer_of(
        app.get("/api/v1/offers", Some(&first.token))
            .await
            .expect(200),
    );
    let o2 = offer_of(
        app.get("/api/v1/offers", Some(&second.token))
            .await
            .expect(200),
    );
    app.post(
        &format!("/api/v1/offers/{o1}/decline"),
        Some(&first.token),
        json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/offers/{o2}/accept"),
        Some(&second.token),
        json!({}),
    )
    .await
    .expect(200);
    crate::visits::at_the_visit(
        &app,
        id,
        &second.token,
        "complete",
        json!({"minutes_spent": 50}),
    )
    .await
    .expect(200);

    let path = format!("/api/v1/requests/{id}/timeline");
    let story = app.get(&path, Some(&coord.token)).await.expect(200);
    let events: Vec<&str> = story["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "asked",
            "offered",
            "offered",
            "declined",
            "accepted",
            "address_shown",
            "completed"
        ]
    );
    let items = story["items"].as_array().unwrap();
    assert_eq!(items[0]["who_name"], "Ada Member");
    assert_eq!(items[3]["who_id"], first.id.as_str());
    assert_eq!(items[4]["who_name"], "Hal Helper");
    assert_eq!(items[5]["who_id"], second.id.as_str());

    app.get(&path, Some(&member.token)).await.expect(404);
    app.get(&path, Some(&second.token)).await.expect(404);
    app.get("/api/v1/requests/nope/timeline", Some(&coord.token))
        .await
        .expect(404);
}

async fn racing_changes_to_one_email_leave_one_owner(app: TestApp) {
    let coord = app.coordinator().await;
    let mut members = Vec::new();
    for _ in 0..8 {
        members.push(app.member().await);
    }
    let paths: Vec<String> = members
        .iter()
        .map(|m| format!("/api/v1/members/{}", m.id))
        .collect();
    let answers = futures_util::future::join_all(paths.iter().map(|p| {
        patch(
            &app,
            p,
            &coord.token,
            json!({"email": "wanted@example.org"}),
        )
    }))
    .await;
    let mut codes: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    codes.sort();
    assert_eq!(codes, [200, 409, 409, 409, 409, 409, 409, 409], "{codes:?}");
    let found = app
        .get("/api/v1/members?q=wanted@example.org", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
}

async fn a_reset_link_raced_works_once(app: TestApp) {
    let member = app.member().await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        json!({"email": member.email}),
    )
    .await
    .expect(202);
    let token = reset_token(&app, &member.email).await.unwrap();
    let answers = futures_util::future::join_all((0..6).map(|i| {
        app.post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": format!("new password number {i}")}),
        )
    }))
    .await;
    let winners: Vec<usize> = (0..6).filter(|i| answers[*i].status == 200).collect();
    assert_eq!(winners.len(), 1, "exactly one use of the link");
    assert!(answers.iter().all(|r| r.status == 200 || r.status == 422));
    let password = format!("new password number {}", winners[0]);
    app.login(&member.email, &password).await.expect(200);
}
