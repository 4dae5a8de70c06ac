//! Standing requests: occurrences in local time across the clock changes, made once however many
//! sweeps run at once; the regular helper first, holiday cover, and back; pause, resume and end;
//! who may see and change them; bad input.

use crate::harness::RawDb;
use chrono::{Duration, NaiveDateTime};
use serde_json::{json, Value};

use crate::harness::{TestApp, User};
use crate::on_both_backends;
use neighbourly::service::{housekeeping, series};

on_both_backends!(
    occurrences_keep_local_time_across_the_clock_changes,
    two_sweeps_at_once_make_each_occurrence_once,
    the_regular_helper_comes_first_then_cover_then_back,
    pausing_cancels_unassigned_occurrences_and_resuming_makes_them_again,
    pausing_until_a_day_keeps_the_visits_from_it_and_ends_by_itself,
    series_refuse_bad_input_and_other_callers,
    a_regular_helper_is_checked_before_being_chosen,
    every_request_says_which_series_it_belongs_to,
);

/// `series_id` on every answer that shows a request: the occurrence's series, `null` for a
/// one-off request.
async fn every_request_says_which_series_it_belongs_to(app: TestApp) {
    let member = app.member().await;
    let today = chrono::Utc::now().date_naive().to_string();
    let s = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            sunday_mornings(&today),
        )
        .await
        .expect(201);
    let series_id = s["id"].as_str().unwrap();
    let upcoming = s["upcoming"].as_array().unwrap();
    assert!(!upcoming.is_empty());
    assert!(upcoming.iter().all(|r| r["series_id"] == series_id));
    let occurrence = upcoming[0]["id"].as_str().unwrap();
    let one_off = app.request(&member).await;
    assert!(
        one_off.get("series_id").is_some_and(Value::is_null),
        "{one_off}"
    );
    let read = app
        .get(
            &format!("/api/v1/requests/{occurrence}"),
            Some(&member.token),
        )
        .await
        .expect(200);
    assert_eq!(read["series_id"], series_id);
    let list = app
        .get("/api/v1/requests", Some(&member.token))
        .await
        .expect(200);
    for r in list["items"].as_array().unwrap() {
        let expected = if r["id"] == one_off["id"] {
            Value::Null
        } else {
            json!(series_id)
        };
        assert_eq!(r["series_id"], expected, "{r}");
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn sunday_mornings(starts_on: &str) -> Value {
    json!({
        "category": "companionship",
        "description": "Sunday morning coffee and a chat",
        "every": "week",
        "weekday": "sun",
        "window": {"start": "10:00", "end": "12:00"},
        "timezone": "Europe/London",
        "duration_minutes": 60,
        "starts_on": starts_on,
    })
}

async fn make(app: &TestApp, now: NaiveDateTime) -> series::MadeOccurrences {
    app.state
        .run(move |svc| series::make_occurrences(svc, now))
        .await
        .unwrap()
}

/// The occurrences' window starts of a series, in UTC, soonest first.
async fn starts(app: &TestApp, member: &User, id: &str) -> Vec<String> {
    let s = app
        .get(&format!("/api/v1/series/{id}"), Some(&member.token))
        .await
        .expect(200);
    s["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["window"]["start"].as_str().unwrap().to_string())
        .collect()
}

async fn occurrences_keep_local_time_across_the_clock_changes(app: TestApp) {
    let member = app.member().await;
    let spring = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            sunday_mornings("2027-03-17"),
        )
        .await
        .expect(201);
    assert_eq!(spring["every"], "week");
    assert_eq!(spring["weekday"], "sun");
    assert!(
        spring["upcoming"].as_array().unwrap().is_empty(),
        "it starts next year"
    );
    let autumn = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            sunday_mornings("2027-10-24"),
        )
        .await
        .expect(201);

    make(&app, at("2027-03-20 12:00")).await;
    assert_eq!(
        starts(&app, &member, spring["id"].as_str().unwrap()).await,
        // 10:00 GMT, then 10:00 BST from the last Sunday of March.
        [
            "2027-03-21T10:00:00Z",
            "2027-03-28T09:00:00Z",
            "2027-04-04T09:00:00Z",
            "2027-04-11T09:00:00Z"
        ]
    );
    make(&app, at("2027-10-23 12:00")).await;
    assert_eq!(
        starts(&app, &member, autumn["id"].as_str().unwrap()).await,
        // 10:00 BST, then 10:00 GMT from the last Sunday of October.
        [
            "2027-10-24T09:00:00Z",
            "2027-10-31T10:00:00Z",
            "2027-11-07T10:00:00Z",
            "2027-11-14T10:00:00Z"
        ]
    );
    let occurrence = &app
        .get(
            &format!("/api/v1/series/{}", autumn["id"].as_str().unwrap()),
            Some(&member.token),
        )
        .await
        .expect(200)["upcoming"][1];
    assert_eq!(occurrence["window"]["end"], "2027-10-31T12:00:00Z");
    assert_eq!(occurrence["category"], "companionship");
}

async fn two_sweeps_at_once_make_each_occurrence_once(app: TestApp) {
    let member = app.member().await;
    let created = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            sunday_mornings("2027-03-17"),
        )
        .await
        .expect(201);
    let now = at("2027-03-20 12:00");
    let both = futures_util::future::join(make(&app, now), make(&app, now)).await;
    assert_eq!(both.0.made + both.1.made, 4, "{both:?}");
    // And again later: only the new week is made.
    let later = make(&app, now + Duration::weeks(1)).await;
    assert_eq!(later.made, 1);
    let id = created["id"].as_str().unwrap().to_string();
    let count = app
        .state
        .db(move |c| {
            use diesel::prelude::*;
            use neighbourly::db::schema::help_requests as hr;
            Ok(hr::table
                .filter(hr::series_id.eq(id))
                .count()
                .get_result::<i64>(c)?)
        })
        .await
        .unwrap();
    assert_eq!(count, 5);
}

/// A weekly hour of gardening from tomorrow, between 10:00 and 14:00 London time.
/// A weekly standing request of `member`'s from tomorrow (`weekly_from_tomorrow`); its id.
pub(crate) async fn weekly_series(
    app: &crate::harness::TestApp,
    member: &crate::harness::User,
) -> String {
    app.post(
        "/api/v1/series",
        Some(&member.token),
        weekly_from_tomorrow(),
    )
    .await
    .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) fn weekly_from_tomorrow() -> Value {
    weekly_from(chrono::Utc::now().date_naive() + Duration::days(1))
}

/// Gardening every week on `first`'s weekday, 10:00 to 14:00, from `first`.
pub(crate) fn weekly_from(first: chrono::NaiveDate) -> Value {
    json!({
        "category": "gardening",
        "description": "Keep the front garden tidy",
        "every": "week",
        "weekday": first.format("%a").to_string().to_lowercase(),
        "window": {"start": "10:00", "end": "14:00"},
        "timezone": "Europe/London",
        "duration_minutes": 60,
        "starts_on": first.to_string(),
    })
}

/// An offer says whether it is a visit of a standing request.
async fn offers_say_whether_they_are_standing(app: &TestApp, helper: &User, standing: bool) {
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    let items = inbox["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items.iter().all(|o| o["standing_request"] == standing),
        "{inbox}"
    );
}

/// `helper` takes the offer of `occurrence` for the whole standing request, as its regular.
pub(crate) async fn accept_whole_series(app: &TestApp, helper: &User, occurrence: &str) {
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    let offer = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["request_id"] == occurrence)
        .expect("the helper was offered it")["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        Some(&helper.token),
        json!({"whole_series": true}),
    )
    .await
    .expect(200);
}

pub(crate) async fn open_offers(app: &TestApp, helper: &User) -> Vec<String> {
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["request_id"].as_str().unwrap().to_string())
        .collect()
}

async fn the_regular_helper_comes_first_then_cover_then_back(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let regular = app.helper(&coord).await;
    let cover = app.helper(&coord).await;
    let created = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            weekly_from_tomorrow(),
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
    assert!(
        occurrences.len() >= 4,
        "four weeks ahead: {}",
        occurrences.len()
    );
    // With no regular helper yet, each goes to the best few, saying it is a standing request.
    assert!(open_offers(&app, &cover).await.contains(&occurrences[1]));
    offers_say_whether_they_are_standing(&app, &cover, true).await;

    // The regular accepts the first for the whole series.
    accept_whole_series(&app, &regular, &occurrences[0]).await;
    let s = app
        .get(&format!("/api/v1/series/{id}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(s["helper"]["id"], regular.id.as_str());
    // Later occurrences are now the regular's alone.
    let theirs = open_offers(&app, &regular).await;
    let others = open_offers(&app, &cover).await;
    for later in &occurrences[1..] {
        assert!(theirs.contains(later), "the regular has {later}");
        assert!(!others.contains(later), "the cover no longer has {later}");
    }
    // The regular sees the series among theirs.
    let mine = app
        .get("/api/v1/series", Some(&regular.token))
        .await
        .expect(200);
    assert_eq!(mine["items"][0]["id"], id.as_str());

    // They do not answer within the first-refusal time: holiday cover.
    let later = chrono::Utc::now().naive_utc() + Duration::hours(25);
    app.state
        .run(move |svc| housekeeping::sweep_offers(svc, later))
        .await
        .unwrap();
    let covered = open_offers(&app, &cover).await;
    assert!(
        covered.contains(&occurrences[1]),
        "cover is offered the second"
    );
    // A new occurrence goes back to the regular first.
    let weeks_on = chrono::Utc::now().naive_utc() + Duration::weeks(1) + Duration::hours(1);
    let made = make(&app, weeks_on).await;
    assert_eq!(made.to_regular, made.made);
    assert!(made.made >= 1);

    // Suspending the regular ends their place in the series.
    app.post(
        &format!("/api/v1/helpers/{}/vetting", regular.id),
        Some(&coord.token),
        json!({"status": "suspended"}),
    )
    .await
    .expect(200);
    let s = app
        .get(&format!("/api/v1/series/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert!(s["helper"].is_null());
}

async fn pausing_cancels_unassigned_occurrences_and_resuming_makes_them_again(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let created = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            weekly_from_tomorrow(),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap().to_string();
    let upcoming = created["upcoming"].as_array().unwrap().clone();
    // The helper takes the first occurrence only.
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    let first = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["request_id"] == upcoming[0]["id"])
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/api/v1/offers/{first}/accept"),
        Some(&helper.token),
        json!({}),
    )
    .await
    .expect(200);

    let paused = app
        .post(
            &format!("/api/v1/series/{id}/pause"),
            Some(&member.token),
            json!({"reason": "Away in January"}),
        )
        .await
        .expect(200);
    assert_eq!(paused["status"], "paused");
    let left: Vec<&Value> = paused["upcoming"].as_array().unwrap().iter().collect();
    assert_eq!(left.len(), 1, "only the assigned occurrence is kept");
    assert_eq!(left[0]["id"], upcoming[0]["id"]);
    let cancelled = app
        .get(
            &format!("/api/v1/requests/{}", upcoming[1]["id"].as_str().unwrap()),
            Some(&member.token),
        )
        .await
        .expect(200);
    assert_eq!(cancelled["status"], "cancelled");
    assert!(
        open_offers(&app, &helper).await.is_empty(),
        "their offers were withdrawn"
    );
    // A paused series makes nothing.
    assert_eq!(make(&app, chrono::Utc::now().naive_utc()).await.made, 0);
    app.post(
        &format!("/api/v1/series/{id}/pause"),
        Some(&member.token),
        json!({}),
    )
    .await
    .expect(409);

    let resumed = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/series/{id}/resume"),
            Some(&coord.token),
            None,
        )
        .await;
    assert_eq!(resumed.status, 200, "{}", resumed.body);
    assert_eq!(resumed.body["status"], "active");
    assert_eq!(
        resumed.body["upcoming"].as_array().unwrap().len(),
        upcoming.len(),
        "the cancelled days are made again"
    );
    let ended = app
        .post(
            &format!("/api/v1/series/{id}/end"),
            Some(&member.token),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(ended["status"], "ended");
    app.post(
        &format!("/api/v1/series/{id}/resume"),
        Some(&member.token),
        json!({}),
    )
    .await
    .expect(409);
}

async fn pausing_until_a_day_keeps_the_visits_from_it_and_ends_by_itself(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let _helper = app.helper(&coord).await;
    let created = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            weekly_from_tomorrow(),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap().to_string();
    let upcoming = created["upcoming"].as_array().unwrap().clone();
    assert!(upcoming.len() >= 3, "{created}");
    let day_of = |r: &Value| r["window"]["start"].as_str().unwrap()[..10].to_string();
    let until = day_of(&upcoming[2]);
    let path = format!("/api/v1/series/{id}/pause");

    // Days that are not after today, or more than a year ahead, are named.
    let today = app.clock.now().date();
    for bad in [today.to_string(), (today + Duration::days(400)).to_string()] {
        let r = app
            .post(&path, Some(&member.token), json!({"until": bad}))
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.fields(), ["until"]);
    }
    let r = app
        .post(&path, Some(&member.token), json!({"until": "next week"}))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);

    let paused = app
        .post(&path, Some(&member.token), json!({"until": until}))
        .await
        .expect(200);
    assert_eq!(paused["status"], "paused");
    assert_eq!(paused["paused_until"], until.as_str());
    // The visits before that day are cancelled; those from it on are kept, as they were.
    let kept: Vec<&Value> = paused["upcoming"].as_array().unwrap().iter().collect();
    assert_eq!(kept.len(), upcoming.len() - 2, "{paused}");
    assert_eq!(kept[0]["id"], upcoming[2]["id"]);
    for r in &upcoming[..2] {
        let one = app
            .get(
                &format!("/api/v1/requests/{}", r["id"].as_str().unwrap()),
                Some(&member.token),
            )
            .await
            .expect(200);
        assert_eq!(one["status"], "cancelled");
    }
    // Sweeps before the day make nothing twice and leave it paused.
    assert_eq!(make(&app, app.clock.now()).await.made, 0);
    let s = app
        .get(&format!("/api/v1/series/{id}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(s["status"], "paused");

    // On the day, the first sweep makes it active again, and says so in the audit.
    let on_the_day = chrono::NaiveDate::parse_from_str(&until, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(0, 30, 0)
        .unwrap();
    make(&app, on_the_day).await;
    let s = app
        .get(&format!("/api/v1/series/{id}"), Some(&member.token))
        .await
        .expect(200);
    assert_eq!(s["status"], "active");
    assert!(s["paused_until"].is_null());
    let audit = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(audit.to_string().contains("the pause ended"), "{audit}");
}

async fn series_refuse_bad_input_and_other_callers(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let other = app.member().await;
    let helper = app.helper(&coord).await;
    let applicant = app.applicant().await;
    let cases = [
        (json!({"every": "daily"}), "every"),
        (json!({"weekday": "funday"}), "weekday"),
        (
            json!({"window": {"start": "12:00", "end": "10:00"}}),
            "window.end",
        ),
        (
            json!({"window": {"start": "9am", "end": "10:00"}}),
            "window.start",
        ),
        (json!({"timezone": "Mars/Olympus"}), "timezone"),
        (json!({"duration_minutes": 300}), "duration_minutes"),
        (json!({"starts_on": "2020-01-01"}), "starts_on"),
        (
            json!({
                "ends_on": (chrono::Utc::now().date_naive() + Duration::days(10)).to_string(),
                "starts_on": (chrono::Utc::now().date_naive() + Duration::days(30)).to_string(),
            }),
            "ends_on",
        ),
        (json!({"category": "juggling"}), "category"),
    ];
    for (change, field) in cases {
        let mut body = weekly_from_tomorrow();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app
            .post("/api/v1/series", Some(&member.token), body.clone())
            .await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(r.fields(), [field], "{body}");
    }
    let r = app
        .post("/api/v1/series", Some(&coord.token), weekly_from_tomorrow())
        .await;
    assert_eq!(r.fields(), ["member_id"]);
    let r = app
        .post(
            "/api/v1/series",
            Some(&helper.token),
            weekly_from_tomorrow(),
        )
        .await;
    assert_eq!(r.status, 403);
    let mut for_other = weekly_from_tomorrow();
    for_other["member_id"] = json!(other.id);
    app.post("/api/v1/series", Some(&member.token), for_other)
        .await
        .expect(403);

    let created = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            weekly_from_tomorrow(),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap();
    app.get(&format!("/api/v1/series/{id}"), Some(&other.token))
        .await
        .expect(404);
    app.get(&format!("/api/v1/series/{id}"), Some(&helper.token))
        .await
        .expect(404);
    app.post(
        &format!("/api/v1/series/{id}/pause"),
        Some(&other.token),
        json!({}),
    )
    .await
    .expect(404);
    let helper_path = format!("/api/v1/series/{id}/helper");
    app.put(
        &helper_path,
        Some(&member.token),
        json!({"helper_id": helper.id}),
    )
    .await
    .expect(403);
    let r = app
        .put(
            &helper_path,
            Some(&coord.token),
            json!({"helper_id": applicant.id}),
        )
        .await;
    assert_eq!(r.status, 409, "not approved: {}", r.body);
    assert_eq!(r.body["detail"], "This helper is not approved.");
    let r = app
        .put(
            &helper_path,
            Some(&coord.token),
            json!({"helper_id": "nobody"}),
        )
        .await;
    assert_eq!(r.fields(), ["helper_id"], "no such helper");
    let set = app
        .put(
            &helper_path,
            Some(&coord.token),
            json!({"helper_id": helper.id}),
        )
        .await
        .expect(200);
    assert_eq!(set["helper"]["id"], helper.id.as_str());
    let cleared = app
        .put(&helper_path, Some(&coord.token), json!({"helper_id": null}))
        .await
        .expect(200);
    assert!(cleared["helper"].is_null());
    let own = app
        .get("/api/v1/series", Some(&other.token))
        .await
        .expect(200);
    assert!(own["items"].as_array().unwrap().is_empty());

    // Accepting a job that is not part of a series "for the whole series" is refused.
    let request = app.request(&member).await;
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    let offer = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["request_id"] == request["id"])
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/accept"),
            Some(&helper.token),
            json!({"whole_series": true}),
        )
        .await;
    assert_eq!(r.fields(), ["whole_series"]);
}

/// Choosing a regular helper checks skill, reach and weekly times (a 422 naming each, unless a
/// coordinator overrides with a reason, which is audited); no reason gets past a suspension; the
/// answer carries the helper; `actions` say what comes next and the POSTs agree.
async fn a_regular_helper_is_checked_before_being_chosen(app: TestApp) {
    let coord = app.coordinator().await;
    let member = app.member().await;
    let s = app
        .post(
            "/api/v1/series",
            Some(&member.token),
            weekly_from_tomorrow(),
        )
        .await
        .expect(201);
    let id = s["id"].as_str().unwrap();
    let allowed = |view: &Value| -> Vec<String> {
        view["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["allowed"] == true)
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(allowed(&s), ["pause", "end"], "{}", s["actions"]);
    let lifts = lifts_only_helper(&app, &coord, "Lyn Lifts").await;
    let lifts_id = lifts.id.as_str();
    let path = format!("/api/v1/series/{id}/helper");
    let r = app
        .put(&path, Some(&coord.token), json!({"helper_id": lifts_id}))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.fields(), ["skill", "reach", "availability"], "{}", r.body);
    // An override needs a reason.
    let r = app
        .put(
            &path,
            Some(&coord.token),
            json!({"helper_id": lifts_id, "override": true}),
        )
        .await;
    assert_eq!(r.fields(), ["reason"], "{}", r.body);
    let chosen = app
        .put(
            &path,
            Some(&coord.token),
            json!({"helper_id": lifts_id, "override": true, "reason": "She asked for Lyn by name"}),
        )
        .await
        .expect(200);
    assert_eq!(
        chosen["helper"]["id"], lifts_id,
        "the answer carries the helper"
    );
    let audit = app
        .get(
            &format!("/api/v1/audit?subject_id={id}"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert!(
        audit
            .to_string()
            .contains("override: skill,reach,availability; reason: She asked for Lyn by name"),
        "{audit}"
    );
    // Suspended: no reason gets past it.
    app.suspend(&coord, &lifts).await;
    let r = app
        .put(
            &path,
            Some(&coord.token),
            json!({"helper_id": lifts_id, "override": true, "reason": "Still her choice"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["detail"], "This helper is suspended.");
    // Paused: resume, not pause; ended: nothing, and the POSTs say the same.
    let paused = app
        .post(
            &format!("/api/v1/series/{id}/pause"),
            Some(&member.token),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(allowed(&paused), ["resume", "end"]);
    let again = app
        .post(
            &format!("/api/v1/series/{id}/pause"),
            Some(&member.token),
            json!({}),
        )
        .await;
    assert_eq!(again.status, 409);
    let said = crate::harness::action(&paused, "pause")["reason"].clone();
    assert_eq!(again.body["detail"], said);
    let ended = app
        .post(
            &format!("/api/v1/series/{id}/end"),
            Some(&coord.token),
            json!({}),
        )
        .await
        .expect(200);
    assert!(allowed(&ended).is_empty(), "{}", ended["actions"]);
    let r = app
        .put(&path, Some(&coord.token), json!({"helper_id": null}))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["detail"], "This regular help has ended.");
}

/// An approved helper who gives lifts only, lives 11 km north of the test members, and is free
/// only on a day that a series from [`weekly_from_tomorrow`] does not fall on.
pub(crate) async fn lifts_only_helper(app: &TestApp, coord: &User, name: &str) -> User {
    let email = format!("lifts-{}@example.org", uuid::Uuid::new_v4());
    let mut body = TestApp::helper_body(&email);
    body["name"] = json!(name);
    body["skills"] = json!(["transport"]);
    body["home"] = json!({"lat": 51.57, "lon": -0.07});
    let made = app.post("/api/v1/helpers", None, body).await.expect(201);
    let id = made["id"].as_str().unwrap().to_string();
    let helper = app.login_user(id.clone(), email).await;
    let expires = (chrono::Utc::now() + Duration::days(365)).date_naive();
    app.post(
        &format!("/api/v1/helpers/{id}/vetting"),
        Some(&coord.token),
        json!({"status": "approved", "expires_on": expires.to_string()}),
    )
    .await
    .expect(200);
    let other_day = (chrono::Utc::now() + Duration::days(3))
        .format("%a")
        .to_string()
        .to_lowercase();
    app.put(
        &format!("/api/v1/helpers/{id}/availability"),
        Some(&helper.token),
        json!({"timezone": "Europe/London", "weekly": [{"day": other_day, "start": "09:00", "end": "17:00"}], "time_off": []}),
    )
    .await
    .expect(200);
    helper
}
