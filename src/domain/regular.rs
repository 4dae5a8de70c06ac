//! Checks before a coordinator makes someone a standing request's regular helper: the hard
//! ones no one may override (an account that is open, vetting approved and in date) and the
//! ones a coordinator may override with a reason (the skill, the reach to the member, and
//! weekly times that hold the visit).

use chrono::{Duration, NaiveDate};

use super::availability::Schedule;
use super::rhythm::Rhythm;
use super::{Category, Location, VettingStatus};

/// What is known of the helper for the checks.
pub struct Candidate<'a> {
    pub account_open: bool,
    pub vetting: VettingStatus,
    pub vetting_expires_on: Option<NaiveDate>,
    pub skills: &'a [Category],
    pub home: Location,
    pub max_distance_km: f64,
    /// Their weekly times (time off aside: a holiday does not make a regular helper unfit).
    pub weekly: &'a Schedule,
}

/// The standing request being given a helper.
pub struct Standing<'a> {
    pub category: Category,
    pub location: Location,
    pub rhythm: &'a Rhythm,
    pub duration_minutes: i64,
}

/// A check a coordinator may override, by the name a 422 gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// `skill`, `reach` or `availability`.
    pub check: &'static str,
    /// One plain sentence.
    pub message: String,
}

/// Why this helper may not be made a regular helper at all, or none.
pub fn hard_refusal(c: &Candidate<'_>, today: NaiveDate) -> Option<&'static str> {
    if !c.account_open {
        return Some("This helper's account is closed.");
    }
    match c.vetting {
        VettingStatus::Approved => {}
        VettingStatus::Suspended => return Some("This helper is suspended."),
        _ => return Some("This helper is not approved."),
    }
    if c.vetting_expires_on.is_some_and(|d| d < today) {
        return Some("This helper's vetting has lapsed; renew it first.");
    }
    None
}

/// The checks this helper fails for this standing request, in a fixed order.
pub fn soft_failures(c: &Candidate<'_>, s: &Standing<'_>, today: NaiveDate) -> Vec<Failed> {
    let mut failed = Vec::new();
    if !c.skills.contains(&s.category) {
        failed.push(Failed {
            check: "skill",
            message: format!(
                "This helper does not offer help with {}.",
                s.category.in_words()
            ),
        });
    }
    let km = c.home.distance_km(s.location);
    if km > c.max_distance_km {
        failed.push(Failed {
            check: "reach",
            message: format!(
                "The member lives about {km:.1} km away; this helper goes up to {:.1} km.",
                c.max_distance_km
            ),
        });
    }
    if !holds_the_visit(c.weekly, s, today) {
        failed.push(Failed {
            check: "availability",
            message: "This helper's weekly times do not hold the visit.".into(),
        });
    }
    failed
}

/// Whether the weekly times hold the visit's length inside its window, on the next day it falls.
fn holds_the_visit(weekly: &Schedule, s: &Standing<'_>, today: NaiveDate) -> bool {
    let step = 7 * i64::from(s.rhythm.every_weeks.max(1));
    let from = today.max(s.rhythm.starts_on);
    let Some(day) = s
        .rhythm
        .days(from, from + Duration::days(step))
        .first()
        .copied()
    else {
        // It has no day to come: nothing to hold.
        return true;
    };
    let (start, end) = s.rhythm.window(day);
    let length = Duration::minutes(s.duration_minutes);
    weekly
        .free_intervals(start, end)
        .iter()
        .any(|(a, b)| *b - *a >= length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::availability::{Availability, WeeklySlot};
    use chrono::Weekday;

    fn schedule(day: &str, start: &str, end: &str) -> Schedule {
        let a = Availability {
            timezone: "Europe/London".into(),
            weekly: vec![WeeklySlot {
                day: day.into(),
                start: start.into(),
                end: end.into(),
            }],
            time_off: vec![],
            help_now_until: None,
        };
        a.schedule()
    }

    fn tuesdays() -> Rhythm {
        Rhythm {
            every_weeks: 1,
            weekday: Weekday::Tue,
            start_minute: 10 * 60,
            end_minute: 12 * 60,
            tz: chrono_tz::Europe::London,
            starts_on: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            ends_on: None,
        }
    }

    const HOME: Location = Location {
        lat: 51.47,
        lon: -0.07,
    };

    #[test]
    fn each_check_names_itself() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let rhythm = tuesdays();
        let s = Standing {
            category: Category::Gardening,
            location: HOME,
            rhythm: &rhythm,
            duration_minutes: 60,
        };
        let free = schedule("tue", "09:00", "13:00");
        let fit = Candidate {
            account_open: true,
            vetting: VettingStatus::Approved,
            vetting_expires_on: None,
            skills: &[Category::Gardening],
            home: HOME,
            max_distance_km: 3.0,
            weekly: &free,
        };
        assert!(hard_refusal(&fit, today).is_none());
        assert!(soft_failures(&fit, &s, today).is_empty());
        let mondays = schedule("mon", "09:00", "13:00");
        let far = Location { lat: 51.57, ..HOME };
        let lifts_only = Candidate {
            skills: &[Category::Transport],
            home: far,
            weekly: &mondays,
            ..fit
        };
        let checks: Vec<&str> = soft_failures(&lifts_only, &s, today)
            .iter()
            .map(|f| f.check)
            .collect();
        assert_eq!(checks, ["skill", "reach", "availability"]);
        // Half an hour is not an hour.
        let short = schedule("tue", "11:30", "12:00");
        let rushed = Candidate {
            weekly: &short,
            ..lifts_only
        };
        assert!(soft_failures(&rushed, &s, today)
            .iter()
            .any(|f| f.check == "availability"));
    }

    #[test]
    fn hard_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let free = schedule("tue", "09:00", "13:00");
        let base = Candidate {
            account_open: true,
            vetting: VettingStatus::Approved,
            vetting_expires_on: Some(today),
            skills: &[],
            home: HOME,
            max_distance_km: 3.0,
            weekly: &free,
        };
        assert!(hard_refusal(&base, today).is_none());
        let lapsed = Candidate {
            vetting_expires_on: Some(today - Duration::days(1)),
            ..base
        };
        assert!(hard_refusal(&lapsed, today).unwrap().contains("lapsed"));
        let suspended = Candidate {
            vetting: VettingStatus::Suspended,
            ..lapsed
        };
        assert!(hard_refusal(&suspended, today)
            .unwrap()
            .contains("suspended"));
        let closed = Candidate {
            account_open: false,
            ..suspended
        };
        assert!(hard_refusal(&closed, today).unwrap().contains("closed"));
    }
}
