use serde_json::json;

use crate::harness::{TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    member_signs_up_and_only_they_and_coordinators_see_the_profile,
    member_sign_up_refuses_each_bad_field,
    duplicate_email_is_a_conflict,
    coordinator_registers_a_phone_only_member,
    helper_applies_and_is_pending,
    helper_application_refuses_each_bad_field,
    availability_is_set_by_the_helper_or_a_coordinator,
    availability_refuses_bad_slots,
    coordinators_vet_helpers,
    vetting_refuses_bad_input_and_other_roles,
);

async fn member_signs_up_and_only_they_and_coordinators_see_the_profile(app: TestApp) {
    let email = "ada@example.org";
    let created = app
        .post("/api/v1/members", None, TestApp::member_body(email))
        .await
        .expect(201);
    assert_eq!(created["email"], email);
    assert_eq!(created["address"], "12 Choumert Road, Peckham, SE15");
    assert!(created.get("password").is_none() && created.get("password_hash").is_none());
    let id = created["id"].as_str().unwrap();
    let login = app.login(email, PASSWORD).await.expect(200);
    let token = login["access_token"].as_str().unwrap();
    let path = format!("/api/v1/members/{id}");

    let own = app.get(&path, Some(token)).await.expect(200);
    assert_eq!(own["id"], id);

    let other = app.member().await;
    app.get(&path, Some(&other.token)).await.expect(404);
    let helper = app.applicant().await;
    app.get(&path, Some(&helper.token)).await.expect(404);
    let coord = app.coordinator().await;
    assert_eq!(
        app.get(&path, Some(&coord.token)).await.expect(200)["phone"],
        "020 7946 0001"
    );
    app.get(&path, None).await.expect(401);
}

async fn member_sign_up_refuses_each_bad_field(app: TestApp) {
    let cases = [
        (json!({"email": "not-an-email"}), "email"),
        (json!({"password": "short"}), "password"),
        (json!({"name": "  "}), "name"),
        (json!({"address": "x".repeat(301)}), "address"),
        (json!({"phone": "call me"}), "phone"),
        (
            json!({"location": {"lat": 91.0, "lon": 0.0}}),
            "location.lat",
        ),
        (
            json!({"location": {"lat": 0.0, "lon": -181.0}}),
            "location.lon",
        ),
    ];
    for (patch, field) in cases {
        let mut body = TestApp::member_body("x@example.org");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app.post("/api/v1/members", None, body).await;
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        assert_eq!(r.fields(), [field], "{}", r.body);
    }
    let mut body = TestApp::member_body("x@example.org");
    body.as_object_mut().unwrap().remove("password");
    let r = app.post("/api/v1/members", None, body).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["password"]);
    let r = app
        .post("/api/v1/members", None, json!({"name": "A"}))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.fields().contains(&"address".to_string()), "{}", r.body);
}

async fn duplicate_email_is_a_conflict(app: TestApp) {
    app.post(
        "/api/v1/members",
        None,
        TestApp::member_body("twice@example.org"),
    )
    .await
    .expect(201);
    let r = app
        .post(
            "/api/v1/members",
            None,
            TestApp::member_body("Twice@Example.org"),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = app
        .post(
            "/api/v1/helpers",
            None,
            TestApp::helper_body("twice@example.org"),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
}

async fn coordinator_registers_a_phone_only_member(app: TestApp) {
    let coord = app.coordinator().await;
    let body = json!({
        "name": "Edna Phone",
        "phone": "020 7946 0999",
        "address": "3 Bellenden Road, SE15",
        "location": {"lat": 51.468, "lon": -0.071},
    });
    let created = app
        .post("/api/v1/members", Some(&coord.token), body.clone())
        .await
        .expect(201);
    assert_eq!(created["email"], serde_json::Value::Null);
    // Without a coordinator, email and password are required.
    let r = app.post("/api/v1/members", None, body.clone()).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["email", "password"]);
    // A member signing in cannot register phone-only members either.
    let m = app.member().await;
    assert_eq!(
        app.post("/api/v1/members", Some(&m.token), body.clone())
            .await
            .status,
        422
    );
    // Phone-only means a phone is needed.
    let mut no_phone = body;
    no_phone.as_object_mut().unwrap().remove("phone");
    let r = app
        .post("/api/v1/members", Some(&coord.token), no_phone)
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["phone"]);
}

async fn helper_applies_and_is_pending(app: TestApp) {
    let created = app
        .post(
            "/api/v1/helpers",
            None,
            TestApp::helper_body("hal@example.org"),
        )
        .await
        .expect(201);
    assert_eq!(created["vetting"]["status"], "pending");
    assert_eq!(created["skills"], json!(["gardening", "diy"]));
    assert_eq!(created["availability"]["timezone"], "Europe/London");
    let h = app.applicant().await;
    let me = app.get("/api/v1/me", Some(&h.token)).await.expect(200);
    assert_eq!(me["role"], "helper");
    assert_eq!(me["vetting"]["status"], "pending");
    let path = format!("/api/v1/helpers/{}", h.id);
    app.get(&path, Some(&h.token)).await.expect(200);
    let other = app.applicant().await;
    app.get(&path, Some(&other.token)).await.expect(404);
    let m = app.member().await;
    app.get(&path, Some(&m.token)).await.expect(404);
}

async fn helper_application_refuses_each_bad_field(app: TestApp) {
    let cases = [
        (json!({"skills": ["juggling"]}), "skills"),
        (json!({"skills": []}), "skills"),
        (json!({"max_distance_km": 0.0}), "max_distance_km"),
        (json!({"max_distance_km": 500.0}), "max_distance_km"),
        (json!({"home": {"lat": -100.0, "lon": 0.0}}), "home.lat"),
        (json!({"email": "hal@"}), "email"),
        (json!({"password": "123"}), "password"),
    ];
    for (patch, field) in cases {
        let mut body = TestApp::helper_body("h@example.org");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app.post("/api/v1/helpers", None, body).await;
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        assert_eq!(r.fields(), [field], "{}", r.body);
    }
}

async fn availability_is_set_by_the_helper_or_a_coordinator(app: TestApp) {
    let h = app.applicant().await;
    let path = format!("/api/v1/helpers/{}/availability", h.id);
    let body = json!({
        "timezone": "Europe/London",
        "weekly": [{"day": "tue", "start": "13:00", "end": "17:00"}, {"day": "mon", "start": "09:00", "end": "12:30"}],
        "time_off": [{"start": "2026-12-24", "end": "2026-12-26"}],
    });
    let saved = app
        .put(&path, Some(&h.token), body.clone())
        .await
        .expect(200);
    assert_eq!(saved["weekly"][0]["day"], "mon", "slots are sorted");
    assert_eq!(saved["time_off"][0]["start"], "2026-12-24T00:00:00Z");
    assert_eq!(saved["time_off"][0]["end"], "2026-12-27T00:00:00Z");
    let profile = app
        .get(&format!("/api/v1/helpers/{}", h.id), Some(&h.token))
        .await
        .expect(200);
    assert_eq!(profile["availability"], saved);

    let coord = app.coordinator().await;
    app.put(&path, Some(&coord.token), body.clone())
        .await
        .expect(200);
    let other = app.applicant().await;
    app.put(&path, Some(&other.token), body.clone())
        .await
        .expect(404);
    let m = app.member().await;
    app.put(&path, Some(&m.token), body.clone())
        .await
        .expect(404);
    app.put(&path, None, body).await.expect(401);
}

async fn availability_refuses_bad_slots(app: TestApp) {
    let h = app.applicant().await;
    let path = format!("/api/v1/helpers/{}/availability", h.id);
    let r = app
        .put(
            &path,
            Some(&h.token),
            json!({
                "timezone": "Europe/Narnia",
                "weekly": [{"day": "someday", "start": "09:00", "end": "10:00"}, {"day": "mon", "start": "11:00", "end": "10:00"}, {"day": "mon", "start": "25:00", "end": "26:00"}],
                "time_off": [{"start": "tomorrow", "end": "2026-12-01"}],
            }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.fields(),
        [
            "timezone",
            "weekly[0].day",
            "weekly[1].end",
            "weekly[2].start",
            "weekly[2].end"
        ]
    );
    let r = app
        .put(
            &path,
            Some(&h.token),
            json!({"timezone": "Europe/London", "weekly": [], "time_off": [{"start": "2026-12-05", "end": "2026-12-01"}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["time_off[0].end"]);
}

async fn coordinators_vet_helpers(app: TestApp) {
    let in_two_years = (chrono::Utc::now() + chrono::Duration::days(730))
        .date_naive()
        .to_string();
    let coord = app.coordinator().await;
    let h = app.applicant().await;
    let path = format!("/api/v1/helpers/{}/vetting", h.id);
    let approved = app
        .post(
            &path,
            Some(&coord.token),
            json!({"status": "approved", "expires_on": in_two_years, "note": "DBS seen"}),
        )
        .await
        .expect(200);
    assert_eq!(approved["vetting"]["status"], "approved");
    assert_eq!(approved["vetting"]["expires_on"], in_two_years.as_str());
    let suspended = app
        .post(
            &path,
            Some(&coord.token),
            json!({"status": "suspended", "note": "complaint under review"}),
        )
        .await
        .expect(200);
    assert_eq!(suspended["vetting"]["status"], "suspended");
    let me = app.get("/api/v1/me", Some(&h.token)).await.expect(200);
    assert_eq!(me["vetting"]["status"], "suspended");
}

async fn vetting_refuses_bad_input_and_other_roles(app: TestApp) {
    let in_two_years = (chrono::Utc::now() + chrono::Duration::days(730))
        .date_naive()
        .to_string();
    let coord = app.coordinator().await;
    let h = app.applicant().await;
    let path = format!("/api/v1/helpers/{}/vetting", h.id);
    // Approved with no date: a year from today (it had none).
    let r = app
        .post(&path, Some(&coord.token), json!({"status": "approved"}))
        .await
        .expect(200);
    let a_year = app.clock.now().date() + chrono::Months::new(12);
    assert_eq!(r["vetting"]["expires_on"], a_year.to_string());
    let r = app
        .post(
            &path,
            Some(&coord.token),
            json!({"status": "approved", "expires_on": "2001-01-01"}),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["expires_on".to_string()])
    );
    let r = app
        .post(&path, Some(&coord.token), json!({"status": "maybe"}))
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["status".to_string()])
    );
    let r = app
        .post(
            &path,
            Some(&coord.token),
            json!({"status": "approved", "expires_on": "31/01/2099"}),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.fields()),
        (422, vec!["expires_on".to_string()])
    );
    app.post(
        &path,
        Some(&h.token),
        json!({"status": "approved", "expires_on": in_two_years}),
    )
    .await
    .expect(403);
    let m = app.member().await;
    app.post(
        &path,
        Some(&m.token),
        json!({"status": "approved", "expires_on": in_two_years}),
    )
    .await
    .expect(403);
    app.post(
        "/api/v1/helpers/nobody/vetting",
        Some(&coord.token),
        json!({"status": "rejected"}),
    )
    .await
    .expect(404);
}
