//! The matcher's rules, one test each.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::eligibility::{check, Limits};
use super::facts::{HelperFacts, JobFacts, MemberContext, PastHelp, SkillSet};
use super::index::HelperIndex;
use super::rank::rank;
use super::score::Weights;
use super::Rule;
use crate::domain::availability::{Availability, WeeklySlot};
use crate::domain::{Category, Location};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

const LIMITS: Limits = Limits {
    travel_buffer_minutes: 30,
    weekly_cap_jobs: 3,
};

/// Peckham Rye, where the member lives.
const HOME: Location = Location {
    lat: 51.4700,
    lon: -0.0700,
};

fn every_day(start: &str, end: &str) -> Availability {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let weekly: Vec<WeeklySlot> = days
        .iter()
        .map(|d| WeeklySlot {
            day: d.to_string(),
            start: start.into(),
            end: end.into(),
        })
        .collect();
    Availability::parse("Europe/London", &weekly, &[]).unwrap()
}

/// An approved gardener 1 km north of the member, free 09:00-17:00 every day.
fn helper(id: &str) -> HelperFacts {
    HelperFacts {
        id: id.into(),
        name: format!("Helper {id}"),
        home: Location {
            lat: HOME.lat + 0.009,
            lon: HOME.lon,
        },
        max_distance_km: 3.0,
        skills: SkillSet::of(&[Category::Gardening, Category::Diy]),
        approved: true,
        vetting_expires_on: NaiveDate::from_ymd_opt(2027, 12, 31),
        schedule: every_day("09:00", "17:00").schedule(),
        busy: Vec::new(),
        recent_hours: 0.0,
        rating: None,
    }
}

/// Hedge trimming, Wednesday 2 December 2026 10:00-12:00 UTC (GMT), one hour.
fn job() -> JobFacts {
    JobFacts {
        id: "job".into(),
        member_id: "member".into(),
        category: Category::Gardening,
        location: HOME,
        window_start: utc("2026-12-02T10:00:00Z"),
        window_end: utc("2026-12-02T12:00:00Z"),
        duration_minutes: 60,
    }
}

fn fails(h: &HelperFacts, j: &JobFacts, ctx: &MemberContext) -> Option<Rule> {
    check(h, j, ctx, &LIMITS).err()
}

#[test]
fn an_approved_nearby_free_helper_with_the_skill_is_eligible() {
    let fit = check(&helper("a"), &job(), &MemberContext::default(), &LIMITS).unwrap();
    assert!((fit.distance_km - 1.0).abs() < 0.01, "{}", fit.distance_km);
    assert_eq!(fit.start, utc("2026-12-02T10:00:00Z"));
}

#[test]
fn a_helper_not_approved_is_not_eligible() {
    let h = HelperFacts {
        approved: false,
        ..helper("a")
    };
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::Approved)
    );
}

#[test]
fn vetting_must_still_be_valid_on_the_jobs_day() {
    let h = HelperFacts {
        vetting_expires_on: NaiveDate::from_ymd_opt(2026, 12, 1),
        ..helper("a")
    };
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::VettingValid)
    );
    let h = HelperFacts {
        vetting_expires_on: NaiveDate::from_ymd_opt(2026, 12, 2),
        ..helper("a")
    };
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        None,
        "valid through its last day"
    );
    let h = HelperFacts {
        vetting_expires_on: None,
        ..helper("a")
    };
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::VettingValid)
    );
}

#[test]
fn the_helper_must_have_the_skill() {
    let j = JobFacts {
        category: Category::ItHelp,
        ..job()
    };
    assert_eq!(
        fails(&helper("a"), &j, &MemberContext::default()),
        Some(Rule::HasSkill)
    );
}

#[test]
fn the_job_must_lie_within_the_helpers_max_distance() {
    let h = HelperFacts {
        max_distance_km: 0.9,
        ..helper("a")
    };
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::WithinDistance)
    );
}

#[test]
fn a_helper_who_declined_is_not_asked_again() {
    let ctx = MemberContext {
        declined: ["a".to_string()].into(),
        ..Default::default()
    };
    assert_eq!(fails(&helper("a"), &job(), &ctx), Some(Rule::NotDeclined));
}

#[test]
fn a_helper_the_member_blocked_is_never_offered() {
    let ctx = MemberContext {
        blocked: ["a".to_string()].into(),
        ..Default::default()
    };
    assert_eq!(fails(&helper("a"), &job(), &ctx), Some(Rule::NotBlocked));
}

#[test]
fn the_weekly_cap_counts_jobs_in_the_same_iso_week() {
    let mut h = helper("a");
    // Three jobs on Monday 30 Nov, Tuesday 1 Dec and Thursday 3 Dec: the week of 2 Dec.
    for day in ["2026-11-30", "2026-12-01", "2026-12-03"] {
        let s = utc(&format!("{day}T14:00:00Z"));
        h.busy.push((s, s + Duration::hours(1)));
    }
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::UnderWeeklyCap)
    );
    // A job in the week before does not count.
    h.busy[0] = (utc("2026-11-29T14:00:00Z"), utc("2026-11-29T15:00:00Z"));
    assert_eq!(fails(&h, &job(), &MemberContext::default()), None);
}

#[test]
fn the_helper_must_be_free_inside_the_window() {
    let h = HelperFacts {
        schedule: every_day("14:00", "17:00").schedule(),
        ..helper("a")
    };
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::Available)
    );
    // Time off over the job's day.
    let mut a = every_day("09:00", "17:00");
    a.time_off.push(crate::domain::availability::TimeOff {
        start: utc("2026-12-02T00:00:00Z"),
        end: utc("2026-12-03T00:00:00Z"),
    });
    let h = HelperFacts {
        schedule: a.schedule(),
        ..helper("a")
    };
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::Available)
    );
}

#[test]
fn other_jobs_block_their_time_plus_the_travel_buffer() {
    let mut h = helper("a");
    // A job 09:30-10:45: with 30 minutes' buffer the helper is free from 11:15, too late for a
    // one-hour job that must end by 12:00.
    h.busy
        .push((utc("2026-12-02T09:30:00Z"), utc("2026-12-02T10:45:00Z")));
    assert_eq!(
        fails(&h, &job(), &MemberContext::default()),
        Some(Rule::Available)
    );
    // Ending at 10:15, the helper can start at 10:45.
    h.busy[0].1 = utc("2026-12-02T10:15:00Z");
    let fit = check(&h, &job(), &MemberContext::default(), &LIMITS).unwrap();
    assert_eq!(fit.start, utc("2026-12-02T10:45:00Z"));
}

#[test]
fn availability_follows_the_clocks_on_the_last_sunday_of_march() {
    // Free 09:00-10:00 London time on Sundays. On 29 March 2026 (BST starts) that is 08:00 UTC.
    let weekly = [WeeklySlot {
        day: "sun".into(),
        start: "09:00".into(),
        end: "10:00".into(),
    }];
    let h = HelperFacts {
        schedule: Availability::parse("Europe/London", &weekly, &[])
            .unwrap()
            .schedule(),
        ..helper("a")
    };
    let j = JobFacts {
        window_start: utc("2026-03-29T07:00:00Z"),
        window_end: utc("2026-03-29T10:00:00Z"),
        ..job()
    };
    let h = HelperFacts {
        vetting_expires_on: NaiveDate::from_ymd_opt(2027, 1, 1),
        ..h
    };
    assert_eq!(
        check(&h, &j, &MemberContext::default(), &LIMITS)
            .unwrap()
            .start,
        utc("2026-03-29T08:00:00Z")
    );
    // A week earlier (GMT) the same slot is 09:00 UTC.
    let j = JobFacts {
        window_start: utc("2026-03-22T07:00:00Z"),
        window_end: utc("2026-03-22T10:00:00Z"),
        ..j
    };
    assert_eq!(
        check(&h, &j, &MemberContext::default(), &LIMITS)
            .unwrap()
            .start,
        utc("2026-03-22T09:00:00Z")
    );
}

#[test]
fn availability_follows_the_clocks_on_the_last_sunday_of_october() {
    // Free 00:30-02:30 London time on Sundays. On 25 October 2026 01:00-02:00 happens twice, so
    // the slot lasts three hours: 23:30 UTC on the 24th to 02:30 UTC.
    let weekly = [WeeklySlot {
        day: "sun".into(),
        start: "00:30".into(),
        end: "02:30".into(),
    }];
    let h = HelperFacts {
        schedule: Availability::parse("Europe/London", &weekly, &[])
            .unwrap()
            .schedule(),
        ..helper("a")
    };
    let j = JobFacts {
        window_start: utc("2026-10-24T23:00:00Z"),
        window_end: utc("2026-10-25T03:00:00Z"),
        duration_minutes: 180,
        ..job()
    };
    assert_eq!(
        check(&h, &j, &MemberContext::default(), &LIMITS)
            .unwrap()
            .start,
        utc("2026-10-24T23:30:00Z")
    );
    // The same three-hour job does not fit the two-hour slot a week later.
    let j = JobFacts {
        window_start: utc("2026-10-31T23:00:00Z"),
        window_end: utc("2026-11-01T03:00:00Z"),
        ..j
    };
    assert_eq!(
        fails(&h, &j, &MemberContext::default()),
        Some(Rule::Available)
    );
}

fn at_km(id: &str, km_north: f64) -> HelperFacts {
    HelperFacts {
        home: Location {
            lat: HOME.lat + km_north / 111.2,
            lon: HOME.lon,
        },
        ..helper(id)
    }
}

#[test]
fn nearer_helpers_rank_first() {
    let hs = vec![at_km("far", 2.0), at_km("near", 0.5), at_km("mid", 1.0)];
    let ranked = rank(
        &hs,
        &job(),
        &MemberContext::default(),
        &LIMITS,
        &Weights::default(),
        10,
    );
    let ids: Vec<_> = ranked.iter().map(|c| c.helper_id.as_str()).collect();
    assert_eq!(ids, ["near", "mid", "far"]);
}

#[test]
fn a_well_rated_helper_who_came_before_outranks_a_slightly_nearer_stranger() {
    let hs = vec![at_km("stranger", 0.5), at_km("regular", 1.5)];
    let mut ctx = MemberContext::default();
    ctx.history.insert(
        "regular".into(),
        PastHelp {
            jobs: 3,
            average_rating: Some(4.7),
        },
    );
    let ranked = rank(&hs, &job(), &ctx, &LIMITS, &Weights::default(), 10);
    assert_eq!(ranked[0].helper_id, "regular");
    assert_eq!(ranked[0].reasons.continuity_bonus, 15.0);
    assert_eq!(ranked[0].reasons.previous_jobs_with_member, 3);
    assert_eq!(ranked[1].reasons.continuity_bonus, 0.0);
    // Badly rated before: no bonus, and the stranger wins.
    ctx.history.insert(
        "regular".into(),
        PastHelp {
            jobs: 3,
            average_rating: Some(2.0),
        },
    );
    let ranked = rank(&hs, &job(), &ctx, &LIMITS, &Weights::default(), 10);
    assert_eq!(ranked[0].helper_id, "stranger");
}

#[test]
fn among_equals_the_helper_with_fewer_recent_hours_ranks_first_then_rating() {
    let busy = HelperFacts {
        recent_hours: 20.0,
        ..at_km("busy", 1.0)
    };
    let idle = HelperFacts {
        recent_hours: 0.0,
        ..at_km("idle", 1.0)
    };
    let ranked = rank(
        &[busy.clone(), idle],
        &job(),
        &MemberContext::default(),
        &LIMITS,
        &Weights::default(),
        10,
    );
    assert_eq!(ranked[0].helper_id, "idle");
    assert_eq!(ranked[0].reasons.fairness_bonus, 5.0);
    assert_eq!(ranked[1].reasons.fairness_bonus, 0.0);
    let loved = HelperFacts {
        rating: Some(5.0),
        ..busy.clone()
    };
    let ranked = rank(
        &[
            busy,
            HelperFacts {
                id: "loved".into(),
                ..loved
            },
        ],
        &job(),
        &MemberContext::default(),
        &LIMITS,
        &Weights::default(),
        10,
    );
    assert_eq!(ranked[0].helper_id, "loved");
    assert_eq!(ranked[0].reasons.rating_bonus, 2.0);
}

#[test]
fn every_candidate_carries_its_score_and_reasons() {
    let ranked = rank(
        &[at_km("a", 1.0)],
        &job(),
        &MemberContext::default(),
        &LIMITS,
        &Weights::default(),
        10,
    );
    let c = &ranked[0];
    let r = &c.reasons;
    assert!((r.distance_km - 1.0).abs() < 0.01);
    assert_eq!(r.rules_passed, Rule::ALL.to_vec());
    let sum = 100.0 + r.distance_points + r.continuity_bonus + r.fairness_bonus + r.rating_bonus;
    assert!((c.score - sum).abs() < 0.01, "{} vs {sum}", c.score);
}

#[test]
fn the_index_gives_the_same_ranking_as_checking_everyone() {
    // 2,000 helpers scattered over a few km, with varied skills, reach, hours and ratings.
    let mut seed = 11u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let helpers: Vec<HelperFacts> = (0..2000)
        .map(|i| {
            let skills = if next(2) == 0 {
                vec![Category::Gardening]
            } else {
                vec![Category::Diy]
            };
            HelperFacts {
                id: format!("h{i}"),
                home: Location {
                    lat: HOME.lat + (next(2000) as f64 - 1000.0) / 20000.0,
                    lon: HOME.lon + (next(2000) as f64 - 1000.0) / 12000.0,
                },
                max_distance_km: 0.5 + next(40) as f64 / 10.0,
                skills: SkillSet::of(&skills),
                recent_hours: next(30) as f64,
                rating: if next(3) == 0 {
                    None
                } else {
                    Some(1.0 + next(40) as f64 / 10.0)
                },
                ..helper("x")
            }
        })
        .collect();
    let mut ctx = MemberContext::default();
    ctx.history.insert(
        "h17".into(),
        PastHelp {
            jobs: 1,
            average_rating: Some(5.0),
        },
    );
    ctx.declined.insert("h3".into());
    let index = HelperIndex::new(helpers.clone());
    for (lat, lon) in [(0.0, 0.0), (0.02, -0.03), (-0.04, 0.05)] {
        let j = JobFacts {
            location: Location {
                lat: HOME.lat + lat,
                lon: HOME.lon + lon,
            },
            ..job()
        };
        for limit in [1, 3, 20] {
            let all = rank(&helpers, &j, &ctx, &LIMITS, &Weights::default(), limit);
            let fast = index.rank(&j, &ctx, &LIMITS, &Weights::default(), limit);
            assert_eq!(fast, all, "limit {limit} at {lat},{lon}");
            assert!(!all.is_empty());
        }
    }
}
