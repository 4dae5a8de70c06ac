//! The spatial index of helpers' reach (SQLite's R*Tree, PostgreSQL's GiST) answers exactly what
//! a scan of every helper would: checked over random helpers and places, after inserts, moves
//! and deletions.

use diesel::{QueryDsl, RunQueryDsl};
use neighbourly::db::{self, helpers::HelperRow, users::UserRow, DbConnection};
use neighbourly::domain::{Category, Location, Role, VettingStatus};
use rand::{Rng, SeedableRng};

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(the_reach_index_agrees_with_a_scan);

fn helper_at(rng: &mut rand::rngs::StdRng, i: usize) -> (UserRow, HelperRow) {
    let id = format!("reach-{i}");
    let home = Location {
        lat: rng.random_range(51.28..51.70),
        lon: rng.random_range(-0.51..0.33),
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
    };
    let mut helper = HelperRow {
        user_id: id,
        home_lat: 0.0,
        home_lon: 0.0,
        max_distance_km: 0.0,
        skills: Category::encode_set(&skills),
        vetting_status: status,
        vetting_expires_on: None,
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

fn indexed(c: &mut DbConnection, at: Location, category: Category) -> Vec<String> {
    let mut ids: Vec<String> = db::matching::helpers_reaching(c, at, category)
        .unwrap()
        .into_iter()
        .map(|(_, h)| h.user_id)
        .collect();
    ids.sort();
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
