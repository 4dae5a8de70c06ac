//! The coordinators' weekly report: figures for an ISO week in the configured time zone, the week
//! before for the trend, as JSON, CSV, or an email with a bar chart drawn in HTML tables.

pub mod email;
pub mod figures;
pub mod week;

use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub use figures::Figures;

use crate::domain::{Category, ConcernStatus};
pub use week::IsoWeek;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WeeklyReport {
    #[schema(example = "2026-W47")]
    pub week: String,
    #[schema(example = "Europe/London")]
    pub timezone: String,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<Utc>,
    pub figures: Figures,
    /// The same figures for the week before.
    pub previous: Figures,
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

/// The single-valued figures, as `(section, figure, value)`.
fn scalars(f: &Figures) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("requests", "match_rate", opt(f.requests.match_rate)),
        (
            "requests",
            "median_minutes_to_assignment",
            opt(f.requests.median_minutes_to_assignment),
        ),
        (
            "requests",
            "p90_minutes_to_assignment",
            opt(f.requests.p90_minutes_to_assignment),
        ),
        (
            "requests",
            "median_distance_km",
            opt(f.requests.median_distance_km),
        ),
        (
            "helpers",
            "hours_delivered",
            f.helpers.hours_delivered.to_string(),
        ),
        ("helpers", "active", f.helpers.active.to_string()),
        ("helpers", "idle", f.helpers.idle.to_string()),
        (
            "helpers",
            "new_applications",
            f.helpers.new_applications.to_string(),
        ),
        ("helpers", "approvals", f.helpers.approvals.to_string()),
        (
            "helpers",
            "vetting_expiring_within_30_days",
            f.helpers.vetting_expiring_within_30_days.to_string(),
        ),
        (
            "relationships",
            "continuity_rate",
            opt(f.relationships.continuity_rate),
        ),
        (
            "relationships",
            "average_rating",
            opt(f.relationships.average_rating),
        ),
        (
            "relationships",
            "ratings",
            f.relationships.ratings.to_string(),
        ),
        ("members", "new", f.members.new.to_string()),
        ("members", "active", f.members.active.to_string()),
        (
            "visits",
            "asked_to_confirm",
            f.visits.asked_to_confirm.to_string(),
        ),
        ("visits", "confirmed", f.visits.confirmed.to_string()),
        (
            "visits",
            "confirmation_rate",
            opt(f.visits.confirmation_rate),
        ),
        ("visits", "no_shows", f.visits.no_shows.to_string()),
        ("visits", "withdrawals", f.visits.withdrawals.to_string()),
        (
            "visits",
            "late_withdrawals",
            f.visits.late_withdrawals.to_string(),
        ),
        (
            "visits",
            "unconfirmed_passed_on",
            f.visits.unconfirmed_passed_on.to_string(),
        ),
        (
            "safeguarding",
            "urgent_raised",
            f.safeguarding.urgent_raised.to_string(),
        ),
        (
            "membership",
            "tokens_sold",
            f.membership.tokens_sold.to_string(),
        ),
        (
            "membership",
            "amount_pence",
            f.membership.amount_pence.to_string(),
        ),
        (
            "membership",
            "minutes_used",
            f.membership.minutes_used.to_string(),
        ),
        (
            "membership",
            "members_below_one_token",
            f.membership.members_below_one_token.to_string(),
        ),
        (
            "membership",
            "memberships_lapsing",
            f.membership.memberships_lapsing.to_string(),
        ),
        ("events", "held", f.events.held.to_string()),
        ("events", "places_taken", f.events.places_taken.to_string()),
        ("events", "attended", f.events.attended.to_string()),
    ]
}

/// One line per figure: `section,figure,category,this_week,previous_week`.
pub fn csv(r: &WeeklyReport) -> String {
    let mut out = String::from("section,figure,category,this_week,previous_week\n");
    let (f, p) = (&r.figures, &r.previous);
    let mut line = |section: &str, figure: &str, category: &str, a: &str, b: &str| {
        let _ = writeln!(out, "{section},{figure},{category},{a},{b}");
    };
    let cats: std::collections::BTreeSet<&Category> = f
        .requests
        .by_category
        .keys()
        .chain(p.requests.by_category.keys())
        .collect();
    let rows = cats
        .into_iter()
        .map(|c| {
            let get = |fig: &Figures| fig.requests.by_category.get(c).copied().unwrap_or_default();
            (c.as_str(), get(f), get(p))
        })
        .chain([("all", f.requests.totals, p.requests.totals)]);
    for (category, a, b) in rows {
        for ((name, x), (_, y)) in a.named().into_iter().zip(b.named()) {
            line("requests", name, category, &x.to_string(), &y.to_string());
        }
    }
    for ((section, figure, a), (_, _, b)) in scalars(f).into_iter().zip(scalars(p)) {
        line(section, figure, "all", &a, &b);
    }
    for (c, n) in &f.unmet.by_category {
        let before = p.unmet.by_category.get(c).copied().unwrap_or(0);
        line(
            "unmet",
            "by_category",
            c.as_str(),
            &n.to_string(),
            &before.to_string(),
        );
    }
    for a in &f.unmet.by_area {
        line(
            "unmet",
            "by_area",
            &crate::csv::text_cell(&a.area),
            &a.count.to_string(),
            "",
        );
    }
    fn counts<K: Ord>(m: &std::collections::BTreeMap<K, i64>, k: &K) -> String {
        m.get(k).copied().unwrap_or(0).to_string()
    }
    let (fs, ps) = (&f.safeguarding, &p.safeguarding);
    for c in fs
        .raised_by_category
        .keys()
        .chain(ps.raised_by_category.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (a, b) = (
            counts(&fs.raised_by_category, c),
            counts(&ps.raised_by_category, c),
        );
        line("safeguarding", "raised", c.as_str(), &a, &b);
    }
    for status in ConcernStatus::ALL {
        line(
            "safeguarding",
            "status_at_week_end",
            status.as_str(),
            &counts(&fs.by_status, status),
            &counts(&ps.by_status, status),
        );
    }
    for h in &f.visits.repeated_no_shows {
        let name = crate::csv::text_cell(&h.name);
        line(
            "visits",
            "no_shows_in_12_weeks",
            &name,
            &h.no_shows.to_string(),
            "",
        );
    }
    out
}
