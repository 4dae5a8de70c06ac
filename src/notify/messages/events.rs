//! The emails about social events: a place from the waiting list, a change, a cancellation and
//! the reminder the day before.

use super::*;

/// A social event, as its emails describe it.
pub struct EventSummary<'a> {
    pub title: &'a str,
    pub place: &'a str,
    pub starts_at: DateTime<Utc>,
    pub tz: Tz,
    /// The event's page in the app.
    pub in_app: String,
}

/// A place came up at an event a member was waiting for.
pub fn event_place(to: &str, member_name: &str, event: &EventSummary<'_>) -> NewEmail {
    let subject = format!("A place for you: {}", event.title);
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "A place has come up at {} ({}, {}), and it is yours.",
            event.title,
            event.place,
            when(event.starts_at, event.tz)
        ),
        "If you can no longer come, please leave the event in the app or ring your coordinator, so that the place goes to someone else.".to_string(),
        format!("The event in the app: {}", event.in_app),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::EventPlace, to, subject, text, html)
}

/// An event's time or place changed, to each member going.
pub fn event_changed(to: &str, member_name: &str, event: &EventSummary<'_>) -> NewEmail {
    let subject = format!(
        "Changed: {}, now {}",
        event.title,
        when(event.starts_at, event.tz)
    );
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "{} has changed: it is now at {}, {}.",
            event.title,
            event.place,
            when(event.starts_at, event.tz)
        ),
        "Your place is kept. If you can no longer come, please leave the event in the app or ring your coordinator, so that the place goes to someone else.".to_string(),
        format!("The event in the app: {}", event.in_app),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::EventChanged, to, subject, text, html)
}

/// An event is cancelled, to each member who was going or waiting.
pub fn event_cancelled(
    to: &str,
    member_name: &str,
    event: &EventSummary<'_>,
    reason: &str,
) -> NewEmail {
    let subject = format!(
        "Cancelled: {}, {}",
        event.title,
        when(event.starts_at, event.tz)
    );
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "We are sorry: {} ({}, {}) will not take place.",
            event.title,
            event.place,
            when(event.starts_at, event.tz)
        ),
        format!("Why: {reason}"),
        "If a lift was arranged for you, it is cancelled too. Your coordinator will tell you about the next one.".to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::EventCancelled, to, subject, text, html)
}

/// The day before an event: a reminder to each member going who has an email; once each.
pub fn event_reminder(
    to: &str,
    member_name: &str,
    event: &EventSummary<'_>,
    dedup: String,
    with_lift: bool,
) -> NewEmail {
    let subject = format!(
        "Reminder: {} on {}",
        event.title,
        when(event.starts_at, event.tz)
    );
    let mut lines = vec![
        format!("Hello {member_name},"),
        format!(
            "A reminder that you are going to {} at {}, {}.",
            event.title,
            event.place,
            when(event.starts_at, event.tz)
        ),
    ];
    if with_lift {
        lines.push(
            "You asked for a lift: your helper's details are in the app, or ring your coordinator."
                .into(),
        );
    }
    lines.push(
        "If you can no longer come, please leave the event in the app or ring your coordinator."
            .into(),
    );
    lines.push(format!("The event in the app: {}", event.in_app));
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    NewEmail {
        dedup_key: Some(dedup),
        ..email(MessageKind::EventReminder, to, subject, text, html)
    }
}
