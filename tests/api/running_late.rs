//! Running late and the watch on arrivals, over a real SMTP conversation: the helper says so in
//! one tap once arriving opens, the member is emailed at once and sees when to expect them; a
//! visit under way with no arrival alerts coordinators once, also with two sweeps at once (two
//! processes), and is a follow-up until the helper arrives.

use chrono::{Duration, NaiveDateTime};
use neighbourly::service::visits;
use serde_json::json;

use crate::email::{app_with_smtp, worker};
use crate::harness::{item_where, Backend};

crate::on_both_backends!(backend: a_helper_running_late_and_a_visit_with_no_arrival);

fn at(v: &serde_json::Value) -> NaiveDateTime {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .naive_utc()
}

async fn a_helper_running_late_and_a_visit_with_no_arrival(backend: Backend) {
    let Some((app, smtp)) = app_with_smtp(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (id, _) = crate::visits::assigned(&app, &member, &helper, 1).await;
    let path = format!("/api/v1/requests/{id}/running-late");
    let planned = at(&app
        .get(&format!("/api/v1/requests/{id}"), Some(&coord.token))
        .await
        .expect(200)["planned_start"]);
    let w = worker(&app);
    let drain = || w.drain_at(planned + Duration::days(2));

    // Too early: it opens when arriving does, an hour before the planned start.
    let early = app
        .post(&path, Some(&helper.token), json!({"minutes": 15}))
        .await;
    assert_eq!(early.status, 409, "{}", early.body);
    assert!(early.body["detail"]
        .as_str()
        .unwrap()
        .starts_with("You can say you are running late from "));

    app.travel(planned - Duration::minutes(30) - app.clock.now());
    for bad in [
        json!({"minutes": 3}),
        json!({"minutes": 121}),
        json!({"minutes": "soon"}),
        json!({}),
    ] {
        let r = app.post(&path, Some(&helper.token), bad.clone()).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert_eq!(r.fields(), ["minutes"], "{bad}");
    }
    let member_says = app
        .post(&path, Some(&member.token), json!({"minutes": 15}))
        .await;
    assert!(
        matches!(member_says.status.as_u16(), 403 | 404),
        "{}",
        member_says.body
    );

    let late = app
        .post(
            &path,
            Some(&helper.token),
            json!({"minutes": 15, "note": "Stuck behind a bus"}),
        )
        .await
        .expect(200);
    assert_eq!(at(&late["eta"]), planned + Duration::minutes(15));
    drain().await.unwrap();
    let told = smtp
        .to(&member.email)
        .into_iter()
        .find(|m| m.subject() == "Hal is running about 15 minutes late")
        .expect("the member is emailed at once");
    assert!(told
        .part("text/plain")
        .unwrap()
        .contains("now expects to be with you at about"));
    let seen = app
        .get(&format!("/api/v1/requests/{id}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(seen["eta"], late["eta"]);

    // Twenty-five minutes after the planned start, nobody has arrived: two sweeps at once
    // (two processes) alert each coordinator once.
    app.travel(planned + Duration::minutes(25) - app.clock.now());
    let now = app.clock.now();
    let sweep = || app.state.run(move |svc| visits::sweep(svc, now));
    let (a, b) = futures_util::future::join(sweep(), sweep()).await;
    assert_eq!(a.unwrap().no_arrival + b.unwrap().no_arrival, 1);
    assert_eq!(sweep().await.unwrap().no_arrival, 0, "once");
    drain().await.unwrap();
    let alerts: Vec<_> = smtp
        .to(&coord.email)
        .into_iter()
        .filter(|m| m.subject() == "No arrival yet: Hal Helper at Ada Member's")
        .collect();
    assert_eq!(alerts.len(), 1);
    let list = app
        .get("/api/v1/follow-ups?limit=200", Some(&coord.token))
        .await
        .expect(200);
    let waiting = item_where(&list["items"], "request_id", &id);
    assert_eq!(waiting["kind"], "no_arrival");
    assert!(
        waiting["summary"]
            .as_str()
            .unwrap()
            .contains("running late, expected at"),
        "{waiting}"
    );

    // The helper arrives: the follow-up goes, and there is no more lateness to show.
    let arrived = app
        .post(
            &format!("/api/v1/requests/{id}/check-in"),
            Some(&helper.token),
            json!({}),
        )
        .await
        .expect(200);
    assert!(arrived["eta"].is_null());
    let list = app
        .get("/api/v1/follow-ups?limit=200", Some(&coord.token))
        .await
        .expect(200);
    assert!(
        !list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["request_id"] == id.as_str()),
        "{list}"
    );
    let log = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let line = item_where(&log["items"], "action", "visit.running_late");
    assert_eq!(line["detail"], "about 15 minutes");
}
