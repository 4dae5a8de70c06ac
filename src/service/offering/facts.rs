//! Read the facts for one job from the database into the matcher's plain types.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, helpers::HelperRow, requests::RequestRow, DbConnection};
use crate::domain::{Category, Location, OfferStatus, VettingStatus};
use crate::matching::{HelperFacts, JobFacts, MemberContext, PastHelp, SkillSet};

pub fn job(row: &RequestRow) -> JobFacts {
    JobFacts {
        id: row.id.clone(),
        member_id: row.member_id.clone(),
        category: row.category,
        location: Location {
            lat: row.lat,
            lon: row.lon,
        },
        window_start: row.window_start.and_utc(),
        window_end: row.window_end.and_utc(),
        duration_minutes: row.duration_minutes.into(),
    }
}

/// The member's blocks, their history with helpers, and who declined this job or let an offer
/// of it lapse.
pub fn context(conn: &mut DbConnection, row: &RequestRow) -> diesel::QueryResult<MemberContext> {
    let blocked = blocked(conn, &row.member_id)?;
    // Who declined or let an offer lapse, and whose visit for it stopped (withdrew, did not
    // come, never confirmed): none is offered it again.
    let declined: HashSet<String> =
        db::offers::helpers_offered(conn, &row.id, OfferStatus::TURNED_DOWN)?
            .into_iter()
            .chain(db::visits::ended_helpers(conn, &row.id)?)
            .collect();
    let history = db::matching::member_history(conn, &row.member_id)?
        .into_iter()
        .map(|(h, (jobs, sum, n))| {
            let average_rating = (n > 0).then(|| sum as f64 / n as f64);
            (
                h,
                PastHelp {
                    jobs: jobs as u32,
                    average_rating,
                },
            )
        })
        .collect();
    Ok(MemberContext {
        blocked,
        declined,
        history,
    })
}

/// The helpers this member does not want.
pub fn blocked(conn: &mut DbConnection, member_id: &str) -> diesel::QueryResult<HashSet<String>> {
    Ok(db::matching::blocked_by(conn, member_id)?
        .into_iter()
        .collect())
}

/// Turn helper rows into facts, with their busy times, recent hours and ratings (three queries
/// for the whole set).
pub fn helpers(
    conn: &mut DbConnection,
    rows: Vec<(String, HelperRow)>,
    busy_from: NaiveDateTime,
    busy_to: NaiveDateTime,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<HelperFacts>> {
    let ids: Vec<String> = rows.iter().map(|(_, h)| h.user_id.clone()).collect();
    let mut busy: HashMap<String, Vec<_>> = HashMap::new();
    for (h, start, minutes) in db::matching::busy(conn, &ids, busy_from, busy_to)? {
        let s = start.and_utc();
        busy.entry(h)
            .or_default()
            .push((s, s + Duration::minutes(minutes.into())));
    }
    let recent = db::matching::recent_minutes(conn, &ids, now - Duration::days(28))?;
    let ratings = db::matching::ratings(conn, &ids)?;
    rows.into_iter()
        .map(|(name, h)| {
            let availability = h.availability()?;
            Ok(HelperFacts {
                name,
                home: Location {
                    lat: h.home_lat,
                    lon: h.home_lon,
                },
                max_distance_km: h.max_distance_km,
                skills: SkillSet::of(&Category::decode_set(&h.skills)),
                approved: h.vetting_status == VettingStatus::Approved,
                vetting_expires_on: h.vetting_expires_on,
                schedule: availability.schedule(),
                busy: busy.remove(&h.user_id).unwrap_or_default(),
                recent_hours: recent.get(&h.user_id).copied().unwrap_or(0) as f64 / 60.0,
                rating: ratings
                    .get(&h.user_id)
                    .filter(|(_, n)| *n > 0)
                    .map(|(s, n)| *s as f64 / *n as f64),
                id: h.user_id,
            })
        })
        .collect()
}

/// The helpers who could reach this job, as facts.
pub fn candidates(
    conn: &mut DbConnection,
    row: &RequestRow,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<HelperFacts>> {
    let rows = db::matching::helpers_reaching(conn, row.location(), row.category)?;
    let (from, to) = db::matching::busy_range(row.window_start, row.window_end);
    helpers(conn, rows, from, to, now)
}

/// These helpers (who can reach this job) as facts.
pub fn some_helpers(
    conn: &mut DbConnection,
    row: &RequestRow,
    ids: &[String],
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<HelperFacts>> {
    let rows = db::matching::helpers_by_id(conn, ids)?;
    let (from, to) = db::matching::busy_range(row.window_start, row.window_end);
    helpers(conn, rows, from, to, now)
}

/// The helpers these reach-index keys name (who can reach this job) as facts.
pub fn helpers_by_key(
    conn: &mut DbConnection,
    row: &RequestRow,
    keys: &[db::matching::HelperKey],
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<HelperFacts>> {
    let rows = db::matching::helpers_by_key(conn, keys)?;
    let (from, to) = db::matching::busy_range(row.window_start, row.window_end);
    helpers(conn, rows, from, to, now)
}

/// One named helper as facts (for a coordinator's assign).
pub fn one_helper(
    conn: &mut DbConnection,
    row: &RequestRow,
    helper_id: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<HelperFacts>> {
    let Some(h) = db::matching::helper(conn, helper_id)? else {
        return Ok(None);
    };
    let (from, to) = db::matching::busy_range(row.window_start, row.window_end);
    Ok(helpers(conn, vec![h], from, to, now)?.pop())
}
