//! The weekly report as an email: plain text, and HTML whose bar chart is drawn with table cells
//! (mail clients strip SVG and block remote images; tables render everywhere, offline).

use super::WeeklyReport;
use crate::db::outbox::NewEmail;
use crate::domain::{Category, ConcernStatus, MessageKind};
use crate::notify::messages::esc;

const COLOURS: [(&str, &str); 4] = [
    ("completed", "#2a6f4e"),
    ("assigned", "#6fa8dc"),
    ("open", "#f6b26b"),
    ("expired", "#cc4125"),
];

fn change(now: f64, before: f64) -> String {
    let d = now - before;
    if d.abs() < 1e-9 {
        "same as the week before".into()
    } else if d > 0.0 {
        format!("up {} on the week before", trim(d))
    } else {
        format!("down {} on the week before", trim(-d))
    }
}

fn trim(x: f64) -> String {
    if x.fract().abs() < 1e-9 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

/// The headline lines, shared by both parts.
fn headlines(r: &WeeklyReport) -> Vec<String> {
    let (f, p) = (&r.figures, &r.previous);
    vec![
        format!(
            "Requests: {} ({}).",
            f.requests.totals.created,
            change(
                f.requests.totals.created as f64,
                p.requests.totals.created as f64
            )
        ),
        format!(
            "Completed: {} ({}).",
            f.requests.totals.completed,
            change(
                f.requests.totals.completed as f64,
                p.requests.totals.completed as f64
            )
        ),
        format!(
            "Still without a helper at the end of the week: {}; expired: {}.",
            f.requests.totals.open, f.requests.totals.expired
        ),
        format!(
            "Match rate: {} (the week before: {}).",
            pct(f.requests.match_rate),
            pct(p.requests.match_rate)
        ),
        format!(
            "Time to find a helper: median {} min, 90th percentile {} min.",
            f.requests
                .median_minutes_to_assignment
                .map(trim)
                .unwrap_or_else(|| "n/a".into()),
            f.requests
                .p90_minutes_to_assignment
                .map(trim)
                .unwrap_or_else(|| "n/a".into())
        ),
        format!(
            "Hours delivered: {} ({}).",
            trim(f.helpers.hours_delivered),
            change(f.helpers.hours_delivered, p.helpers.hours_delivered)
        ),
        format!(
            "Helpers active: {}; idle: {}; new applications: {}; approved: {}.",
            f.helpers.active, f.helpers.idle, f.helpers.new_applications, f.helpers.approvals
        ),
        format!(
            "Vetting expiring within 30 days: {}.",
            f.helpers.vetting_expiring_within_30_days
        ),
        format!(
            "Same helper coming back: {}. Average rating: {} from {} ratings.",
            pct(f.relationships.continuity_rate),
            f.relationships
                .average_rating
                .map(|v| format!("{v:.1}"))
                .unwrap_or_else(|| "n/a".into()),
            f.relationships.ratings
        ),
        format!(
            "Members: {} new, {} asked for help.",
            f.members.new, f.members.active
        ),
        format!(
            "Visits: {} helpers asked to confirm, {} confirmed ({}); {} no-shows; {} withdrawals ({} late); {} passed on unconfirmed.",
            f.visits.asked_to_confirm,
            f.visits.confirmed,
            pct(f.visits.confirmation_rate),
            f.visits.no_shows,
            f.visits.withdrawals,
            f.visits.late_withdrawals,
            f.visits.unconfirmed_passed_on
        ),
        if f.visits.repeated_no_shows.is_empty() {
            "No helper has missed two visits in the last twelve weeks.".to_string()
        } else {
            let names: Vec<String> = f
                .visits
                .repeated_no_shows
                .iter()
                .map(|h| format!("{} ({})", h.name, h.no_shows))
                .collect();
            format!("Missed two visits or more in twelve weeks: {}.", names.join(", "))
        },
        format!(
            "Membership: tokens sold {} (£{}.{:02}); minutes of help used {}; members under one token {}; memberships ending in the next four weeks {}.",
            f.membership.tokens_sold,
            f.membership.amount_pence / 100,
            f.membership.amount_pence % 100,
            f.membership.minutes_used,
            f.membership.members_below_one_token,
            f.membership.memberships_lapsing
        ),
        format!(
            "Social events: {} held, {} places taken, {} came.",
            f.events.held, f.events.places_taken, f.events.attended
        ),
        {
            let sg = &f.safeguarding;
            let raised: i64 = sg.raised_by_category.values().sum();
            let n = |k: ConcernStatus| sg.by_status.get(&k).copied().unwrap_or(0);
            format!(
                "Safeguarding: {raised} concerns raised ({} urgent); at the week's end {} new, {} being looked into, {} passed on, {} closed.",
                sg.urgent_raised,
                n(ConcernStatus::Open),
                n(ConcernStatus::Investigating),
                n(ConcernStatus::Referred),
                n(ConcernStatus::Closed)
            )
        },
    ]
}

/// Monday to Sunday of the week, as local dates.
fn days(r: &WeeklyReport) -> (String, String) {
    let tz: chrono_tz::Tz = r.timezone.parse().unwrap_or(chrono_tz::Europe::London);
    let first = r
        .start
        .with_timezone(&tz)
        .format("%a %-d %b %Y")
        .to_string();
    let last = (r.end - chrono::Duration::seconds(1))
        .with_timezone(&tz)
        .format("%a %-d %b %Y")
        .to_string();
    (first, last)
}

/// A category's label for a person ("Phones and computers"), never its code.
fn label(category: &Category) -> &'static str {
    category.label()
}

pub fn render(r: &WeeklyReport, to: &str) -> NewEmail {
    let subject = format!("Neighbourly weekly report {}", r.week);
    let (first, last) = days(r);
    let f = &r.figures;
    let max = f
        .requests
        .by_category
        .values()
        .map(|c| c.completed + c.assigned + c.open + c.expired)
        .max()
        .unwrap_or(0)
        .max(1);

    let mut text = format!("{subject}\n{} to {} ({})\n\n", first, last, r.timezone);
    for l in headlines(r) {
        text.push_str(&format!("- {l}\n"));
    }
    text.push_str("\nRequests by category (C completed, A assigned, O open, X expired):\n");
    for (cat, c) in &f.requests.by_category {
        let bar =
            |n: i64, ch: char| std::iter::repeat_n(ch, (n * 30 / max) as usize).collect::<String>();
        text.push_str(&format!(
            "  {:<22} {}{}{}{}  completed {}, assigned {}, open {}, expired {}\n",
            label(cat),
            bar(c.completed, 'C'),
            bar(c.assigned, 'A'),
            bar(c.open, 'O'),
            bar(c.expired, 'X'),
            c.completed,
            c.assigned,
            c.open,
            c.expired
        ));
    }
    if !f.unmet.by_area.is_empty() {
        text.push_str("\nUnmet demand by area:\n");
        for a in &f.unmet.by_area {
            text.push_str(&format!("  {}: {}\n", area_words(a), a.count));
        }
    }

    let mut html = String::from(
        "<!DOCTYPE html>\n<html><body style=\"font-family: Arial, sans-serif; color: #222;\">\n",
    );
    html.push_str(&format!(
        "<h2 style=\"color: #2a6f4e;\">{}</h2>\n<p>{} to {} ({})</p>\n<ul>\n",
        esc(&subject),
        first,
        last,
        esc(&r.timezone)
    ));
    for l in headlines(r) {
        html.push_str(&format!("<li>{}</li>\n", esc(&l)));
    }
    html.push_str("</ul>\n<h3>Requests by category and status</h3>\n<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse: collapse;\">\n");
    for (cat, c) in &f.requests.by_category {
        html.push_str(&format!("<tr><td style=\"padding: 2px 8px 2px 0; font-size: 13px;\">{}</td><td width=\"300\"><table cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>", esc(label(cat))));
        for (status, colour) in COLOURS {
            let n = match status {
                "completed" => c.completed,
                "assigned" => c.assigned,
                "open" => c.open,
                _ => c.expired,
            };
            let w = n * 300 / max;
            if w > 0 {
                html.push_str(&format!("<td width=\"{w}\" height=\"14\" bgcolor=\"{colour}\" style=\"background: {colour};\" title=\"{status} {n}\"></td>"));
            }
        }
        html.push_str(&format!("</tr></table></td><td style=\"padding-left: 8px; font-size: 12px;\">{} / {} / {} / {}</td></tr>\n", c.completed, c.assigned, c.open, c.expired));
    }
    html.push_str("</table>\n<p style=\"font-size: 12px;\">");
    for (status, colour) in COLOURS {
        html.push_str(&format!(
            "<span style=\"color: {colour};\">&#9632;</span> {status} &nbsp; "
        ));
    }
    html.push_str("</p>\n");
    if !f.unmet.by_area.is_empty() {
        html.push_str("<h3>Unmet demand by area</h3>\n<ul>\n");
        for a in &f.unmet.by_area {
            html.push_str(&format!("<li>{}: {}</li>\n", esc(&area_words(a)), a.count));
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</body></html>\n");

    NewEmail {
        kind: MessageKind::WeeklyReport,
        recipient: to.into(),
        subject,
        text_body: text,
        html_body: html,
        dedup_key: None,
        push: None,
    }
}

/// An area as the report names it: its postcode district, or, before postcodes are loaded, the
/// point it is around.
fn area_words(a: &super::figures::AreaCount) -> String {
    match &a.area_name {
        Some(name) => format!("around {name}"),
        None => format!("around {}", a.area),
    }
}
