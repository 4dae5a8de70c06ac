//! The spatial index of helpers' reach (SQLite's R*Tree, PostgreSQL's GiST) answers exactly what
//! a scan of every helper would: checked over random helpers and places, after inserts, moves
//! and deletions.

use crate::harness::RawDb;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use neighbourly::db::{self, helpers::HelperRow, users::UserRow, DbConnection};
use neighbourly::domain::{Category, Location, Role, VettingStatus};
use rand::{Rng, SeedableRng};

use crate::harness::TestApp;
use crate::on_both_backends;

/// SQLite's reach index codes each skill as its place in the domain's list of categories.
#[tokio::test]
async fn the_reach_index_codes_skills_as_the_domain_lists_them() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite)
        .await
        .unwrap();
    let codes: Vec<(String, i64)> = app
        .state
        .db(|c| {
            #[derive(diesel::QueryableByName)]
            struct Code {
                #[diesel(sql_type = diesel::sql_types::Text)]
                word: String,
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                code: i64,
            }
            let rows: Vec<Code> =
                diesel::sql_query("SELECT word, code FROM helper_reach_skills ORDER BY code")
                    .load(c)?;
            Ok(rows.into_iter().map(|r| (r.word, r.code)).collect())
        })
        .await
        .unwrap();
    let expected: Vec<(String, i64)> = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), db::matching::skill_code(*c)))
        .collect();
    assert_eq!(codes, expected);
}

on_both_backends!(
    the_reach_index_agrees_with_a_scan,
    ranking_nearest_first_agrees_with_ranking_everyone,
    ranking_nearest_first_in_a_crowd_agrees_with_ranking_everyone
);

/// Where helpers live and jobs are: a range of latitudes and one of longitudes.
type Area = (std::ops::Range<f64>, std::ops::Range<f64>);

/// Greater London's extent: a few helpers of a skill within a kilometre of a place.
const LONDON: Area = (51.28..51.70, -0.51..0.33);
/// A few streets: dozens of helpers of a skill within a kilometre of a place, so that the
/// ranking's first rings (homes within 0.5 and 1 km) answer.
const CROWDED: Area = (51.490..51.515, -0.14..-0.10);

fn helper_at(rng: &mut rand::rngs::StdRng, i: usize) -> (UserRow, HelperRow) {
    helper_in(rng, i, &LONDON)
}

fn helper_in(rng: &mut rand::rngs::StdRng, i: usize, area: &Area) -> (UserRow, HelperRow) {
    let id = format!("reach-{i}");
    let home = Location {
        lat: rng.random_range(area.0.clone()),
        lon: rng.random_range(area.1.clone()),
    };
    let skills: Vec<Category> = (0..rng.random_range(1..4))
        .map(|_| Category::ALL[rng.random_range(0..Category::ALL.len())])
        .collect();
    let status = [
        VettingStatus::Approved,
        VettingStatus::Pending,
        VettingStatus::Suspended,
    ][rng.random_range(0..3)];
    let user = UserRow {
        id: id.clone(),
        role: Role::Helper,
        name: format!("Helper {i}"),
        email: None,
        phone: None,
        password_hash: None,
        created_at: db::now(),
        token_version: 0,
        deactivated_at: None,
        contact_by: None,
        phone_e164: None,
    };
    let mut helper = HelperRow {
        user_id: id,
        home_lat: 0.0,
        home_lon: 0.0,
        max_distance_km: 0.0,
        skills: Category::encode_set(&skills),
        vetting_status: status,
        // Approval lasts past the jobs ranked; one in six helpers' has run out.
        vetting_expires_on: (i % 6 != 5)
            .then(|| chrono::NaiveDate::from_ymd_opt(2030, 1, 1))
            .flatten(),
        vetting_note: None,
        vetted_by: None,
        vetted_at: None,
        availability: r#"{"timezone":"Europe/London","weekly":[],"time_off":[]}"#.into(),
        reach_min_lat: 0.0,
        reach_max_lat: 0.0,
        reach_min_lon: 0.0,
        reach_max_lon: 0.0,
    };
    helper.set_reach(home, rng.random_range(0.5..8.0));
    (user, helper)
}

/// What the index should answer: every approved helper with the skill whose box holds `at`.
fn scan(helpers: &[HelperRow], at: Location, category: Category) -> Vec<String> {
    let mut ids: Vec<String> = helpers
        .iter()
        .filter(|h| h.vetting_status == VettingStatus::Approved)
        .filter(|h| Category::decode_set(&h.skills).contains(&category))
        .filter(|h| {
            h.reach_min_lat <= at.lat
                && at.lat <= h.reach_max_lat
                && h.reach_min_lon <= at.lon
                && at.lon <= h.reach_max_lon
        })
        .map(|h| h.user_id.clone())
        .collect();
    ids.sort();
    ids
}

/// What the index answers, by both of its queries (the whole helpers, and the ranking's short
/// rows, which read the skill's index alone): they must agree on whom the ranking weighs. The
/// short rows do not look at the account (PostgreSQL's index-only scan), so they may name
/// deactivated helpers, whom reading the helpers weighed (`helpers_by_id`) leaves out.
fn indexed(c: &mut DbConnection, at: Location, category: Category) -> Vec<String> {
    let mut ids: Vec<String> = db::matching::helpers_reaching(c, at, category)
        .unwrap()
        .into_iter()
        .map(|(_, h)| h.user_id)
        .collect();
    ids.sort();
    let reach = db::matching::reach_of_helpers_reaching(c, at, category, None).unwrap();
    let keys: Vec<db::matching::HelperKey> = reach.iter().map(|r| r.key.clone()).collect();
    let short = db::matching::ids_of(c, &keys).unwrap();
    let mut weighed: Vec<String> = db::matching::helpers_by_id(c, &short)
        .unwrap()
        .into_iter()
        .map(|(_, h)| h.user_id)
        .collect();
    weighed.sort();
    // The homes the index gives are the helpers' own, within the slack the ranking allows.
    let homes: std::collections::HashMap<String, Location> =
        db::matching::helpers_reaching(c, at, category)
            .unwrap()
            .into_iter()
            .map(|(_, h)| (h.user_id.clone(), h.home()))
            .collect();
    for r in &reach {
        let id = db::matching::ids_of(c, std::slice::from_ref(&r.key)).unwrap();
        let Some(&true_home) = homes.get(&id[0]) else {
            continue; // a deactivated helper's (PostgreSQL's short rows)
        };
        assert!(
            r.home.distance_km(true_home) < db::matching::INDEXED_HOME_SLACK_KM / 10.0,
            "{:?} is {} km from {true_home:?}",
            r.home,
            r.home.distance_km(true_home)
        );
    }
    assert_eq!(weighed, ids, "{at:?} {category:?}: both queries agree");
    // A ring names only helpers who can reach the place, and every one of them whose home is
    // within its distance.
    for km in [0.5, 2.0, 6.0] {
        let ring = db::matching::reach_of_helpers_reaching(c, at, category, Some(km)).unwrap();
        let keys: Vec<db::matching::HelperKey> = ring.iter().map(|r| r.key.clone()).collect();
        let named = db::matching::ids_of(c, &keys).unwrap();
        let in_ring: Vec<String> = db::matching::helpers_by_id(c, &named)
            .unwrap()
            .into_iter()
            .map(|(_, h)| h.user_id)
            .collect();
        for id in &in_ring {
            assert!(
                ids.contains(id),
                "{at:?} {category:?} {km} km: {id} cannot reach"
            );
        }
        for (id, home) in &homes {
            if home.distance_km(at) <= km {
                assert!(
                    in_ring.contains(id),
                    "{at:?} {category:?} {km} km: {id} missing"
                );
            }
        }
    }
    ids
}

fn compare(c: &mut DbConnection, rng: &mut rand::rngs::StdRng, helpers: &[HelperRow]) -> usize {
    let mut found = 0;
    for _ in 0..200 {
        let at = Location {
            lat: rng.random_range(51.28..51.70),
            lon: rng.random_range(-0.51..0.33),
        };
        let category = Category::ALL[rng.random_range(0..Category::ALL.len())];
        let expected = scan(helpers, at, category);
        assert_eq!(indexed(c, at, category), expected, "{at:?} {category:?}");
        found += expected.len();
    }
    found
}

async fn the_reach_index_agrees_with_a_scan(app: TestApp) {
    app.state
        .db(|c| {
            let mut rng = rand::rngs::StdRng::seed_from_u64(7);
            let mut helpers = Vec::new();
            for i in 0..400 {
                let (user, helper) = helper_at(&mut rng, i);
                db::helpers::create_in(c, &user, &helper)?;
                helpers.push(helper);
            }
            assert!(
                compare(c, &mut rng, &helpers) > 50,
                "the places found some helpers"
            );
            // Move a hundred helpers: new homes and reaches.
            for (i, h) in helpers.iter_mut().enumerate().take(100) {
                let (_, moved) = helper_at(&mut rng, 1000 + i);
                h.set_reach(moved.home(), moved.max_distance_km);
                db::helpers::set_reach(c, &h.user_id, h.home(), h.max_distance_km)?;
            }
            compare(c, &mut rng, &helpers);
            // New skills for forty, forty suspended, forty accounts deactivated.
            {
                use neighbourly::db::schema::{helpers as hs, users};
                for h in helpers.iter_mut().skip(100).take(40) {
                    h.skills = Category::encode_set(&[Category::ALL[rng.random_range(0..9)]]);
                    diesel::update(hs::table.find(&h.user_id))
                        .set(hs::skills.eq(&h.skills))
                        .execute(c)?;
                }
                for h in helpers.iter_mut().skip(140).take(40) {
                    h.vetting_status = VettingStatus::Suspended;
                    diesel::update(hs::table.find(&h.user_id))
                        .set(hs::vetting_status.eq("suspended"))
                        .execute(c)?;
                }
                let gone: Vec<String> = helpers
                    .iter()
                    .skip(180)
                    .take(40)
                    .map(|h| h.user_id.clone())
                    .collect();
                diesel::update(users::table.filter(users::id.eq_any(&gone)))
                    .set(users::deactivated_at.eq(Some(db::now())))
                    .execute(c)?;
                helpers.retain(|h| !gone.contains(&h.user_id));
            }
            compare(c, &mut rng, &helpers);
            // Remove fifty.
            for h in helpers.drain(..50) {
                let users = neighbourly::db::schema::users::table;
                diesel::delete(users.find(&h.user_id)).execute(c)?;
            }
            compare(c, &mut rng, &helpers);
            Ok(())
        })
        .await
        .unwrap();
}

/// The server's ranking reads helpers nearest first and stops early; it must give exactly what
/// the matcher gives over every helper who can reach the job.
async fn ranking_nearest_first_agrees_with_ranking_everyone(app: TestApp) {
    ranking_agrees(app, LONDON, 0).await;
}

/// The same where the nearest rings hold enough helpers to decide, with a member whose past
/// helpers (continuity) live anywhere in the crowd.
async fn ranking_nearest_first_in_a_crowd_agrees_with_ranking_everyone(app: TestApp) {
    ranking_agrees(app, CROWDED, 40).await;
}

/// Rank sixty jobs in `area` among 600 helpers there, for a member who had help from `regulars`
/// of them before, both nearest first and over everyone who can reach each job.
async fn ranking_agrees(app: TestApp, area: Area, regulars: usize) {
    use neighbourly::db::requests::RequestRow;
    use neighbourly::domain::RequestStatus;
    use neighbourly::service::offering::{facts, ranking};
    let settings = crate::harness::test_settings();
    app.state
        .db(move |c| {
            let mut rng = rand::rngs::StdRng::seed_from_u64(11);
            let always = r#"{"timezone":"Europe/London","weekly":[{"day":"mon","start":"00:00","end":"24:00"},{"day":"tue","start":"00:00","end":"24:00"},{"day":"wed","start":"00:00","end":"24:00"},{"day":"thu","start":"00:00","end":"24:00"},{"day":"fri","start":"00:00","end":"24:00"},{"day":"sat","start":"00:00","end":"24:00"},{"day":"sun","start":"00:00","end":"24:00"}],"time_off":[]}"#;
            let mut gone = Vec::new();
            for i in 0..600 {
                let (user, mut helper) = helper_in(&mut rng, i, &area);
                helper.availability = always.into();
                db::helpers::create_in(c, &user, &helper)?;
                if i % 10 == 0 {
                    gone.push(user.id);
                }
            }
            // A tenth of the accounts are deactivated: neither ranking may name them.
            {
                use neighbourly::db::schema::users;
                diesel::update(users::table.filter(users::id.eq_any(&gone)))
                    .set(users::deactivated_at.eq(Some(db::now())))
                    .execute(c)?;
            }
            let start = (chrono::Utc::now() + chrono::Duration::days(2)).naive_utc();
            let job_at = |n: usize, rng: &mut rand::rngs::StdRng, member: &str| RequestRow {
                id: format!("rank-{n}"),
                member_id: member.into(),
                created_by: member.into(),
                category: Category::ALL[rng.random_range(0..Category::ALL.len())],
                description: "ranking".into(),
                status: RequestStatus::Open,
                window_start: start,
                window_end: start + chrono::Duration::hours(4),
                duration_minutes: 60,
                lat: rng.random_range(area.0.clone()),
                lon: rng.random_range(area.1.clone()),
                helper_id: None,
                scheduled_start: None,
                created_at: db::now(),
                assigned_at: None,
                completed_at: None,
                cancelled_at: None,
                cancel_reason: None,
                minutes_spent: None,
                assigned_distance_km: None,
                series_id: None,
                occurs_on: None,
                address: None,
                area_name: None,
            };
            // The member's past jobs, each done by one of every fifteenth helper (a few of them
            // since deactivated).
            let member = if regulars == 0 { "nobody" } else { "regular-member" };
            if regulars > 0 {
                let (mut user, _) = helper_in(&mut rng, 9999, &area);
                user.id = member.into();
                user.role = Role::Member;
                db::users::insert(c, &user)?;
                let done = db::now() - chrono::Duration::days(30);
                for k in 0..regulars {
                    let past = RequestRow {
                        id: format!("past-{k}"),
                        status: RequestStatus::Completed,
                        window_start: done,
                        window_end: done + chrono::Duration::hours(4),
                        helper_id: Some(format!("reach-{}", (k * 15 + 1) % 600)),
                        scheduled_start: Some(done),
                        assigned_at: Some(done),
                        completed_at: Some(done + chrono::Duration::hours(1)),
                        minutes_spent: Some(60),
                        ..job_at(k, &mut rng, member)
                    };
                    db::requests::insert(c, &past)?;
                }
            }
            let mut ranked = 0;
            for n in 0..60 {
                let row = job_at(n, &mut rng, member);
                let ctx = facts::context(c, &row)?;
                assert_eq!(ctx.history.len(), regulars.min(40), "the member's past helpers");
                let everyone = facts::candidates(c, &row, db::now())?;
                for limit in [1, 3, 20] {
                    let expected = neighbourly::matching::rank(
                        &everyone,
                        &facts::job(&row),
                        &ctx,
                        &settings.matching.limits(),
                        &settings.matching.weights,
                        limit,
                    );
                    let got =
                        ranking::rank_nearest_first(c, &settings, &row, &ctx, limit, db::now())?;
                    assert_eq!(got, expected, "request {n}, limit {limit}");
                    ranked += got.len();
                    assert!(
                        got.iter().all(|g| !gone.contains(&g.helper_id)),
                        "request {n}: a deactivated helper was ranked"
                    );
                }
            }
            // Most jobs find someone (the comparison above is not between two empty lists).
            assert!(ranked >= 60, "{ranked} helpers ranked over 60 jobs and three limits");
            Ok(())
        })
        .await
        .unwrap();
}
