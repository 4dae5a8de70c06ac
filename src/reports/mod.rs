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

/// A rate (0 to 1) as a whole percentage, or empty when there is none.
fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}", v * 100.0)).unwrap_or_default()
}

/// Pence as pounds, "1095.00".
fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", pence.abs() / 100, pence.abs() % 100)
}

/// The single-valued figures, as `(section, figure, value)`, each in words.
fn scalars(f: &Figures) -> Vec<(&'static str, &'static str, String)> {
    let (r, h, c, v) = (&f.requests, &f.helpers, &f.relationships, &f.visits);
    let m = &f.membership;
    vec![
        ("Requests", "Found a helper (%)", percent(r.match_rate)),
        (
            "Requests",
            "Median minutes to find a helper",
            opt(r.median_minutes_to_assignment),
        ),
        (
            "Requests",
            "Minutes to find a helper, 9 in 10 within",
            opt(r.p90_minutes_to_assignment),
        ),
        (
            "Requests",
            "Median distance travelled (km)",
            opt(r.median_distance_km),
        ),
        (
            "Helpers",
            "Hours of help given",
            h.hours_delivered.to_string(),
        ),
        ("Helpers", "Helpers who helped", h.active.to_string()),
        (
            "Helpers",
            "Approved helpers who did not",
            h.idle.to_string(),
        ),
        (
            "Helpers",
            "New applications",
            h.new_applications.to_string(),
        ),
        ("Helpers", "Approved", h.approvals.to_string()),
        (
            "Helpers",
            "Vetting running out within 30 days",
            h.vetting_expiring_within_30_days.to_string(),
        ),
        (
            "Continuity",
            "Visits by a helper the member had before (%)",
            percent(c.continuity_rate),
        ),
        (
            "Continuity",
            "Average rating (1 to 5)",
            opt(c.average_rating),
        ),
        ("Continuity", "Ratings given", c.ratings.to_string()),
        ("Members", "New members", f.members.new.to_string()),
        (
            "Members",
            "Members who asked for help",
            f.members.active.to_string(),
        ),
        (
            "Visits",
            "Helpers asked to confirm",
            v.asked_to_confirm.to_string(),
        ),
        ("Visits", "Confirmed", v.confirmed.to_string()),
        ("Visits", "Confirmed (%)", percent(v.confirmation_rate)),
        ("Visits", "Helpers who did not come", v.no_shows.to_string()),
        ("Visits", "Helpers who withdrew", v.withdrawals.to_string()),
        (
            "Visits",
            "Withdrew less than a day before",
            v.late_withdrawals.to_string(),
        ),
        (
            "Visits",
            "Not confirmed, passed to others",
            v.unconfirmed_passed_on.to_string(),
        ),
        (
            "Safeguarding",
            "Urgent concerns raised",
            f.safeguarding.urgent_raised.to_string(),
        ),
        ("Money and tokens", "Tokens sold", m.tokens_sold.to_string()),
        (
            "Money and tokens",
            "Money taken (£)",
            pounds(m.amount_pence),
        ),
        (
            "Money and tokens",
            "Hours of tokens used",
            hours(m.minutes_used),
        ),
        (
            "Money and tokens",
            "Members with less than one token",
            m.members_below_one_token.to_string(),
        ),
        (
            "Money and tokens",
            "Memberships ending in the next four weeks",
            m.memberships_lapsing.to_string(),
        ),
        ("Events", "Events held", f.events.held.to_string()),
        ("Events", "Places taken", f.events.places_taken.to_string()),
        ("Events", "Members who came", f.events.attended.to_string()),
    ]
}

/// Minutes as hours, "2.5".
fn hours(minutes: i64) -> String {
    let h = minutes as f64 / 60.0;
    if minutes % 60 == 0 {
        format!("{}", minutes / 60)
    } else {
        format!("{h:.2}")
    }
}

/// A request count's name in words.
fn request_words(name: &str) -> &'static str {
    match name {
        "created" => "Asked for",
        "assigned" => "Found a helper",
        "completed" => "Done",
        "cancelled" => "Cancelled",
        "expired" => "Passed with no helper",
        "open" => "Still waiting at the week's end",
        _ => "Other",
    }
}

/// One line per figure, in words a coordinator reads in a spreadsheet: `Section, Figure,
/// Detail, This week, The week before, Coordinates` (money in pounds, areas by their postcode
/// district; the coordinates only in their own column, for a map).
pub fn csv(r: &WeeklyReport) -> String {
    use crate::csv::text_cell;
    let mut out = String::from("Section,Figure,Detail,This week,The week before,Coordinates\n");
    let (f, p) = (&r.figures, &r.previous);
    let mut line = |section: &str, figure: &str, detail: &str, a: &str, b: &str, at: &str| {
        let _ = writeln!(
            out,
            "{},{},{},{a},{b},{}",
            text_cell(section),
            text_cell(figure),
            text_cell(detail),
            if at.is_empty() {
                String::new()
            } else {
                text_cell(at)
            },
        );
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
            (c.label(), get(f), get(p))
        })
        .chain([("All kinds of help", f.requests.totals, p.requests.totals)]);
    for (category, a, b) in rows {
        for ((name, x), (_, y)) in a.named().into_iter().zip(b.named()) {
            line(
                "Requests",
                request_words(name),
                category,
                &x.to_string(),
                &y.to_string(),
                "",
            );
        }
    }
    for ((section, figure, a), (_, _, b)) in scalars(f).into_iter().zip(scalars(p)) {
        line(section, figure, "", &a, &b, "");
    }
    for (c, n) in &f.unmet.by_category {
        let before = p.unmet.by_category.get(c).copied().unwrap_or(0);
        line(
            "Unmet demand",
            "Requests with no helper",
            c.label(),
            &n.to_string(),
            &before.to_string(),
            "",
        );
    }
    for a in &f.unmet.by_area {
        let place = a
            .area_name
            .as_deref()
            .unwrap_or("A place with no postcode nearby");
        line(
            "Unmet demand",
            "Requests with no helper, by area",
            place,
            &a.count.to_string(),
            "",
            &a.area,
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
        line("Safeguarding", "Concerns raised", c.label(), &a, &b, "");
    }
    for status in ConcernStatus::ALL {
        line(
            "Safeguarding",
            "Concerns at the week's end",
            status.label(),
            &counts(&fs.by_status, status),
            &counts(&ps.by_status, status),
            "",
        );
    }
    for h in &f.visits.repeated_no_shows {
        line(
            "Visits",
            "Did not come, in the last 12 weeks",
            &h.name,
            &h.no_shows.to_string(),
            "",
            "",
        );
    }
    out
}
