//! The ranking score: distance first, then continuity, fairness and rating. Higher is better.
//!
//! `score = 100 - distance_per_km × km + continuity + fairness + rating`, where
//! - continuity = `continuity` if the helper has helped this member before and was rated well
//!   (average ≥ 4), half of it if they helped but were not rated, nothing otherwise;
//! - fairness = `fairness × (1 - recent_hours / fairness_reference_hours)`, at least 0;
//! - rating = `rating × (average - 3) / 2`, between `-rating` and `+rating`; 0 when unrated.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::eligibility::Rule;
use super::facts::{HelperFacts, MemberContext};

/// The weights, from settings (`[matching]`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Weights {
    pub distance_per_km: f64,
    pub continuity: f64,
    pub fairness: f64,
    pub fairness_reference_hours: f64,
    pub rating: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            distance_per_km: 10.0,
            continuity: 15.0,
            fairness: 5.0,
            fairness_reference_hours: 20.0,
            rating: 2.0,
        }
    }
}

pub const BASE_SCORE: f64 = 100.0;

/// Why a helper scored what they did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Reasons {
    /// Great-circle distance from the helper's home to the job, km.
    pub distance_km: f64,
    /// `-distance_per_km × distance_km`.
    pub distance_points: f64,
    /// Bonus for having helped this member before and been rated well.
    pub continuity_bonus: f64,
    /// Bonus for fewer hours in the last four weeks.
    pub fairness_bonus: f64,
    /// Bonus (or malus) for the helper's average rating.
    pub rating_bonus: f64,
    /// Completed jobs for this member before.
    pub previous_jobs_with_member: u32,
    /// Hours of completed jobs in the last four weeks.
    pub recent_hours: f64,
    /// The hard rules this helper passed (all of them).
    pub rules_passed: Vec<Rule>,
}

impl Weights {
    /// The most any helper can gain from bonuses other than continuity.
    pub fn max_non_continuity_bonus(&self) -> f64 {
        self.fairness.max(0.0) + self.rating.max(0.0)
    }

    pub fn score(&self, h: &HelperFacts, distance_km: f64, ctx: &MemberContext) -> (f64, Reasons) {
        let past = ctx.history.get(&h.id);
        let continuity_bonus = match past {
            Some(p) if p.jobs > 0 => match p.average_rating {
                Some(r) if r >= 4.0 => self.continuity,
                Some(_) => 0.0,
                None => self.continuity / 2.0,
            },
            _ => 0.0,
        };
        let fairness_bonus = if self.fairness_reference_hours > 0.0 {
            self.fairness * (1.0 - h.recent_hours / self.fairness_reference_hours).max(0.0)
        } else {
            0.0
        };
        let rating_bonus = h
            .rating
            .map(|r| self.rating * ((r - 3.0) / 2.0).clamp(-1.0, 1.0))
            .unwrap_or(0.0);
        let distance_points = -self.distance_per_km * distance_km;
        let score = BASE_SCORE + distance_points + continuity_bonus + fairness_bonus + rating_bonus;
        let reasons = Reasons {
            distance_km: round(distance_km, 3),
            distance_points: round(distance_points, 3),
            continuity_bonus: round(continuity_bonus, 3),
            fairness_bonus: round(fairness_bonus, 3),
            rating_bonus: round(rating_bonus, 3),
            previous_jobs_with_member: past.map(|p| p.jobs).unwrap_or(0),
            recent_hours: round(h.recent_hours, 2),
            rules_passed: Rule::ALL.to_vec(),
        };
        (score, reasons)
    }
}

pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}
