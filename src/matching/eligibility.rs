//! The hard rules. A helper is eligible for a job only if every rule passes; the first that fails
//! is the reason they are not.

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::facts::{HelperFacts, JobFacts, MemberContext};
use crate::domain::availability::subtract;

/// The hard rules, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Approved by a coordinator.
    Approved,
    /// Vetting still valid on the job's day.
    VettingValid,
    /// Offers this kind of help.
    HasSkill,
    /// The job lies within the helper's max distance.
    WithinDistance,
    /// Has not declined this job.
    NotDeclined,
    /// Not blocked by the member.
    NotBlocked,
    /// Under the weekly cap of jobs.
    UnderWeeklyCap,
    /// Free for the job's duration inside its window.
    Available,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::Approved,
        Rule::VettingValid,
        Rule::HasSkill,
        Rule::WithinDistance,
        Rule::NotDeclined,
        Rule::NotBlocked,
        Rule::UnderWeeklyCap,
        Rule::Available,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Rule::Approved => "the helper is not approved",
            Rule::VettingValid => "the helper's vetting has expired by the job's day",
            Rule::HasSkill => "the helper does not offer this kind of help",
            Rule::WithinDistance => "the job is beyond the helper's max distance",
            Rule::NotDeclined => "the helper declined this job",
            Rule::NotBlocked => "the member has blocked this helper",
            Rule::UnderWeeklyCap => "the helper has reached the weekly cap of jobs",
            Rule::Available => "the helper is not free for the job's duration inside its window",
        }
    }
}

/// Limits that come from settings.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Minutes kept free before and after each job for travel.
    pub travel_buffer_minutes: i64,
    /// Jobs a helper may have in one ISO week.
    pub weekly_cap_jobs: usize,
}

/// When an eligible helper can start, and how far they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub distance_km: f64,
    pub start: DateTime<Utc>,
}

/// Check every hard rule; the first failure, or where the helper fits.
pub fn check(
    h: &HelperFacts,
    job: &JobFacts,
    ctx: &MemberContext,
    limits: &Limits,
) -> Result<Fit, Rule> {
    if !h.approved {
        return Err(Rule::Approved);
    }
    let job_day = job.window_start.date_naive();
    if h.vetting_expires_on.is_none_or(|d| d < job_day) {
        return Err(Rule::VettingValid);
    }
    if !h.skills.has(job.category) {
        return Err(Rule::HasSkill);
    }
    let distance_km = h.home.distance_km(job.location);
    if distance_km > h.max_distance_km {
        return Err(Rule::WithinDistance);
    }
    if ctx.declined.contains(&h.id) {
        return Err(Rule::NotDeclined);
    }
    if ctx.blocked.contains(&h.id) {
        return Err(Rule::NotBlocked);
    }
    let week = job.window_start.iso_week();
    if h.busy.iter().filter(|(s, _)| s.iso_week() == week).count() >= limits.weekly_cap_jobs {
        return Err(Rule::UnderWeeklyCap);
    }
    let start = earliest_start(h, job, limits).ok_or(Rule::Available)?;
    Ok(Fit { distance_km, start })
}

/// The earliest time inside the window when the helper is free for the whole job, keeping the
/// travel buffer clear around their other jobs.
pub fn earliest_start(h: &HelperFacts, job: &JobFacts, limits: &Limits) -> Option<DateTime<Utc>> {
    let duration = Duration::minutes(job.duration_minutes);
    let free = h.schedule.free_intervals(job.window_start, job.window_end);
    if free.is_empty() {
        return None;
    }
    let buffer = Duration::minutes(limits.travel_buffer_minutes);
    let busy: Vec<_> = h
        .busy
        .iter()
        .filter(|(s, e)| *s < job.window_end + buffer && *e > job.window_start - buffer)
        .map(|(s, e)| (*s - buffer, *e + buffer))
        .collect();
    subtract(free, &busy)
        .into_iter()
        .find(|(a, b)| *b - *a >= duration)
        .map(|(a, _)| a)
}
