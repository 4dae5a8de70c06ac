//! The plain facts the matcher works on.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::availability::{Interval, Schedule};
use crate::domain::{Category, Location};

/// A set of categories as bits, so that the skill test is one AND.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SkillSet(pub u16);

impl SkillSet {
    pub fn of(skills: &[Category]) -> Self {
        SkillSet(skills.iter().fold(0, |acc, c| acc | Self::bit(*c)))
    }

    fn bit(c: Category) -> u16 {
        1 << Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
    }

    pub fn has(self, c: Category) -> bool {
        self.0 & Self::bit(c) != 0
    }
}

/// One helper, as the matcher sees them.
#[derive(Debug, Clone)]
pub struct HelperFacts {
    pub id: String,
    pub name: String,
    pub home: Location,
    pub max_distance_km: f64,
    pub skills: SkillSet,
    pub approved: bool,
    pub vetting_expires_on: Option<NaiveDate>,
    pub schedule: Schedule,
    /// Jobs already assigned to them: `(start, end)` of the time each one takes.
    pub busy: Vec<Interval>,
    /// Hours of completed jobs in the last four weeks (fairness).
    pub recent_hours: f64,
    /// Their average rating, if rated.
    pub rating: Option<f64>,
}

/// The job to place.
#[derive(Debug, Clone)]
pub struct JobFacts {
    pub id: String,
    pub member_id: String,
    pub category: Category,
    pub location: Location,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub duration_minutes: i64,
}

/// A helper's past with this member.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PastHelp {
    pub jobs: u32,
    pub average_rating: Option<f64>,
}

/// What the member's history says about each helper.
#[derive(Debug, Clone, Default)]
pub struct MemberContext {
    /// Helpers this member does not want.
    pub blocked: HashSet<String>,
    /// Helpers who have already declined this job (or let the offer lapse).
    pub declined: HashSet<String>,
    /// Helpers who have helped this member before.
    pub history: HashMap<String, PastHelp>,
}
