//! The emails, each with a plain-text part and an HTML part. Pure functions of plain values, so
//! that their text can be snapshot-tested. Here the page, the buttons and the job in words; the
//! emails themselves by subject: jobs, visits, accounts, events, standing requests.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::db::outbox::NewEmail;
use crate::domain::push::PushNote;
use crate::domain::MessageKind;

pub use crate::domain::html::esc;

mod accounts;
mod events;
mod jobs;
mod series;
mod visits;

pub use accounts::*;
pub use events::*;
pub use jobs::*;
pub use series::*;
pub use visits::*;

/// Words that say to ring, with the Circle's number in them: "ring your coordinator" becomes
/// `ring` ("ring Test Circle on 020 7946 0999"), capital kept; `html` escapes it for an HTML part.
pub fn with_number(text: &str, ring: &str, html: bool) -> String {
    let ring = if html { esc(ring) } else { ring.to_string() };
    let mut capital = ring.clone();
    if let Some(first) = capital.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    text.replace("ring your coordinator", &ring)
        .replace("Ring your coordinator", &capital)
}

/// "Wednesday 2 December, 10:00" in the given zone.
pub fn when(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%A %-d %B, %H:%M").to_string()
}

fn page(title: &str, paragraphs: &[String]) -> String {
    page_with_buttons(title, paragraphs, &[], &[])
}

/// A page whose paragraphs (already escaped) come `before` and `after` one-tap buttons, each a
/// link, which the text part shows as "label: url".
fn page_with_buttons(
    title: &str,
    before: &[String],
    buttons: &[(&str, &str)],
    after: &[String],
) -> String {
    let para = |p: &String| format!("<p>{p}</p>\n");
    let links: String = buttons
        .iter()
        .map(|(label, url)| {
            format!(
                "<p><a href=\"{}\" style=\"display: inline-block; padding: 12px 20px; background: #0b4f8a; color: #ffffff; font-weight: bold; text-decoration: none; border-radius: 6px;\">{}</a></p>\n",
                esc(url),
                esc(label)
            )
        })
        .collect();
    let body: String = before.iter().map(para).collect::<String>()
        + &links
        + &after.iter().map(para).collect::<String>();
    format!(
        "<!DOCTYPE html>\n<html><body style=\"font-family: Arial, sans-serif; font-size: 16px; color: #222;\">\n\
         <h2 style=\"color: #2a6f4e;\">{}</h2>\n{body}<p style=\"color: #666; font-size: 13px;\">Neighbourly</p>\n</body></html>\n",
        esc(title)
    )
}

/// The text part of a page with buttons: its lines, each button as "label: url", then `after`.
fn text_with_buttons(before: &[String], buttons: &[(&str, &str)], after: &[String]) -> String {
    before
        .iter()
        .cloned()
        .chain(buttons.iter().map(|(label, url)| format!("{label}: {url}")))
        .chain(after.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n"
}

/// The app's page of an address of the app ("/app/#/offers/…"), for a push message to open.
fn app_route(address: &str) -> String {
    address
        .find("/app/")
        .map_or_else(|| "/app/".to_string(), |at| address[at..].to_string())
}

/// The links an offer email carries: accept and decline in one tap, and the offer in the app.
pub struct OfferLinks {
    pub accept: String,
    pub decline: String,
    pub in_app: String,
}

fn email(kind: MessageKind, to: &str, subject: String, text: String, html: String) -> NewEmail {
    NewEmail {
        kind,
        recipient: to.into(),
        subject,
        text_body: text,
        html_body: html,
        dedup_key: None,
        push: None,
    }
}

/// The job in words a helper can act on, without where exactly it is.
pub struct JobSummary<'a> {
    pub category: crate::domain::Category,
    pub description: &'a str,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub duration_minutes: i32,
    pub tz: Tz,
}

impl JobSummary<'_> {
    fn time(&self) -> String {
        format!(
            "between {} and {} ({} minutes)",
            when(self.window_start, self.tz),
            self.window_end.with_timezone(&self.tz).format("%H:%M"),
            self.duration_minutes
        )
    }

    /// What help, in words: "a computer or phone".
    pub fn task(&self) -> &'static str {
        self.category.in_words()
    }
}
