//! A helper away, entered by a coordinator when they ring: the visits in that time are listed,
//! or passed on to others at once; visits outside it stay; the standing request they are the
//! regular of goes to others for those weeks only; nobody else may add it; bad periods are named.

use chrono::Duration;
use serde_json::{json, Value};

use crate::harness::{TestApp, User};
use crate::on_both_backends;
use crate::series::open_offers;

on_both_backends!(
    a_coordinator_enters_time_off_and_passes_the_visits_on,
    a_regular_helper_away_is_covered_for_those_weeks_only
);

async fn away(
    app: &TestApp,
    who: &User,
    helper: &User,
    from: i64,
    to: i64,
    pass_on: bool,
) -> Value {
    let today = app.clock.now().date();
    app.post(
        &format!("/api/v1/helpers/{}/time-off", helper.id),
        Some(&who.token),
        json!({
            "start": (today + Duration::days(from)).to_string(),
            "end": (today + Duration::days(to)).to_string(),
            "offer_to_others": pass_on,
        }),
    )
    .await
    .expect(200)
}

async fn a_coordinator_enters_time_off_and_passes_the_visits_on(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (soon, _) = crate::visits::assigned(&app, &member, &helper, 3).await;
    let (later, _) = crate::visits::assigned(&app, &member, &helper, 12).await;
    let cover = app.helper(&coord).await;

    // Listed only: the visit stays theirs, and says so.
    let listed = away(&app, &coord, &helper, 2, 4, false).await;
    let visits = listed["visits"].as_array().unwrap();
    assert_eq!(visits.len(), 1, "{listed}");
    assert_eq!(visits[0]["request"]["id"], soon.as_str());
    assert_eq!(visits[0]["offered_to_others"], false);
    assert_eq!(visits[0]["request"]["status"], "assigned");
    assert_eq!(
        listed["availability"]["time_off"].as_array().unwrap().len(),
        1
    );

    // Passed on: the helper is withdrawn for, the visit offered to the cover; the later one stays.
    let passed = away(&app, &coord, &helper, 2, 4, true).await;
    let visits = passed["visits"].as_array().unwrap();
    assert_eq!(visits.len(), 1, "{passed}");
    assert_eq!(visits[0]["offered_to_others"], true);
    assert_ne!(visits[0]["request"]["status"], "assigned", "{passed}");
    assert!(open_offers(&app, &cover).await.contains(&soon));
    assert!(
        !open_offers(&app, &helper).await.contains(&soon),
        "not offered it again"
    );
    let kept = app
        .get(&format!("/api/v1/requests/{later}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(kept["status"], "assigned");
    assert_eq!(kept["helper"]["id"], helper.id.as_str());
    // The audit says a coordinator withdrew for the helper.
    let audit = app
        .get(
            &format!("/api/v1/audit?subject_id={soon}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let withdrawn = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "visit.withdrawn")
        .expect("the withdrawal is audited");
    assert_eq!(withdrawn["actor_id"], coord.id.as_str());
    assert_eq!(withdrawn["on_behalf_of"], helper.id.as_str());

    // The helper may add their own; nobody else may (not even seeing the helper exists).
    away(&app, &helper, &helper, 20, 21, false).await;
    let path = format!("/api/v1/helpers/{}/time-off", helper.id);
    let body = json!({"start": "2026-12-24", "end": "2026-12-26"});
    for who in [&member, &cover] {
        app.post(&path, Some(&who.token), body.clone())
            .await
            .expect(404);
    }
    app.post(&path, None, body).await.expect(401);
    // Bad periods are named.
    let today = app.clock.now().date();
    for (body, field) in [
        (json!({"start": "2026-12-24", "end": "2026-12-20"}), "end"),
        (
            json!({"start": "24 December", "end": "2026-12-26"}),
            "start",
        ),
        (json!({"start": "2001-01-01", "end": "2001-01-02"}), "start"),
        (
            json!({"start": (today - Duration::days(5)).to_string(), "end": (today - Duration::days(3)).to_string()}),
            "end",
        ),
    ] {
        let r = app.post(&path, Some(&coord.token), body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert!(
            r.fields().contains(&field.to_string()),
            "{body}: {}",
            r.body
        );
    }
    let r = app
        .post(&path, Some(&coord.token), json!({"start": "2026-12-24"}))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
}

async fn a_regular_helper_away_is_covered_for_those_weeks_only(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let regular = app.helper(&coord).await;
    let cover = app.helper(&coord).await;
    let created = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            crate::series::weekly_from_tomorrow(),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap().to_string();
    let occurrences: Vec<String> = created["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    crate::series::accept_whole_series(&app, &regular, &occurrences[0]).await;
    assert!(open_offers(&app, &regular).await.contains(&occurrences[1]));

    // Away the whole second week: that occurrence goes to the cover, the third stays theirs.
    let passed = away(&app, &coord, &regular, 6, 8, true).await;
    assert_eq!(passed["offers_passed_on"], 1, "{passed}");
    assert!(open_offers(&app, &cover).await.contains(&occurrences[1]));
    let theirs = open_offers(&app, &regular).await;
    assert!(!theirs.contains(&occurrences[1]));
    assert!(theirs.contains(&occurrences[2]));
    // They are still the regular helper.
    let s = app
        .get(&format!("/api/v1/series/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(s["helper"]["id"], regular.id.as_str());

    // Their regular members: coordinators list them by helper; nobody else may name them.
    let path = format!("/api/v1/series?helper_id={}", regular.id);
    let theirs = app.get(&path, Some(&coord.token)).await.expect(200);
    assert_eq!(theirs["items"].as_array().unwrap().len(), 1);
    assert_eq!(theirs["items"][0]["id"], id.as_str());
    let by_member = app
        .get(
            &format!("/api/v1/series?member_id={}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(by_member["items"][0]["id"], id.as_str());
    let none = app
        .get(
            &format!("/api/v1/series?helper_id={}", cover.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(none["items"].as_array().unwrap().is_empty());
    app.get(&path, Some(&regular.token)).await.expect(200);
    for who in [&cover, &member] {
        app.get(&path, Some(&who.token)).await.expect(403);
    }
    let both = app
        .get(
            &format!("{path}&member_id={}", member.id),
            Some(&coord.token),
        )
        .await;
    assert_eq!(both.status, 422);
}
