//! How a person is reached (`contact_by`): what their details give by default (email, then a
//! text to a UK mobile, then a call), set in order by the person or a coordinator, each way
//! checked against their details (as changed in the same step), and bad lists named.

use serde_json::json;

use crate::harness::TestApp;
use crate::on_both_backends;

on_both_backends!(ways_to_reach_a_person_default_and_are_set_in_order);

async fn ways_to_reach_a_person_default_and_are_set_in_order(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let mobile_only = app
        .post(
            "/api/v1/members",
            Some(&coord.token),
            json!({"name": "Mo Mobile", "phone": "07700 900123", "address": "5 Bellenden Road, SE15",
                   "location": {"lat": 51.468, "lon": -0.071}}),
        )
        .await
        .expect(201);
    assert_eq!(mobile_only["contact_by"], json!(["sms", "phone_call"]));
    let mo = format!("/api/v1/members/{}", mobile_only["id"].as_str().unwrap());
    let ada = format!("/api/v1/members/{}", member.id);
    let own = app.get(&ada, Some(&member.token)).await.expect(200);
    assert_eq!(own["contact_by"], json!(["email", "phone_call"]));

    // Set in order, by a coordinator or the member themself.
    let set = app
        .call(
            reqwest::Method::PATCH,
            &mo,
            Some(&coord.token),
            Some(json!({"contact_by": ["phone_call", "sms"]})),
        )
        .await
        .expect(200);
    assert_eq!(set["contact_by"], json!(["phone_call", "sms"]));
    let read = app.get(&mo, Some(&coord.token)).await.expect(200);
    assert_eq!(read["contact_by"], json!(["phone_call", "sms"]));
    app.call(
        reqwest::Method::PATCH,
        &ada,
        Some(&member.token),
        Some(json!({"contact_by": ["app", "email"]})),
    )
    .await
    .expect(200);
    let found = app
        .get("/api/v1/members?q=Ada", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(
        found["items"][0]["contact_by"],
        json!(["app", "email"]),
        "lists say the same"
    );

    // Each way must be possible, and each list well made.
    for (body, why) in [
        (json!({"contact_by": ["email"]}), "no email"),
        (json!({"contact_by": ["fax"]}), "must be one of"),
        (json!({"contact_by": ["sms", "sms"]}), "twice"),
        (json!({"contact_by": []}), "1 to 4"),
        (json!({"phone": "020 7946 0999"}), "not a UK mobile"),
    ] {
        let r = app
            .call(
                reqwest::Method::PATCH,
                &mo,
                Some(&coord.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(r.fields(), ["contact_by"], "{body}");
        assert!(r.body.to_string().contains(why), "{body}: {}", r.body);
    }
    // A landline with the way back to the default, in one step.
    let landline = app
        .call(
            reqwest::Method::PATCH,
            &mo,
            Some(&coord.token),
            Some(json!({"phone": "020 7946 0999", "contact_by": null})),
        )
        .await
        .expect(200);
    assert_eq!(landline["contact_by"], json!(["phone_call"]));

    // Helpers too; nobody else may.
    let h = format!("/api/v1/helpers/{}", helper.id);
    let hv = app
        .call(
            reqwest::Method::PATCH,
            &h,
            Some(&helper.token),
            Some(json!({"contact_by": ["phone_call", "email"]})),
        )
        .await
        .expect(200);
    assert_eq!(hv["contact_by"], json!(["phone_call", "email"]));
    app.call(
        reqwest::Method::PATCH,
        &h,
        Some(&member.token),
        Some(json!({"contact_by": ["email"]})),
    )
    .await
    .expect(404);
    app.call(
        reqwest::Method::PATCH,
        &mo,
        Some(&member.token),
        Some(json!({"contact_by": ["phone_call"]})),
    )
    .await
    .expect(404);
}
