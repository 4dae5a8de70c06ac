//! A member's emergency contact and access needs: set by the member or a coordinator, read by
//! them; the access needs reach the helper at the door only while the visit is theirs, alone and
//! in their lists; erasing the member removes both.

use serde_json::json;

use crate::harness::{item_where, TestApp};
use crate::on_both_backends;

on_both_backends!(access_needs_reach_the_helper_at_the_door_and_no_one_else);

async fn access_needs_reach_the_helper_at_the_door_and_no_one_else(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let path = format!("/api/v1/members/{}", member.id);
    let needs = "Deaf in the left ear: knock loudly and wait.";
    let set = app
        .call(
            reqwest::Method::PATCH,
            &path,
            Some(&member.token),
            Some(json!({
                "access_needs": needs,
                "emergency_contact": {"name": "Rose Okoye", "phone": "07700 900123", "relation": "daughter"},
            })),
        )
        .await
        .expect(200);
    assert_eq!(set["access_needs"], needs);
    assert_eq!(set["emergency_contact"]["name"], "Rose Okoye");
    assert_eq!(set["emergency_contact"]["relation"], "daughter");
    let seen = app.get(&path, Some(&coord.token)).await.expect(200);
    assert_eq!(
        seen["emergency_contact"]["phone"],
        set["emergency_contact"]["phone"]
    );

    // Each wrong part is named; nobody else may change them.
    let r = app
        .call(
            reqwest::Method::PATCH,
            &path,
            Some(&coord.token),
            Some(json!({"emergency_contact": {"name": "", "phone": "not a phone"}})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(
        fields,
        ["emergency_contact.name", "emergency_contact.phone"]
    );
    let other = app.member().await;
    app.call(
        reqwest::Method::PATCH,
        &path,
        Some(&other.token),
        Some(json!({"access_needs": "Nothing"})),
    )
    .await
    .expect(404);

    // The helper at the door reads the access needs while the visit is theirs, never the
    // emergency contact; a helper not going sees neither.
    let (id, _) = crate::visits::assigned(&app, &member, &helper, 2).await;
    let view = app
        .get(&format!("/api/v1/requests/{id}"), Some(&helper.token))
        .await
        .expect(200);
    assert_eq!(view["member"]["access_needs"], needs, "{view}");
    assert!(!view.to_string().contains("Rose Okoye"));
    let list = app
        .get("/api/v1/requests?status=assigned", Some(&helper.token))
        .await
        .expect(200);
    assert_eq!(
        item_where(&list, "id", &id)["member"]["access_needs"],
        needs
    );
    let stranger = app.helper(&coord).await;
    app.get(&format!("/api/v1/requests/{id}"), Some(&stranger.token))
        .await
        .expect(404);
    // Cancelled, the visit is no longer theirs: nor are the needs.
    app.post(
        &format!("/api/v1/requests/{id}/cancel"),
        Some(&coord.token),
        json!({"reason": "Unwell"}),
    )
    .await
    .expect(200);
    let after = app
        .get(&format!("/api/v1/requests/{id}"), Some(&helper.token))
        .await;
    assert!(
        !after.body.to_string().contains("knock loudly"),
        "{}",
        after.body
    );

    // Removed with null; erased with the member.
    let cleared = app
        .call(
            reqwest::Method::PATCH,
            &path,
            Some(&member.token),
            Some(json!({"emergency_contact": null})),
        )
        .await
        .expect(200);
    assert!(cleared["emergency_contact"].is_null());
    assert_eq!(cleared["access_needs"], needs);
    app.post(
        &format!("/api/v1/users/{}/erase", member.id),
        Some(&coord.token),
        json!({"reason": "Asked to be forgotten"}),
    )
    .await
    .expect(200);
    let erased = app.get(&path, Some(&coord.token)).await.expect(200);
    assert!(erased["access_needs"].is_null(), "{erased}");
}
