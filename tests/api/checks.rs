//! The checks behind a helper's vetting: a coordinator records a DBS certificate, a reference and
//! proof of identity; coordinators and the helper read them, the latest first; bad ones are named
//! field by field; nobody else may; the helper's export holds them and erasing the helper deletes
//! them.

use chrono::Duration;
use serde_json::json;

use crate::harness::TestApp;
use crate::on_both_backends;

on_both_backends!(coordinators_record_the_checks_behind_a_helpers_vetting);

async fn coordinators_record_the_checks_behind_a_helpers_vetting(app: TestApp) {
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let other = app.helper(&coord).await;
    let member = app.member().await;
    let path = format!("/api/v1/helpers/{}/checks", helper.id);
    let today = app.clock.now().date();
    let day = |back: i64| (today - Duration::days(back)).to_string();

    let dbs = app
        .post(
            &path,
            Some(&coord.token),
            json!({"kind": "dbs", "reference": "0012 3456 7890", "checked_on": day(30)}),
        )
        .await
        .expect(201);
    assert_eq!(dbs["reference"], "001234567890");
    assert_eq!(dbs["recorded_by"], "Cora Coordinator");
    app.post(
        &path,
        Some(&coord.token),
        json!({"kind": "reference", "reference": "Revd Ann Lowe, St Giles", "checked_on": day(10), "note": "Known her 12 years"}),
    )
    .await
    .expect(201);
    app.post(
        &path,
        Some(&coord.token),
        json!({"kind": "identity", "checked_on": day(20)}),
    )
    .await
    .expect(201);

    let list = app.get(&path, Some(&coord.token)).await.expect(200);
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["reference", "identity", "dbs"],
        "the latest day first"
    );
    let own = app.get(&path, Some(&helper.token)).await.expect(200);
    assert_eq!(own, list, "the helper sees their own");
    for token in [&other.token, &member.token] {
        app.get(&path, Some(token)).await.expect(404);
    }
    for token in [&helper.token, &member.token] {
        app.post(
            &path,
            Some(token),
            json!({"kind": "identity", "checked_on": day(1)}),
        )
        .await
        .expect(403);
    }
    app.post(
        "/api/v1/helpers/00000000-0000-4000-8000-000000000000/checks",
        Some(&coord.token),
        json!({"kind": "identity", "checked_on": day(1)}),
    )
    .await
    .expect(404);

    // Bad checks are named, field by field.
    for (body, fields) in [
        (
            json!({"kind": "dbs", "reference": "12345", "checked_on": day(1)}),
            vec!["reference"],
        ),
        (
            json!({"kind": "dbs", "checked_on": day(1)}),
            vec!["reference"],
        ),
        (
            json!({"kind": "reference", "checked_on": day(1)}),
            vec!["reference"],
        ),
        (
            json!({"kind": "passport", "checked_on": "2001-01-01"}),
            vec!["checked_on", "kind"],
        ),
        (
            json!({"kind": "identity", "checked_on": (today + Duration::days(1)).to_string()}),
            vec!["checked_on"],
        ),
    ] {
        let r = app.post(&path, Some(&coord.token), body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        let mut got = r.fields();
        got.sort();
        assert_eq!(got, fields, "{body}");
    }

    // In the helper's export (not who recorded them); erased with the helper.
    let export = app
        .get(
            &format!("/api/v1/users/{}/export", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let held = export["records"]["vetting_checks"].as_array().unwrap();
    assert_eq!(held.len(), 3, "{export}");
    assert!(held.iter().all(|c| c.get("recorded_by").is_none()));
    app.post(
        &format!("/api/v1/users/{}/erase", helper.id),
        Some(&coord.token),
        json!({"reason": "Asked to be forgotten"}),
    )
    .await
    .expect(200);
    let after = app.get(&path, Some(&coord.token)).await.expect(200);
    assert!(after.as_array().unwrap().is_empty(), "{after}");
}
