//! The members and helpers lists a coordinator goes through: found by membership (current,
//! ending within four weeks, ended, never), paged, and downloaded as CSV files in words (read back
//! with Python's csv module), two people of one name told apart by phone and address; coordinators
//! only.

use chrono::Duration;
use serde_json::json;

use crate::harness::{read_csv, TestApp, User};
use crate::on_both_backends;

on_both_backends!(members_are_found_by_membership_and_downloaded_in_words);

async fn member_named(
    app: &TestApp,
    coord: &User,
    name: &str,
    phone: &str,
    street: &str,
) -> String {
    app.post(
        "/api/v1/members",
        Some(&coord.token),
        json!({"name": name, "phone": phone, "address": format!("{street}, SE15"),
               "location": {"lat": 51.468, "lon": -0.071}}),
    )
    .await
    .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn csv_of(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let r = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn names(app: &TestApp, coord: &User, query: &str) -> Vec<String> {
    let mut all = Vec::new();
    let mut path = format!("/api/v1/members?{query}&limit=2");
    loop {
        let page = app.get(&path, Some(&coord.token)).await.expect(200);
        all.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["name"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/members?{query}&limit=2&cursor={c}"),
            None => break,
        }
    }
    all.sort();
    all
}

async fn members_are_found_by_membership_and_downloaded_in_words(app: TestApp) {
    let coord = app.coordinator().await;
    let today = app.clock.now().date();
    let current = member_named(
        &app,
        &coord,
        "Edith Ünal",
        "020 7946 0101",
        "1 Lyndhurst Way",
    )
    .await;
    let ending = member_named(
        &app,
        &coord,
        "Bea Ending",
        "020 7946 0102",
        "2 Lyndhurst Way",
    )
    .await;
    let ended = member_named(
        &app,
        &coord,
        "Edith Ünal",
        "020 7946 0103",
        "9 Choumert Road",
    )
    .await;
    member_named(
        &app,
        &coord,
        "Nell Never",
        "020 7946 0104",
        "4 Lyndhurst Way",
    )
    .await;
    for (id, from, to) in [(&current, 0, 200), (&ending, -300, 10), (&ended, -300, -35)] {
        app.post(
            &format!("/api/v1/members/{id}/memberships"),
            Some(&coord.token),
            json!({"starts_on": (today + Duration::days(from)).to_string(),
                   "ends_on": (today + Duration::days(to)).to_string(), "fee_pence": 2000}),
        )
        .await
        .expect(201);
    }

    assert_eq!(
        names(&app, &coord, "membership=current").await,
        ["Bea Ending", "Edith Ünal"]
    );
    assert_eq!(
        names(&app, &coord, "membership=ending").await,
        ["Bea Ending"]
    );
    assert_eq!(
        names(&app, &coord, "membership=ended").await,
        ["Edith Ünal"]
    );
    assert_eq!(names(&app, &coord, "membership=none").await, ["Nell Never"]);
    // With a search: Lyndhurst Way only.
    assert_eq!(
        names(&app, &coord, "q=lyndhurst&membership=current").await,
        ["Bea Ending", "Edith Ünal"]
    );
    let one = app
        .get(&format!("/api/v1/members/{ending}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(
        one["membership_ends_on"],
        (today + Duration::days(10)).to_string()
    );
    let r = app
        .get("/api/v1/members?membership=lapsed", Some(&coord.token))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.fields(), ["membership"]);

    // The file: every member, in words; the two called Edith Ünal told apart.
    let (status, text) = csv_of(&app, &coord.token, "/api/v1/members").await;
    assert_eq!(status, 200, "{text}");
    let rows = read_csv(&text);
    assert_eq!(
        rows[0],
        ["Name", "Phone", "Email", "Address", "Membership", "Account"]
    );
    assert_eq!(rows.len(), 5, "{text}");
    let ediths: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "Edith Ünal").collect();
    assert_eq!(ediths.len(), 2);
    assert_ne!(ediths[0][1], ediths[1][1], "told apart by phone");
    assert_ne!(ediths[0][3], ediths[1][3], "and by address");
    let until = (today + Duration::days(200))
        .format("%-d %B %Y")
        .to_string();
    assert!(
        rows.iter()
            .any(|r| r[0] == "Edith Ünal" && r[4] == format!("Until {until}")),
        "{text}"
    );
    assert!(
        rows.iter().any(|r| r[0] == "Nell Never" && r[4] == "None"),
        "{text}"
    );
    assert!(rows.iter().any(|r| r[4].starts_with("Ended ")), "{text}");
    assert!(rows[1..].iter().all(|r| r[5] == "Open"), "{text}");
    let (_, ended_only) = csv_of(&app, &coord.token, "/api/v1/members?membership=ended").await;
    assert_eq!(
        read_csv(&ended_only).len(),
        2,
        "the filters hold: {ended_only}"
    );

    // Helpers, in words.
    app.helper(&coord).await;
    let (status, text) = csv_of(&app, &coord.token, "/api/v1/helpers?vetting=approved").await;
    assert_eq!(status, 200, "{text}");
    let rows = read_csv(&text);
    assert_eq!(
        rows[0],
        [
            "Name",
            "Phone",
            "Email",
            "Vetting",
            "Helps with",
            "Travels up to (km)",
            "Account"
        ]
    );
    assert_eq!(rows[1][0], "Hal Helper");
    assert!(rows[1][3].starts_with("Approved until "), "{text}");
    assert_eq!(rows[1][4], "Gardening, Odd jobs and DIY");
    assert_eq!(rows[1][5], "3");

    // Coordinators only.
    let m = app.member().await;
    for path in ["/api/v1/members", "/api/v1/helpers"] {
        let (status, _) = csv_of(&app, &m.token, path).await;
        assert_eq!(status, 403, "{path}");
    }
}

on_both_backends!(a_members_requests_latest_day_first_a_page_at_a_time);

async fn a_members_requests_latest_day_first_a_page_at_a_time(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let mut ids = Vec::new();
    for days in [5, 2, 9] {
        let mut body = TestApp::request_body("gardening");
        let start = chrono::Utc::now() + Duration::days(days);
        body["window"] =
            json!({"start": start.to_rfc3339(), "end": (start + Duration::hours(3)).to_rfc3339()});
        let r = app
            .post("/api/v1/requests", Some(&member.token), body)
            .await
            .expect(201);
        ids.push((days, r["id"].as_str().unwrap().to_string()));
    }
    ids.sort_by_key(|(d, _)| -d);
    let want: Vec<String> = ids.into_iter().map(|(_, id)| id).collect();
    let mut got = Vec::new();
    let base = format!(
        "/api/v1/requests?member_id={}&order=latest&limit=1",
        member.id
    );
    let mut path = base.clone();
    loop {
        let page = app.get(&path, Some(&coord.token)).await.expect(200);
        got.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("{base}&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(got, want, "the day furthest ahead first, each once");
    let r = app
        .get("/api/v1/requests?order=oldest", Some(&coord.token))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["order"]);
}

on_both_backends!(a_members_events_are_listed_for_their_page);

async fn a_members_events_are_listed_for_their_page(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let other = app.member().await;
    let going = crate::events::event(&app, &coord, Duration::days(3), 10).await;
    crate::events::event(&app, &coord, Duration::days(4), 10).await;
    crate::events::sign_up(&app, &member, &going, json!({}))
        .await
        .expect(201);
    let path = format!("/api/v1/events?member_id={}", member.id);
    let theirs = app.get(&path, Some(&coord.token)).await.expect(200);
    let ids: Vec<&str> = theirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [going.as_str()]);
    app.get(&path, Some(&member.token)).await.expect(200);
    app.get(&path, Some(&other.token)).await.expect(403);
    let all = app
        .get("/api/v1/events", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
}
