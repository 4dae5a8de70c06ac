//! The weekly report against a fixture whose every figure was worked out by hand.
//!
//! Week 2026-W43 in Europe/London runs from Monday 19 October 00:00 BST (18 October 23:00 UTC) to
//! Monday 26 October 00:00 GMT (26 October 00:00 UTC): the clocks go back inside it.

use crate::harness::RawDb;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::RunQueryDsl;
use neighbourly::db::{
    self, feedback::FeedbackRow, helpers::HelperRow, members::MemberRow, requests::RequestRow,
    users::UserRow, DbConnection,
};
use neighbourly::reports::{self, IsoWeek};
use serde_json::json;

use crate::harness::{TestApp, User};
use crate::on_both_backends;

on_both_backends!(
    unmet_areas_are_the_areas_helpers_are_shown,
    every_figure_matches_the_hand_worked_fixture,
    an_empty_week_has_zeros_and_no_rates,
    coordinators_get_json_and_csv_and_can_send_it,
    the_scheduled_report_is_queued_once
);

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn user(id: &str, role: &str, created: &str) -> UserRow {
    UserRow {
        id: id.into(),
        role: neighbourly::domain::Role::parse(role).unwrap(),
        name: format!("{id} name"),
        email: Some(format!("{id}@example.org")),
        phone: None,
        password_hash: None,
        created_at: t(created),
        token_version: 0,
        deactivated_at: None,
        contact_by: None,
        phone_e164: None,
    }
}

fn helper(
    id: &str,
    status: &str,
    vetted: Option<&str>,
    expires: Option<(i32, u32, u32)>,
) -> HelperRow {
    HelperRow {
        user_id: id.into(),
        home_lat: 51.47,
        home_lon: -0.07,
        max_distance_km: 3.0,
        skills: ",gardening,".into(),
        vetting_status: neighbourly::domain::VettingStatus::parse(status).unwrap(),
        vetting_expires_on: expires.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        vetting_note: None,
        vetted_by: None,
        vetted_at: vetted.map(t),
        availability: r#"{"timezone":"Europe/London","weekly":[{"day":"mon","start":"09:00","end":"17:00"}],"time_off":[]}"#.into(),
        reach_min_lat: 51.0,
        reach_max_lat: 52.0,
        reach_min_lon: -1.0,
        reach_max_lon: 1.0,
    }
}

struct Req<'a> {
    id: &'a str,
    cat: &'a str,
    member: &'a str,
    status: &'a str,
    created: &'a str,
    assigned: Option<(&'a str, &'a str, f64)>,
    completed: Option<(&'a str, i32)>,
    cancelled: Option<&'a str>,
    window_end: &'a str,
    at: (f64, f64),
    scheduled: Option<&'a str>,
}

fn request(r: Req<'_>) -> RequestRow {
    RequestRow {
        id: r.id.into(),
        member_id: r.member.into(),
        created_by: r.member.into(),
        category: neighbourly::domain::Category::parse(r.cat).unwrap(),
        description: "fixture".into(),
        status: neighbourly::domain::RequestStatus::parse(r.status).unwrap(),
        window_start: t(r.window_end) - chrono::Duration::hours(4),
        window_end: t(r.window_end),
        duration_minutes: 60,
        lat: r.at.0,
        lon: r.at.1,
        helper_id: r.assigned.map(|(h, _, _)| h.to_string()),
        scheduled_start: r.scheduled.map(t),
        created_at: t(r.created),
        assigned_at: r.assigned.map(|(_, a, _)| t(a)),
        completed_at: r.completed.map(|(c, _)| t(c)),
        cancelled_at: r.cancelled.map(t),
        cancel_reason: None,
        minutes_spent: r.completed.map(|(_, m)| m),
        assigned_distance_km: r.assigned.map(|(_, _, d)| d),
        series_id: None,
        occurs_on: None,
        address: None,
        area_name: None,
    }
}

fn fixture(c: &mut DbConnection) -> diesel::QueryResult<()> {
    let member = |c: &mut DbConnection, id: &str, created: &str| {
        db::members::create_in(
            c,
            &user(id, "member", created),
            &MemberRow {
                user_id: id.into(),
                address: "1 Fixture Street".into(),
                lat: 51.47,
                lon: -0.07,
                created_by: None,
                access_needs: None,
                emergency_name: None,
                emergency_phone: None,
                emergency_relation: None,
            },
        )
    };
    member(c, "m1", "2026-10-01 09:00")?;
    member(c, "m2", "2026-10-20 10:00")?;
    for (u, h) in [
        (
            user("h1", "helper", "2026-09-01 09:00"),
            helper(
                "h1",
                "approved",
                Some("2026-09-02 09:00"),
                Some((2027, 6, 1)),
            ),
        ),
        (
            user("h2", "helper", "2026-10-21 09:00"),
            helper(
                "h2",
                "approved",
                Some("2026-10-22 09:00"),
                Some((2026, 11, 10)),
            ),
        ),
        (
            user("h3", "helper", "2026-10-22 09:00"),
            helper("h3", "pending", None, None),
        ),
    ] {
        db::users::insert(c, &u)?;
        diesel::insert_into(db::schema::helpers::table)
            .values(&h)
            .execute(c)?;
    }
    let home = (51.4700, -0.0700);
    let away = (51.4800, -0.0900);
    for r in [
        // Monday 00:30 BST: inside the week, though it is still Sunday in UTC.
        Req {
            id: "r1",
            cat: "gardening",
            member: "m1",
            status: "completed",
            created: "2026-10-18 23:30",
            assigned: Some(("h1", "2026-10-19 00:30", 1.0)),
            completed: Some(("2026-10-20 11:00", 60)),
            cancelled: None,
            window_end: "2026-10-20 14:00",
            at: home,
            scheduled: Some("2026-10-20 10:00"),
        },
        // Sunday 23:30 BST: the week before; assigned inside this week.
        Req {
            id: "r2",
            cat: "gardening",
            member: "m1",
            status: "completed",
            created: "2026-10-18 22:30",
            assigned: Some(("h1", "2026-10-19 01:30", 2.0)),
            completed: Some(("2026-10-21 12:00", 120)),
            cancelled: None,
            window_end: "2026-10-21 14:00",
            at: home,
            scheduled: Some("2026-10-21 10:00"),
        },
        Req {
            id: "r3",
            cat: "diy",
            member: "m2",
            status: "open",
            created: "2026-10-20 10:00",
            assigned: None,
            completed: None,
            cancelled: None,
            window_end: "2026-11-20 14:00",
            at: home,
            scheduled: None,
        },
        Req {
            id: "r4",
            cat: "diy",
            member: "m2",
            status: "cancelled",
            created: "2026-10-21 09:00",
            assigned: None,
            completed: None,
            cancelled: Some("2026-10-21 10:00"),
            window_end: "2026-11-20 14:00",
            at: home,
            scheduled: None,
        },
        Req {
            id: "r5",
            cat: "shopping",
            member: "m1",
            status: "expired",
            created: "2026-10-19 08:00",
            assigned: None,
            completed: None,
            cancelled: None,
            window_end: "2026-10-22 12:00",
            at: away,
            scheduled: None,
        },
        // Sunday 23:30 GMT, after the clocks went back: still this week; assigned after it ended.
        Req {
            id: "r6",
            cat: "shopping",
            member: "m2",
            status: "assigned",
            created: "2026-10-25 23:30",
            assigned: Some(("h2", "2026-10-26 00:10", 3.0)),
            completed: None,
            cancelled: None,
            window_end: "2026-10-27 14:00",
            at: away,
            scheduled: Some("2026-10-27 10:00"),
        },
        Req {
            id: "r7",
            cat: "companionship",
            member: "m1",
            status: "open",
            created: "2026-10-26 00:30",
            assigned: None,
            completed: None,
            cancelled: None,
            window_end: "2026-11-20 14:00",
            at: home,
            scheduled: None,
        },
    ] {
        db::requests::insert(c, &request(r))?;
    }
    visits_and_concerns(c)?;
    membership_and_events(c)?;
    for (req, rating, at) in [("r1", 5, "2026-10-20 12:00"), ("r2", 3, "2026-10-21 13:00")] {
        db::feedback::insert_once(
            c,
            &FeedbackRow {
                request_id: req.into(),
                member_id: "m1".into(),
                helper_id: "h1".into(),
                rating,
                comment: None,
                created_at: t(at),
            },
        )?;
    }
    Ok(())
}

/// Memberships, the ledger and events around 2026-W43, worked by hand:
/// - m1's membership ends 10 November (active at the week's end, lapsing within four weeks);
///   m2's runs from 20 October for a year.
/// - In the week: m1 buys 3 tokens (£30), has an hour debited for r1; m2 is adjusted by -15.
///   The week before, m2 bought 1 token (£10); after it, m2 buys 2 more (not counted).
/// - At the week's end m1 has 120 minutes, m2 45: one member under one token.
/// - Events: one on Thursday (m1 came, m2 left), one at 23:30 UTC on the Sunday (m2 going, did
///   not come), one at the very end of the week (counted in the next).
fn membership_and_events(c: &mut DbConnection) -> diesel::QueryResult<()> {
    use neighbourly::db::events::{EventRow, SignupRow};
    use neighbourly::db::ledger::{MembershipRow, MovementRow};
    use neighbourly::domain::{MovementKind, SignupStatus};
    for (member, starts, ends) in [
        ("m1", (2026, 1, 1), (2026, 11, 10)),
        ("m2", (2026, 10, 20), (2027, 10, 19)),
    ] {
        let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        db::ledger::add_membership(
            c,
            &MembershipRow {
                id: format!("ms-{member}"),
                member_id: member.into(),
                starts_on: day(starts),
                ends_on: day(ends),
                fee_pence: 1000,
                paid_by: None,
                created_by: "m1".into(),
                created_at: t("2026-01-01 09:00"),
            },
        )?;
    }
    for (id, member, kind, minutes, pence, request, at) in [
        (
            "l1",
            "m1",
            MovementKind::Credit,
            180,
            Some(3000),
            None,
            "2026-10-19 12:00",
        ),
        (
            "l2",
            "m2",
            MovementKind::Credit,
            60,
            Some(1000),
            None,
            "2026-10-12 12:00",
        ),
        (
            "l3",
            "m1",
            MovementKind::Debit,
            -60,
            None,
            Some("r1"),
            "2026-10-20 12:00",
        ),
        (
            "l4",
            "m2",
            MovementKind::Adjustment,
            -15,
            None,
            None,
            "2026-10-21 12:00",
        ),
        (
            "l5",
            "m2",
            MovementKind::Credit,
            120,
            Some(2000),
            None,
            "2026-10-26 01:00",
        ),
    ] {
        db::ledger::move_minutes(
            c,
            &MovementRow {
                id: id.into(),
                member_id: member.into(),
                kind,
                request_id: request.map(String::from),
                amount_pence: pence,
                paid_by: None,
                note: None,
                created_by: None,
                at: t(at),
            },
            minutes,
        )?;
    }
    for (id, starts) in [
        ("e1", "2026-10-22 10:00"),
        ("e2", "2026-10-25 23:30"),
        ("e3", "2026-10-26 00:00"),
    ] {
        db::events::insert(
            c,
            &EventRow {
                id: id.into(),
                title: format!("Event {id}"),
                description: "Tea".into(),
                place: "The hall".into(),
                lat: 51.47,
                lon: -0.07,
                starts_at: t(starts),
                ends_at: t(starts) + chrono::Duration::hours(1),
                capacity: 10,
                created_by: "m1".into(),
                created_at: t("2026-10-01 09:00"),
                cancelled_at: None,
                cancel_reason: None,
            },
        )?;
    }
    for (event, member, seq, status, came) in [
        ("e1", "m1", 1, SignupStatus::Going, true),
        ("e1", "m2", 2, SignupStatus::Left, false),
        ("e2", "m2", 1, SignupStatus::Going, false),
        ("e3", "m1", 1, SignupStatus::Going, false),
    ] {
        db::events::save_signup(
            c,
            &SignupRow {
                event_id: event.into(),
                member_id: member.into(),
                status,
                seq,
                needs_lift: false,
                lift_request_id: None,
                signed_up_by: member.into(),
                signed_up_at: t("2026-10-10 09:00"),
                changed_at: t("2026-10-10 09:00"),
                attended_at: came.then(|| t("2026-10-22 10:05")),
            },
        )?;
    }
    Ok(())
}

/// Visits and concerns around 2026-W43 (19 to 25 October), worked by hand in the test below.
fn visits_and_concerns(c: &mut DbConnection) -> diesel::QueryResult<()> {
    use neighbourly::db::concerns::{ConcernRow, HistoryRow};
    use neighbourly::db::visits::VisitRow;
    use neighbourly::domain::{ConcernCategory, ConcernStatus, Urgency, VisitEnd};
    let visit = |req: &str,
                 helper: &str,
                 asked: Option<&str>,
                 confirmed: Option<&str>,
                 ended: Option<(VisitEnd, &str)>| VisitRow {
        request_id: req.into(),
        helper_id: helper.into(),
        confirm_asked_at: asked.map(t),
        confirmed_at: confirmed.map(t),
        alerted_at: None,
        checked_in_at: None,
        checked_out_at: None,
        ended: ended.map(|e| e.0),
        ended_at: ended.map(|e| t(e.1)),
        note: None,
        member_reminded_at: None,
        eta: None,
        late_note: None,
        no_check_in_alerted_at: None,
    };
    for v in [
        // Asked in the week and confirmed.
        visit(
            "r1",
            "h1",
            Some("2026-10-19 10:00"),
            Some("2026-10-19 11:00"),
            None,
        ),
        // Asked in the week, never confirmed, passed on.
        visit(
            "r2",
            "h1",
            Some("2026-10-20 10:00"),
            None,
            Some((VisitEnd::Unconfirmed, "2026-10-20 22:00")),
        ),
        // Asked the week before; did not come, this week.
        visit(
            "r3",
            "h2",
            Some("2026-10-12 10:00"),
            None,
            Some((VisitEnd::NoShow, "2026-10-21 12:00")),
        ),
        // Did not come three weeks before: with the one above, two in twelve weeks.
        visit(
            "r4",
            "h2",
            None,
            None,
            Some((VisitEnd::NoShow, "2026-10-05 10:00")),
        ),
        // Withdrew late this week; withdrew after the week ended (not counted).
        visit(
            "r5",
            "h1",
            None,
            None,
            Some((VisitEnd::WithdrewLate, "2026-10-22 09:00")),
        ),
        visit(
            "r7",
            "h1",
            None,
            None,
            Some((VisitEnd::Withdrew, "2026-10-26 00:30")),
        ),
    ] {
        diesel::insert_into(neighbourly::db::schema::visits::table)
            .values(&v)
            .execute(c)?;
    }
    let concern = |id: &str, category, urgency, created: &str| ConcernRow {
        id: id.into(),
        raised_by: "m1".into(),
        about_id: None,
        request_id: None,
        category,
        description: format!("what {id} says"),
        urgency,
        created_at: t(created),
    };
    for (row, steps) in [
        (
            concern(
                "c1",
                ConcernCategory::Financial,
                Urgency::Urgent,
                "2026-10-20 09:00",
            ),
            vec![
                (ConcernStatus::Open, "2026-10-20 09:00"),
                (ConcernStatus::Investigating, "2026-10-21 09:00"),
            ],
        ),
        (
            concern(
                "c2",
                ConcernCategory::Neglect,
                Urgency::Routine,
                "2026-10-22 09:00",
            ),
            vec![(ConcernStatus::Open, "2026-10-22 09:00")],
        ),
        (
            concern(
                "c3",
                ConcernCategory::Other,
                Urgency::Routine,
                "2026-10-05 09:00",
            ),
            vec![
                (ConcernStatus::Open, "2026-10-05 09:00"),
                (ConcernStatus::Closed, "2026-10-23 09:00"),
            ],
        ),
        (
            concern(
                "c4",
                ConcernCategory::Neglect,
                Urgency::Routine,
                "2026-10-24 09:00",
            ),
            vec![
                (ConcernStatus::Open, "2026-10-24 09:00"),
                (ConcernStatus::Referred, "2026-10-27 09:00"),
            ],
        ),
    ] {
        neighbourly::db::concerns::insert(c, &row)?;
        for (seq, (status, at)) in steps.into_iter().enumerate() {
            neighbourly::db::concerns::append(
                c,
                &HistoryRow {
                    id: format!("{}-{seq}", row.id),
                    concern_id: row.id.clone(),
                    seq: seq as i32 + 1,
                    at: t(at),
                    by_id: "m1".into(),
                    status,
                    note: "step".into(),
                    referred_to: None,
                    reference: None,
                    closure_reason: None,
                    owner_id: None,
                    review_on: None,
                },
            )?;
        }
    }
    Ok(())
}

async fn report(app: &TestApp, week: &str) -> serde_json::Value {
    let week = IsoWeek::parse(week).unwrap();
    let r = app
        .state
        .db(move |c| {
            Ok(neighbourly::db::reports::weekly(
                c,
                week,
                chrono_tz::Europe::London,
                60,
            )?)
        })
        .await
        .unwrap();
    serde_json::to_value(r).unwrap()
}

async fn with_fixture(app: &TestApp) {
    app.state.db(|c| Ok(fixture(c)?)).await.unwrap();
}

async fn every_figure_matches_the_hand_worked_fixture(app: TestApp) {
    with_fixture(&app).await;
    let r = report(&app, "2026-W43").await;
    assert_eq!(r["start"], "2026-10-18T23:00:00Z");
    assert_eq!(r["end"], "2026-10-26T00:00:00Z");
    let counts = |created, assigned, completed, cancelled, expired, open| json!({"created": created, "assigned": assigned, "completed": completed, "cancelled": cancelled, "expired": expired, "open": open});
    assert_eq!(
        r["figures"],
        json!({
            "requests": {
                "by_category": {
                    "diy": counts(2, 0, 0, 1, 0, 1),
                    "gardening": counts(1, 2, 2, 0, 0, 0),
                    "shopping": counts(2, 0, 0, 0, 1, 1),
                },
                "totals": counts(5, 2, 2, 1, 1, 2),
                "match_rate": 0.2,
                "median_minutes_to_assignment": 120.0,
                "p90_minutes_to_assignment": 180.0,
                "median_distance_km": 1.5,
            },
            "helpers": {
                "hours_delivered": 3.0,
                "active": 1,
                "idle": 1,
                "new_applications": 2,
                "approvals": 1,
                "vetting_expiring_within_30_days": 1,
            },
            "relationships": {"continuity_rate": 0.5, "average_rating": 4.0, "ratings": 2},
            "unmet": {
                "by_category": {"diy": 1, "shopping": 2},
                "by_area": [
                    {"area": "51.4825, -0.0920", "area_name": null, "center": {"lat": 51.4825, "lon": -0.092}, "cell_size_m": 550, "count": 2},
                    {"area": "51.4725, -0.0680", "area_name": null, "center": {"lat": 51.4725, "lon": -0.068}, "cell_size_m": 550, "count": 1},
                ],
            },
            "members": {"new": 1, "active": 2},
            "visits": {
                "asked_to_confirm": 2,
                "confirmed": 1,
                "confirmation_rate": 0.5,
                "no_shows": 1,
                "withdrawals": 1,
                "late_withdrawals": 1,
                "unconfirmed_passed_on": 1,
                "repeated_no_shows": [{"helper_id": "h2", "name": "h2 name", "no_shows": 2}],
            },
            "safeguarding": {
                "raised_by_category": {"financial": 1, "neglect": 2},
                "by_status": {"open": 2, "investigating": 1, "closed": 1},
                "urgent_raised": 1,
            },
            "membership": {
                "tokens_sold": 3,
                "amount_pence": 3000,
                "minutes_used": 60,
                "members_below_one_token": 1,
                "memberships_lapsing": 1,
            },
            "events": {"held": 2, "places_taken": 2, "attended": 1},
        })
    );
    // The week before, for the trend.
    let p = &r["previous"];
    assert_eq!(p["requests"]["totals"], counts(1, 0, 0, 0, 0, 1));
    assert_eq!(p["requests"]["match_rate"], 0.0);
    assert_eq!(p["helpers"]["idle"], 1);
    assert_eq!(p["helpers"]["new_applications"], 0);
    assert_eq!(p["helpers"]["vetting_expiring_within_30_days"], 0);
    assert_eq!(p["members"], json!({"new": 0, "active": 1}));
    assert_eq!(
        p["membership"],
        json!({"tokens_sold": 1, "amount_pence": 1000, "minutes_used": 0, "members_below_one_token": 1, "memberships_lapsing": 1})
    );
    assert_eq!(
        p["events"],
        json!({"held": 0, "places_taken": 0, "attended": 0})
    );
}

async fn an_empty_week_has_zeros_and_no_rates(app: TestApp) {
    with_fixture(&app).await;
    let r = report(&app, "2026-W30").await;
    let f = &r["figures"];
    assert_eq!(f["requests"]["by_category"], json!({}));
    assert_eq!(f["requests"]["totals"]["created"], 0);
    for k in [
        "match_rate",
        "median_minutes_to_assignment",
        "p90_minutes_to_assignment",
        "median_distance_km",
    ] {
        assert_eq!(f["requests"][k], serde_json::Value::Null, "{k}");
    }
    assert_eq!(
        f["relationships"],
        json!({"continuity_rate": null, "average_rating": null, "ratings": 0})
    );
    assert_eq!(f["helpers"]["hours_delivered"], 0.0);
    assert_eq!(f["unmet"], json!({"by_category": {}, "by_area": []}));
}

async fn coordinators_get_json_and_csv_and_can_send_it(app: TestApp) {
    with_fixture(&app).await;
    let coord: User = app.coordinator().await;
    let m = app.member().await;
    let json_report = app
        .get("/api/v1/reports/weekly?week=2026-W43", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(json_report["figures"]["requests"]["totals"]["created"], 5);
    let csv = app
        .client
        .get(format!(
            "{}/api/v1/reports/weekly?week=2026-W43",
            app.address
        ))
        .bearer_auth(&coord.token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    // In words, read back with Python's csv module: no codes, pounds, place names; the
    // coordinates only in their own column.
    let rows = crate::harness::read_csv(&text);
    assert_eq!(
        rows[0],
        [
            "Section",
            "Figure",
            "Detail",
            "This week",
            "The week before",
            "Coordinates"
        ]
    );
    let has = |want: [&str; 6]| {
        assert!(rows.iter().any(|r| r == &want), "no row {want:?} in {text}");
    };
    has(["Requests", "Asked for", "Gardening", "1", "1", ""]);
    has(["Requests", "Found a helper (%)", "", "20", "0", ""]);
    has([
        "Unmet demand",
        "Requests with no helper, by area",
        "A place with no postcode nearby",
        "2",
        "",
        "51.4825, -0.0920",
    ]);
    has(["Visits", "Helpers who did not come", "", "1", "0", ""]);
    has([
        "Visits",
        "Did not come, in the last 12 weeks",
        "h2 name",
        "2",
        "",
        "",
    ]);
    has([
        "Safeguarding",
        "Concerns raised",
        "Neglect by others",
        "2",
        "0",
        "",
    ]);
    has([
        "Safeguarding",
        "Concerns at the week's end",
        "New, not yet picked up",
        "2",
        "1",
        "",
    ]);
    assert!(
        rows.iter()
            .any(|r| r[1] == "Money taken (£)" && r[3].contains('.')),
        "money in pounds: {text}"
    );
    for row in &rows {
        assert_eq!(row.len(), 6, "{row:?}");
        for cell in &row[..3] {
            assert!(!cell.contains('_'), "a code in {row:?}");
            assert!(!cell.contains("pence"), "pence in {row:?}");
        }
        if row[5].is_empty() {
            assert!(
                !row[2].contains("51."),
                "a coordinate outside its column: {row:?}"
            );
        }
    }
    assert!(!text.contains("what c1 says"), "never a concern's content");
    app.get("/api/v1/reports/weekly?week=2026-W43", Some(&m.token))
        .await
        .expect(403);
    app.get("/api/v1/reports/weekly?week=2026-43", Some(&coord.token))
        .await
        .expect(422);
    app.get("/api/v1/reports/weekly", Some(&coord.token))
        .await
        .expect(200);

    let sent = app
        .post(
            "/api/v1/reports/weekly/send?week=2026-W43",
            Some(&coord.token),
            json!({}),
        )
        .await
        .expect(202);
    assert_eq!(sent, json!({"week": "2026-W43", "queued": 1}));
    app.post(
        "/api/v1/reports/weekly/send?week=2026-W43",
        Some(&m.token),
        json!({}),
    )
    .await
    .expect(403);
    let email = coord.email.clone();
    let queued = app
        .state
        .db(move |c| Ok(db::outbox::for_recipient(c, &email)?))
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].subject, "Neighbourly weekly report 2026-W43");
    assert!(
        queued[0].html_body.contains("bgcolor="),
        "a bar chart in table cells"
    );
    assert!(!queued[0].html_body.contains("<img") && !queued[0].html_body.contains("<svg"));
    assert!(
        queued[0]
            .text_body
            .contains("Requests: 5 (up 4 on the week before)."),
        "{}",
        queued[0].text_body
    );
}

async fn the_scheduled_report_is_queued_once(app: TestApp) {
    let mut settings = app.settings.clone();
    settings.reports.scheduled = true;
    let _c1 = app.coordinator().await;
    let _c2 = app.coordinator().await;
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let run = |now: chrono::DateTime<chrono::Utc>| {
        let settings = settings.clone();
        app.state.db(move |c| {
            Ok(neighbourly::service::reports::queue_scheduled(
                c, &settings, now,
            )?)
        })
    };
    // Monday 16 November 2026, 07:59 in London: not yet.
    assert_eq!(run(at("2026-11-16T07:59:00Z")).await.unwrap(), 0);
    // 08:00: last week's report, once per coordinator, however often it is asked.
    assert_eq!(run(at("2026-11-16T08:00:00Z")).await.unwrap(), 2);
    assert_eq!(run(at("2026-11-16T08:00:30Z")).await.unwrap(), 0);
    assert_eq!(run(at("2026-11-18T12:00:00Z")).await.unwrap(), 0);
    // In summer, 08:00 London is 07:00 UTC.
    assert_eq!(run(at("2026-06-15T06:59:00Z")).await.unwrap(), 0);
    assert_eq!(run(at("2026-06-15T07:00:00Z")).await.unwrap(), 2);
}

#[tokio::test]
async fn the_report_email_reads_well() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite)
        .await
        .unwrap();
    with_fixture(&app).await;
    let week = IsoWeek::parse("2026-W43").unwrap();
    let r = app
        .state
        .db(move |c| {
            Ok(neighbourly::db::reports::weekly(
                c,
                week,
                chrono_tz::Europe::London,
                60,
            )?)
        })
        .await
        .unwrap();
    let mail = reports::email::render(&r, "cora@example.org");
    for code in ["diy", "gardening", "shopping", "it_help"] {
        assert!(
            !mail.text_body.contains(&format!("  {code} ")),
            "categories in words, not codes: {}",
            mail.text_body
        );
    }
    assert!(mail.text_body.contains("Odd jobs and DIY"));
    insta::assert_snapshot!("weekly_report_text", mail.text_body);
    insta::assert_snapshot!("weekly_report_html", mail.html_body);
}

/// A helper is offered a job and declines it; nobody else can take it, so it is unmet. The report
/// names the same cell, with the same centre, as the offer did.
async fn unmet_areas_are_the_areas_helpers_are_shown(app: TestApp) {
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let m = app.member().await;
    // A window after this week, so that the request is still open when the week ends.
    let start = chrono::Utc::now() + chrono::Duration::days(8);
    let mut body = TestApp::request_body("gardening");
    body["window"] = json!({"start": start.to_rfc3339(), "end": (start + chrono::Duration::hours(4)).to_rfc3339()});
    body["location"] = json!({"lat": 51.4731, "lon": -0.0687});
    app.post("/api/v1/requests", Some(&m.token), body)
        .await
        .expect(201);
    let offers = app
        .get("/api/v1/offers", Some(&helper.token))
        .await
        .expect(200);
    let offer = &offers["items"][0];
    let path = format!("/api/v1/offers/{}/decline", offer["id"].as_str().unwrap());
    app.post(&path, Some(&helper.token), json!({}))
        .await
        .expect(200);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let path = format!("/api/v1/reports/weekly?week={}", IsoWeek::of(today));
    let report = app.get(&path, Some(&coord.token)).await.expect(200);
    let by_area = &report["figures"]["unmet"]["by_area"];
    assert_eq!(by_area.as_array().map(Vec::len), Some(1), "{by_area}");
    assert_eq!(by_area[0]["center"], offer["area"]["center"]);
    assert_eq!(by_area[0]["cell_size_m"], offer["area"]["cell_size_m"]);
    assert_eq!(by_area[0]["area"], json!("51.4725, -0.0680"));
    assert_eq!(by_area[0]["count"], 1);
    assert!(by_area[0]["area_name"].is_null(), "no postcodes yet");
    // Once postcodes are loaded, the area is named by its district.
    app.state
        .run(|svc| {
            let file = std::fs::File::open("docs/examples/postcodes-peckham-camberwell.csv")
                .expect("the sample");
            neighbourly::service::places::import(
                svc,
                neighbourly::service::Requester::CommandLine,
                file,
                |_| {},
            )
        })
        .await
        .unwrap();
    let report = app.get(&path, Some(&coord.token)).await.expect(200);
    assert_eq!(
        report["figures"]["unmet"]["by_area"][0]["area_name"],
        "SE15"
    );
}
