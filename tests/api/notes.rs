//! A person's record: coordinators write notes and log calls, read them back newest first with
//! who wrote each, a page at a time; nobody else may; the person's export holds them and erasing
//! the person deletes them.

use serde_json::json;

use crate::harness::TestApp;
use crate::on_both_backends;

on_both_backends!(coordinators_keep_notes_and_calls_on_a_persons_record);

async fn coordinators_keep_notes_and_calls_on_a_persons_record(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let path = format!("/api/v1/people/{}/notes", member.id);

    let first = app
        .post(
            &path,
            Some(&coord.token),
            json!({"kind": "call", "text": "Rang Ada: managing well.\nWill ring again on Friday."}),
        )
        .await
        .expect(201);
    assert_eq!(first["kind"], "call");
    assert!(first["written_by"].is_string());
    app.travel(chrono::Duration::minutes(5));
    app.post(
        &path,
        Some(&coord.token),
        json!({"kind": "note", "text": "Prefers mornings."}),
    )
    .await
    .expect(201);

    let page = app.get(&path, Some(&coord.token)).await.expect(200);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["text"], "Prefers mornings.", "newest first");
    assert_eq!(
        items[1]["text"],
        "Rang Ada: managing well.\nWill ring again on Friday."
    );
    assert_eq!(items[1]["written_by"], first["written_by"]);
    let one = app
        .get(&format!("{path}?limit=1"), Some(&coord.token))
        .await
        .expect(200);
    let cursor = one["next_cursor"].as_str().expect("a next page");
    let next = app
        .get(
            &format!("{path}?limit=1&cursor={cursor}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(next["items"][0]["kind"], "call");

    // Bad input is named, field by field.
    let r = app
        .post(
            &path,
            Some(&coord.token),
            json!({"kind": "memo", "text": "  "}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(fields, ["kind", "text"]);
    // Nobody but coordinators; nobody's record is a 404.
    for token in [&member.token, &helper.token] {
        app.get(&path, Some(token)).await.expect(403);
        app.post(&path, Some(token), json!({"kind": "note", "text": "Hello"}))
            .await
            .expect(403);
    }
    let nobody = "/api/v1/people/00000000-0000-4000-8000-000000000000/notes";
    app.get(nobody, Some(&coord.token)).await.expect(404);
    app.post(
        nobody,
        Some(&coord.token),
        json!({"kind": "note", "text": "Hello"}),
    )
    .await
    .expect(404);

    // The person's export holds them (not who wrote them); erasing the person deletes them.
    let export = app
        .get(
            &format!("/api/v1/users/{}/export", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let notes = export["records"]["notes_about_them"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{export}");
    assert!(notes.iter().all(|n| n.get("written_by").is_none()));
    app.post(
        &format!("/api/v1/users/{}/erase", member.id),
        Some(&coord.token),
        json!({"reason": "Asked to be forgotten"}),
    )
    .await
    .expect(200);
    let after = app.get(&path, Some(&coord.token)).await.expect(200);
    assert!(after["items"].as_array().unwrap().is_empty(), "{after}");
}
