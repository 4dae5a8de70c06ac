//! The emails about standing requests whose visits could not be made.

use super::*;

/// A member's regular visits could not be booked: not enough time in their account.
pub fn occurrences_unmade(
    to: &str,
    member_name: &str,
    task: &str,
    days: &[NaiveDate],
    available_minutes: i64,
    needed_minutes: i32,
) -> NewEmail {
    let subject = format!("Your regular help with {task} is not booked yet");
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "We have not booked your regular help with {task} on {}, because your account does not have enough time left: each visit needs {}, and you have {}.",
            days_in_words(days),
            minutes_in_words(i64::from(needed_minutes)),
            minutes_in_words(available_minutes)
        ),
        "Please ring your coordinator to add tokens. The visits will be booked as soon as there is enough time in your account.".to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::OccurrencesUnmade, to, subject, text, html)
}

/// Coordinators: a member's regular visits could not be booked for want of tokens.
pub fn occurrences_unmade_for_coordinator(
    to: &str,
    member_name: &str,
    task: &str,
    days: &[NaiveDate],
    link: &str,
) -> NewEmail {
    let subject = format!("Not booked: {member_name}'s regular help, not enough tokens");
    let lines = [
        format!(
            "{member_name}'s regular help with {task} on {} has not been booked: their account does not have enough time left for it.",
            days_in_words(days)
        ),
        "Please ring them about adding tokens. Once there is enough time in the account, the visits are booked within a few minutes.".to_string(),
        link.to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(
        MessageKind::OccurrencesUnmadeCoordinator,
        to,
        subject,
        text,
        html,
    )
}

/// "Tuesday 8 December and Tuesday 15 December": the days of a standing request, in words.
fn days_in_words(days: &[NaiveDate]) -> String {
    let words: Vec<String> = days
        .iter()
        .map(|d| d.format("%A %-d %B").to_string())
        .collect();
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "1 hour 30 minutes", "45 minutes", "no time".
fn minutes_in_words(minutes: i64) -> String {
    let (h, m) = (minutes.max(0) / 60, minutes.max(0) % 60);
    let hours = match h {
        0 => None,
        1 => Some("1 hour".to_string()),
        h => Some(format!("{h} hours")),
    };
    let mins = (m > 0).then(|| format!("{m} minutes"));
    match (hours, mins) {
        (Some(h), Some(m)) => format!("{h} {m}"),
        (Some(h), None) => h,
        (None, Some(m)) => m,
        (None, None) => "no time".to_string(),
    }
}
