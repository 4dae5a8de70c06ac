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
    Ok(contexts(conn, &[row])?.remove(&row.id).unwrap_or_default())
}

/// [`context`] for each of these jobs, by job id, in the same five statements however many.
pub fn contexts(
    conn: &mut DbConnection,
    rows: &[&RequestRow],
) -> diesel::QueryResult<HashMap<String, MemberContext>> {
    let jobs: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut members: Vec<String> = rows.iter().map(|r| r.member_id.clone()).collect();
    members.sort();
    members.dedup();
    let mut blocked: HashMap<String, HashSet<String>> = HashMap::new();
    for (m, h) in db::matching::blocked_by_each(conn, &members)? {
        blocked.entry(m).or_default().insert(h);
    }
    // Who declined or let an offer lapse, and whose visit for it stopped (withdrew, did not
    // come, never confirmed): none is offered it again.
    let mut declined: HashMap<String, HashSet<String>> = HashMap::new();
    for (job, h) in db::offers::helpers_offered_each(conn, &jobs, OfferStatus::TURNED_DOWN)?
        .into_iter()
        .chain(db::visits::ended_helpers_each(conn, &jobs)?)
    {
        declined.entry(job).or_default().insert(h);
    }
    let histories = db::matching::member_histories(conn, &members)?;
    Ok(rows
        .iter()
        .map(|row| {
            let history = histories
                .get(&row.member_id)
                .into_iter()
                .flatten()
                .map(|(h, (jobs, sum, n))| {
                    let average_rating = (*n > 0).then(|| *sum as f64 / *n as f64);
                    (
                        h.clone(),
                        PastHelp {
                            jobs: *jobs as u32,
                            average_rating,
                        },
                    )
                })
                .collect();
            let ctx = MemberContext {
                blocked: blocked.get(&row.member_id).cloned().unwrap_or_default(),
                declined: declined.remove(&row.id).unwrap_or_default(),
                history,
            };
            (row.id.clone(), ctx)
        })
        .collect())
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
