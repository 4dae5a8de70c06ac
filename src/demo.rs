//! `neighbourly demo`: a believable neighbourhood around Peckham and Camberwell, with members,
//! vetted helpers with availability, requests in every state, memberships with tokens, and a
//! past and an upcoming coffee morning, so that every flow can be tried.

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::auth::password::PasswordPolicy;
use crate::config::Settings;
use crate::db::{
    self,
    events::{EventRow, SignupRow},
    feedback::FeedbackRow,
    helpers::HelperRow,
    ledger::{MembershipRow, MovementRow},
    members::MemberRow,
    requests::RequestRow,
    users::UserRow,
    DbConnection,
};
use crate::domain::availability::{Availability, WeeklySlot};
use crate::domain::{
    Category, Location, MovementKind, RequestStatus, Role, SignupStatus, VettingStatus,
};

pub const DEMO_PASSWORD: &str = "neighbourly-demo";
const COORDINATOR_EMAIL: &str = "coordinator@demo.neighbourly.example";

const FIRST: [&str; 24] = [
    "Ada", "Bisi", "Clive", "Doreen", "Errol", "Femi", "Gladys", "Harold", "Ivy", "Joyce", "Kwame",
    "Lorna", "Maureen", "Nnamdi", "Olive", "Patrick", "Queenie", "Rita", "Stanley", "Tunde", "Una",
    "Vera", "Winston", "Yvonne",
];
const LAST: [&str; 20] = [
    "Adeyemi", "Baker", "Campbell", "Davies", "Evans", "Francis", "Green", "Hughes", "Igwe",
    "James", "Khan", "Lewis", "Mensah", "Nolan", "Okafor", "Patel", "Reid", "Smith", "Taylor",
    "Walker",
];
const STREETS: [&str; 16] = [
    "Rye Lane",
    "Choumert Road",
    "Bellenden Road",
    "Lyndhurst Way",
    "Camberwell Grove",
    "Grove Lane",
    "Denmark Hill",
    "Peckham Road",
    "Azenby Road",
    "Consort Road",
    "Crystal Palace Road",
    "Maxted Road",
    "Camberwell Church Street",
    "Love Walk",
    "Elm Grove",
    "Nunhead Lane",
];
const TASKS: [(Category, &str); 12] = [
    (Category::Gardening, "Trim the front hedge before winter"),
    (Category::Gardening, "Clear leaves from the back garden"),
    (Category::Diy, "Put up new curtains in the front room"),
    (Category::Diy, "Fix a dripping kitchen tap"),
    (
        Category::Transport,
        "Lift to King's College Hospital for an appointment",
    ),
    (
        Category::ItHelp,
        "Set up my new phone and video calls with my grandson",
    ),
    (Category::Shopping, "Weekly shop from the Co-op on Rye Lane"),
    (Category::Companionship, "A cup of tea and a chat"),
    (Category::Cleaning, "Help clean the windows"),
    (Category::Paperwork, "Help with a council tax letter"),
    (Category::Diy, "Regrout the bathroom tiles"),
    (Category::Other, "Move a wardrobe upstairs"),
];

/// The sample postcodes around Peckham and Camberwell, imported with the demo so that its people
/// live at postcodes and the demo's sign-ups can be made by postcode.
const SAMPLE_POSTCODES: &str = include_str!("../docs/examples/postcodes-peckham-camberwell.csv");

/// A postcode of the sample, and its position.
struct SamplePlace {
    postcode: String,
    lat: f64,
    lon: f64,
}

fn sample_places() -> Vec<SamplePlace> {
    SAMPLE_POSTCODES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("postcode"))
        .filter_map(|l| {
            let mut parts = l.split(',');
            Some(SamplePlace {
                postcode: parts.next()?.to_string(),
                lat: parts.next()?.parse().ok()?,
                lon: parts.next()?.parse().ok()?,
            })
        })
        .collect()
}

fn near<'a>(rng: &mut StdRng, places: &'a [SamplePlace]) -> &'a SamplePlace {
    &places[rng.random_range(0..places.len())]
}

fn name(rng: &mut StdRng) -> String {
    format!(
        "{} {}",
        FIRST[rng.random_range(0..FIRST.len())],
        LAST[rng.random_range(0..LAST.len())]
    )
}

/// Fill the database; fails if demo data is already there.
pub fn fill(settings: &Settings, seed: u64) -> Result<String, Box<dyn std::error::Error>> {
    let pool = db::connect(&settings.database.connect_options())?;
    {
        let mut conn = pool.get()?;
        if db::users::email_taken(&mut conn, COORDINATOR_EMAIL)? {
            return Err("the demo neighbourhood is already in this database".into());
        }
    }
    let svc = crate::service::Services::new(pool.clone(), std::sync::Arc::new(settings.clone()));
    crate::service::places::import(
        &svc,
        crate::service::Requester::CommandLine,
        SAMPLE_POSTCODES.as_bytes(),
        |_| {},
    )
    .map_err(|e| e.chain())?;
    let places = sample_places();
    let mut conn = pool.get()?;
    let c = &mut *conn;
    let mut rng = StdRng::seed_from_u64(seed);
    let hash = PasswordPolicy {
        memory_kib: settings.auth.argon2_memory_kib,
        iterations: settings.auth.argon2_iterations,
        at_once: settings.auth.hashing_at_once,
    }
    .hash(DEMO_PASSWORD)?;
    let now = db::now();
    let make = People {
        hash,
        now,
        today: Utc::now().date_naive(),
    };
    db::write_tx(c, |c| -> Result<String, Box<dyn std::error::Error>> {
        let coord = make.user(
            Role::Coordinator,
            "Cora Coordinator".into(),
            Some(COORDINATOR_EMAIL.into()),
            None,
        );
        db::users::insert(c, &coord)?;

        let helpers = add_helpers(c, &mut rng, &places, &make, &coord.id)?;
        let members = add_members(c, &mut rng, &places, &make, &coord.id)?;
        let counts = add_jobs(c, &mut rng, settings, (&helpers, &members), &coord.id, now)?;

        let ids: Vec<String> = members.iter().map(|(u, _)| u.id.clone()).collect();
        memberships_and_tokens(c, &mut rng, &coord.id, &ids, settings)?;
        coffee_mornings(c, &coord.id, &ids)?;

        let member = members
            .iter()
            .find(|(u, _)| u.email.is_some())
            .map(|(u, _)| u.email.clone().unwrap_or_default());
        let helper = helpers.first().and_then(|(u, _)| u.email.clone());
        Ok(format!(
            "Demo neighbourhood ready: {} members, {} helpers (5 awaiting vetting), requests {:?}.\n\
             Sign in with password {DEMO_PASSWORD:?} as:\n  member      {}\n  helper      {}\n  coordinator {COORDINATOR_EMAIL}",
            members.len(),
            helpers.len(),
            counts,
            member.unwrap_or_default(),
            helper.unwrap_or_default(),
        ))
    })
}

/// A demo helper's account and helper record.
type DemoHelper = (UserRow, HelperRow);
/// A demo member's account and member record.
type DemoMember = (UserRow, MemberRow);

/// What every demo account shares: the demo password's hash, and the clock they were made by.
struct People {
    hash: String,
    now: NaiveDateTime,
    today: NaiveDate,
}

impl People {
    /// An account made sixty days ago, with the demo password.
    fn user(
        &self,
        role: Role,
        name: String,
        email: Option<String>,
        phone: Option<String>,
    ) -> UserRow {
        UserRow {
            id: db::new_id(),
            role,
            name,
            email,
            phone,
            password_hash: Some(self.hash.clone()),
            created_at: self.now - Duration::days(60),
            token_version: 0,
            deactivated_at: None,
            contact_by: None,
            phone_e164: None,
        }
    }
}

/// Sixty helpers near the sample places, with skills and weekly times; the last five await
/// vetting.
fn add_helpers(
    c: &mut DbConnection,
    rng: &mut StdRng,
    places: &[SamplePlace],
    make: &People,
    coord: &str,
) -> Result<Vec<DemoHelper>, Box<dyn std::error::Error>> {
    let mut helpers = Vec::new();
    for i in 0..60 {
        let home = near(rng, places);
        let (lat, lon) = (home.lat, home.lon);
        let mut skills: Vec<Category> = (0..rng.random_range(1..4))
            .map(|_| Category::ALL[rng.random_range(0..9)])
            .collect();
        skills.sort();
        skills.dedup();
        let email = format!("helper{i}@demo.neighbourly.example");
        let u = make.user(
            Role::Helper,
            name(rng),
            Some(email),
            Some(format!("07700 900{:03}", i)),
        );
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut weekly: Vec<WeeklySlot> = Vec::new();
        for d in days {
            if rng.random_range(0..3) > 0 {
                let start = rng.random_range(8..13);
                let end = start + rng.random_range(3..8);
                weekly.push(WeeklySlot {
                    day: d.into(),
                    start: format!("{start:02}:00"),
                    end: format!("{end:02}:00"),
                });
            }
        }
        let availability =
            Availability::parse("Europe/London", &weekly, &[]).map_err(|e| format!("{e:?}"))?;
        let max_km = [1.5, 2.0, 3.0, 5.0][rng.random_range(0..4)];
        let pending = i >= 55;
        let mut h = HelperRow {
            user_id: u.id.clone(),
            home_lat: lat,
            home_lon: lon,
            max_distance_km: max_km,
            skills: Category::encode_set(&skills),
            vetting_status: if pending {
                VettingStatus::Pending
            } else {
                VettingStatus::Approved
            },
            vetting_expires_on: (!pending)
                .then(|| make.today + Duration::days(rng.random_range(20..700))),
            vetting_note: None,
            vetted_by: (!pending).then(|| coord.to_string()),
            vetted_at: (!pending).then_some(make.now - Duration::days(30)),
            availability: serde_json::to_string(&availability)?,
            reach_min_lat: 0.0,
            reach_max_lat: 0.0,
            reach_min_lon: 0.0,
            reach_max_lon: 0.0,
        };
        h.set_reach(Location { lat, lon }, max_km);
        db::helpers::create_in(c, &u, &h)?;
        helpers.push((u, h));
    }

    Ok(helpers)
}

/// Two hundred members near the sample places; every fifth has a phone and no email, added by
/// the coordinator.
fn add_members(
    c: &mut DbConnection,
    rng: &mut StdRng,
    places: &[SamplePlace],
    make: &People,
    coord: &str,
) -> Result<Vec<DemoMember>, Box<dyn std::error::Error>> {
    let mut members = Vec::new();
    for i in 0..200 {
        let home = near(rng, places);
        let (lat, lon) = (home.lat, home.lon);
        let phone_only = i % 5 == 4;
        let email = (!phone_only).then(|| format!("member{i}@demo.neighbourly.example"));
        let u = UserRow {
            password_hash: (!phone_only).then(|| make.hash.clone()),
            ..make.user(
                Role::Member,
                name(rng),
                email,
                // Members without email have a mobile, and are texted.
                Some(match phone_only {
                    true => format!("07700 900{:03}", i),
                    false => format!("020 7946 {:04}", i),
                }),
            )
        };
        let m = MemberRow {
            user_id: u.id.clone(),
            address: format!(
                "{} {}, London {}",
                rng.random_range(1..120),
                STREETS[rng.random_range(0..STREETS.len())],
                home.postcode
            ),
            lat,
            lon,
            created_by: phone_only.then(|| coord.to_string()),
            access_needs: phone_only.then(|| "Hard of hearing: knock loudly and wait.".to_string()),
            emergency_name: None,
            emergency_phone: None,
            emergency_relation: None,
        };
        db::members::create_in(c, &u, &m)?;
        members.push((u, m));
    }

    Ok(members)
}

/// Past jobs (completed, some with feedback; cancelled; expired), then upcoming ones, offered as
/// a new request would be. Answers how many end in each state.
fn add_jobs(
    c: &mut DbConnection,
    rng: &mut StdRng,
    settings: &Settings,
    (helpers, members): (&[DemoHelper], &[DemoMember]),
    coord: &str,
    now: NaiveDateTime,
) -> Result<std::collections::BTreeMap<&'static str, i32>, Box<dyn std::error::Error>> {
    // Past jobs (completed, some with feedback; cancelled; expired), then upcoming ones.
    let mut counts = std::collections::BTreeMap::new();
    for i in 0..260 {
        let (mu, mm) = &members[rng.random_range(0..members.len())];
        let (cat, text) = TASKS[rng.random_range(0..TASKS.len())];
        let past = i < 160;
        let day = if past {
            -rng.random_range(1..28)
        } else {
            rng.random_range(1..14)
        };
        let start = (Utc::now() + Duration::days(day))
            .date_naive()
            .and_hms_opt(rng.random_range(9..14), 0, 0)
            .unwrap();
        let duration = [45, 60, 90, 120][rng.random_range(0..4)];
        let able: Vec<&(UserRow, HelperRow)> = helpers
            .iter()
            .filter(|(_, h)| {
                h.vetting_status == VettingStatus::Approved
                    && Category::decode_set(&h.skills).contains(&cat)
            })
            .collect();
        let status = match (past, rng.random_range(0..10)) {
            (true, 0) => RequestStatus::Cancelled,
            (true, 1) => RequestStatus::Expired,
            (true, _) => RequestStatus::Completed,
            (false, 0..=2) => RequestStatus::Assigned,
            (false, 3) => RequestStatus::Cancelled,
            (false, _) => RequestStatus::Open,
        };
        let helper = match status {
            RequestStatus::Completed | RequestStatus::Assigned if !able.is_empty() => {
                Some(able[rng.random_range(0..able.len())].0.id.clone())
            }
            _ => None,
        };
        let status = if helper.is_none()
            && matches!(status, RequestStatus::Completed | RequestStatus::Assigned)
        {
            if past {
                RequestStatus::Expired
            } else {
                RequestStatus::Open
            }
        } else {
            status
        };
        let created = start - Duration::days(rng.random_range(2..6));
        let row = RequestRow {
            id: db::new_id(),
            member_id: mu.id.clone(),
            created_by: if mu.email.is_none() {
                coord.to_string()
            } else {
                mu.id.clone()
            },
            category: cat,
            description: text.into(),
            status,
            window_start: start,
            window_end: start + Duration::hours(4),
            duration_minutes: duration,
            lat: mm.lat,
            lon: mm.lon,
            address: Some(mm.address.clone()),
            area_name: db::places::nearest_district(
                c,
                Location {
                    lat: mm.lat,
                    lon: mm.lon,
                },
            )?,
            scheduled_start: helper.as_ref().map(|_| start),
            helper_id: helper.clone(),
            created_at: created.min(now),
            assigned_at: helper
                .as_ref()
                .map(|_| (created + Duration::hours(3)).min(now)),
            completed_at: (status == RequestStatus::Completed)
                .then(|| start + Duration::minutes(duration.into())),
            cancelled_at: (status == RequestStatus::Cancelled)
                .then_some(created + Duration::hours(20)),
            cancel_reason: (status == RequestStatus::Cancelled)
                .then(|| "No longer needed".to_string()),
            minutes_spent: (status == RequestStatus::Completed).then_some(duration),
            assigned_distance_km: helper.as_ref().and_then(|id| {
                let (_, h) = helpers.iter().find(|(u, _)| &u.id == id)?;
                Some(h.home().distance_km(Location {
                    lat: mm.lat,
                    lon: mm.lon,
                }))
            }),
            series_id: None,
            occurs_on: None,
        };
        db::requests::insert(c, &row)?;
        if status == RequestStatus::Completed && rng.random_range(0..3) > 0 {
            db::feedback::insert_once(
                c,
                &FeedbackRow {
                    request_id: row.id.clone(),
                    member_id: mu.id.clone(),
                    helper_id: helper.clone().unwrap_or_default(),
                    rating: [3, 4, 5, 5, 5][rng.random_range(0..5)],
                    comment: Some("Thank you, lovely to see a friendly face".into()),
                    created_at: row.completed_at.unwrap_or(now),
                },
            )?;
        }
        if status == RequestStatus::Open {
            crate::service::offering::offer_next(c, settings, &row.id, now)
                .map_err(|e| e.chain())?;
        }
        let final_status = db::requests::get(c, &row.id)?
            .map(|r| r.status.as_str())
            .unwrap_or_default();
        *counts.entry(final_status).or_insert(0) += 1;
    }

    Ok(counts)
}

/// Every member has a membership (a few ending within the month, some lapsed); most have bought
/// tokens, some as gifts; a few have been corrected.
fn memberships_and_tokens(
    c: &mut DbConnection,
    rng: &mut StdRng,
    coord: &str,
    members: &[String],
    settings: &Settings,
) -> Result<(), Box<dyn std::error::Error>> {
    let today = Utc::now().date_naive();
    let now = db::now();
    for (i, member) in members.iter().enumerate() {
        let ends = match i % 20 {
            0 => today + Duration::days(rng.random_range(3..28)),
            1 => today - Duration::days(rng.random_range(3..40)),
            _ => today + Duration::days(rng.random_range(30..330)),
        };
        db::ledger::add_membership(
            c,
            &MembershipRow {
                id: db::new_id(),
                member_id: member.clone(),
                starts_on: ends - Duration::days(365),
                ends_on: ends,
                fee_pence: 1000,
                paid_by: None,
                created_by: coord.into(),
                created_at: now - Duration::days(30),
            },
        )?;
        if i % 4 == 3 {
            continue;
        }
        let (tokens, pence) = [(3, 3000), (5, 4500)][rng.random_range(0..2)];
        let credit = MovementRow {
            id: db::new_id(),
            member_id: member.clone(),
            kind: MovementKind::Credit,
            request_id: None,
            amount_pence: Some(pence),
            paid_by: (i % 7 == 0).then(|| "Her daughter".to_string()),
            note: None,
            created_by: Some(coord.into()),
            at: now - Duration::days(rng.random_range(1..40)),
        };
        db::ledger::move_minutes(c, &credit, tokens * settings.membership.minutes_per_token)?;
        if i % 9 == 0 {
            let fix = MovementRow {
                id: db::new_id(),
                kind: MovementKind::Adjustment,
                amount_pence: None,
                paid_by: None,
                note: Some("Visit cut short: half an hour back".into()),
                at: credit.at + Duration::days(1),
                ..credit
            };
            db::ledger::move_minutes(c, &fix, 30)?;
        }
    }
    Ok(())
}

/// Last week's coffee morning (most came) and next week's, full with three waiting.
fn coffee_mornings(
    c: &mut DbConnection,
    coord: &str,
    members: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let now = db::now();
    for (days, capacity, signed_up) in [(-7, 20, 18), (7, 25, 28)] {
        let starts = (now + Duration::days(days))
            .date()
            .and_hms_opt(10, 30, 0)
            .unwrap_or(now);
        let event = EventRow {
            id: db::new_id(),
            title: "Coffee morning".into(),
            description: "Tea, cake and a chat, with a talk on keeping warm this winter.".into(),
            place: "St Giles church hall, Camberwell Church Street".into(),
            lat: 51.4740,
            lon: -0.0905,
            starts_at: starts,
            ends_at: starts + Duration::hours(2),
            capacity,
            created_by: coord.into(),
            created_at: now - Duration::days(21),
            cancelled_at: None,
            cancel_reason: None,
        };
        db::events::insert(c, &event)?;
        for (seq, member) in members.iter().take(signed_up).enumerate() {
            let going = (seq as i32) < capacity;
            db::events::save_signup(
                c,
                &SignupRow {
                    event_id: event.id.clone(),
                    member_id: member.clone(),
                    status: if going {
                        SignupStatus::Going
                    } else {
                        SignupStatus::Waiting
                    },
                    seq: seq as i32 + 1,
                    needs_lift: false,
                    lift_request_id: None,
                    signed_up_by: member.clone(),
                    signed_up_at: now - Duration::days(14),
                    changed_at: now - Duration::days(14),
                    attended_at: (days < 0 && seq % 6 != 5).then_some(starts),
                },
            )?;
        }
    }
    Ok(())
}
