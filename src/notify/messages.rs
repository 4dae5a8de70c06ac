//! The emails, each with a plain-text part and an HTML part. Pure functions of plain values, so
//! that their text can be snapshot-tested.

use crate::domain::MessageKind;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::db::outbox::NewEmail;
use crate::domain::push::PushNote;

pub use crate::domain::html::esc;

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
    fn task(&self) -> &'static str {
        self.category.in_words()
    }
}

/// A new offer: the area's name, the distance, the time and the task, never the address or
/// coordinates; a button to say yes and one to say no, each working in one tap.
pub fn offer(
    to: &str,
    helper_name: &str,
    job: &JobSummary<'_>,
    area_name: Option<&str>,
    distance_km: f64,
    expires: DateTime<Utc>,
    links: &OfferLinks,
) -> NewEmail {
    let subject = format!(
        "Can you help? A neighbour would like help with {}, {}",
        job.task(),
        when(job.window_start, job.tz)
    );
    let place = match area_name {
        Some(area) => format!("Where: in {area}, about {distance_km:.1} km from you."),
        None => format!("Where: about {distance_km:.1} km from you."),
    };
    let lines = [
        format!("Hello {helper_name},"),
        format!(
            "A neighbour would like help with {}: \"{}\".",
            job.task(),
            job.description
        ),
        format!("When: {}.", job.time()),
        place,
        format!(
            "Can you go? The offer stays open until {}. The first helper to say yes goes.",
            when(expires, job.tz)
        ),
    ];
    let buttons = [
        ("Yes, I can help", links.accept.as_str()),
        ("No, not this time", links.decline.as_str()),
    ];
    let after = format!(
        "You can also answer in the Neighbourly app: {}",
        links.in_app
    );
    let text = text_with_buttons(&lines, &buttons, std::slice::from_ref(&after));
    let before: Vec<String> = lines.iter().map(|l| esc(l)).collect();
    let html = page_with_buttons(&subject, &before, &buttons, &[esc(&after)]);
    let push = PushNote {
        title: "Can you help a neighbour?".into(),
        body: format!(
            "Help with {}, {}, about {distance_km:.1} km from you.",
            job.task(),
            when(job.window_start, job.tz)
        ),
        url: app_route(&links.in_app),
        ttl_secs: None,
    };
    NewEmail {
        push: Some(push),
        ..email(MessageKind::Offer, to, subject, text, html)
    }
}

/// The accepted job's details, with the address, to the helper who took it.
#[allow(clippy::too_many_arguments)]
pub fn job_details(
    to: &str,
    helper_name: &str,
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
    member_name: &str,
    member_phone: Option<&str>,
    address: &str,
    in_app: &str,
) -> NewEmail {
    let subject = format!(
        "Your job on {}: help with {}",
        when(start, job.tz),
        job.task()
    );
    let lines = [
        format!("Hello {helper_name},"),
        format!("Thank you for taking this job: \"{}\".", job.description),
        format!("Please arrive at {}.", when(start, job.tz)),
        format!("Member: {member_name}"),
        format!("Address: {address}"),
        format!(
            "Phone: {}",
            member_phone.unwrap_or("not given; ask your coordinator")
        ),
        "If you cannot make it, tell your coordinator as soon as you can.".to_string(),
        format!("The visit in the app: {in_app}"),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    let push = PushNote {
        title: "The job is yours".into(),
        body: format!("Help with {} at {}.", job.task(), when(start, job.tz)),
        url: app_route(in_app),
        ttl_secs: None,
    };
    NewEmail {
        push: Some(push),
        ..email(MessageKind::JobDetails, to, subject, text, html)
    }
}

/// The member's helper cannot come (they withdrew, did not come, or never confirmed): whether
/// others are being asked, or there is no time left to find someone.
pub fn helper_cannot_come(
    to: &str,
    member_name: &str,
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
    helper_name: &str,
    asking_others: bool,
) -> NewEmail {
    let first = helper_name.split_whitespace().next().unwrap_or(helper_name);
    let subject = format!("{first} cannot come on {}", when(start, job.tz));
    let next = if asking_others {
        "We are asking other helpers now, and will email you as soon as one says yes.".to_string()
    } else {
        "There is not enough time left to find someone else. Please ring your coordinator, who can help.".to_string()
    };
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "We are sorry: {first} cannot come to help with \"{}\" on {}.",
            job.description,
            when(start, job.tz)
        ),
        next,
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::HelperCannotCome, to, subject, text, html)
}

/// "Your helper is coming", to the member.
pub fn helper_coming(
    to: &str,
    member_name: &str,
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
    helper_name: &str,
    in_app: &str,
) -> NewEmail {
    let first = helper_name.split_whitespace().next().unwrap_or(helper_name);
    let subject = format!("{first} is coming to help on {}", when(start, job.tz));
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "{first}, a vetted Neighbourly helper, will come to help with \"{}\".",
            job.description
        ),
        format!("They plan to arrive at {}.", when(start, job.tz)),
        "If your plans change, cancel in the app or call your coordinator.".to_string(),
        format!("Your request in the app: {in_app}"),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::HelperComing, to, subject, text, html)
}

/// The job was cancelled, to the assigned helper.
pub fn cancellation(
    to: &str,
    helper_name: &str,
    job: &JobSummary<'_>,
    reason: Option<&str>,
) -> NewEmail {
    let subject = format!(
        "Cancelled: help with {} on {}",
        job.task(),
        when(job.window_start, job.tz)
    );
    let mut lines = vec![
        format!("Hello {helper_name},"),
        format!(
            "The job \"{}\" ({}) has been cancelled. You do not need to go.",
            job.description,
            job.time()
        ),
    ];
    if let Some(r) = reason {
        lines.push(format!("Reason given: {r}"));
    }
    lines.push("Thank you for offering your time.".into());
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::Cancellation, to, subject, text, html)
}

pub fn vetting_approved(to: &str, helper_name: &str, expires_on: NaiveDate) -> NewEmail {
    let subject = "You are approved as a Neighbourly helper".to_string();
    let lines = [
        format!("Hello {helper_name},"),
        "A coordinator has checked your details and approved you. Jobs near you will now be offered to you in the app and by email.".to_string(),
        format!("Your vetting is valid until {}.", expires_on.format("%-d %B %Y")),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::VettingApproved, to, subject, text, html)
}

pub fn vetting_expiring(to: &str, helper_name: &str, expires_on: NaiveDate) -> NewEmail {
    let subject = format!(
        "Your Neighbourly vetting expires on {}",
        expires_on.format("%-d %B %Y")
    );
    let lines = [
        format!("Hello {helper_name},"),
        format!(
            "Your vetting runs out on {}. After that date no jobs can be offered to you.",
            expires_on.format("%-d %B %Y")
        ),
        "Please contact your coordinator to renew it.".to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    NewEmail {
        dedup_key: Some(format!("vetting-expiring:{to}:{expires_on}")),
        ..email(MessageKind::VettingExpiring, to, subject, text, html)
    }
}

/// A one-time link to choose a new password, valid for `valid_minutes`.
pub fn password_reset(to: &str, name: &str, link: &str, valid_minutes: i64) -> NewEmail {
    let subject = "Choose a new Neighbourly password".to_string();
    let lines = [
        format!("Hello {name},"),
        "Someone asked to reset the password of your Neighbourly account. If it was you, open this link to choose a new one:".to_string(),
        link.to_string(),
        format!("The link works once, for the next {valid_minutes} minutes. If you did not ask, ignore this email: your password stays as it is."),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::PasswordReset, to, subject, text, html)
}

/// An urgent safeguarding concern was raised: every coordinator is told at once. The email says
/// what kind and when, never what was reported; that is read in the console.
pub fn urgent_concern(
    to: &str,
    category: &str,
    raised_at: DateTime<Utc>,
    tz: Tz,
    link: &str,
) -> NewEmail {
    let subject = "Urgent safeguarding concern raised".to_string();
    let lines = [
        format!(
            "An urgent safeguarding concern ({}) was raised on {}.",
            category.replace('_', " "),
            when(raised_at, tz)
        ),
        "Please read it and act on it now:".to_string(),
        link.to_string(),
        "For the privacy of the people involved, this email does not say what was reported."
            .to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::UrgentConcern, to, subject, text, html)
}

/// A visit is near: the helper is asked to confirm they are coming, in one tap.
pub fn confirm_visit(
    to: &str,
    helper_name: &str,
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
    confirm_link: &str,
    in_app: &str,
) -> NewEmail {
    let subject = format!(
        "Please confirm: help with {} on {}",
        job.task(),
        when(start, job.tz)
    );
    let lines = [
        format!("Hello {helper_name},"),
        format!("You are due to help with \"{}\" at {}.", job.description, when(start, job.tz)),
        "Please confirm that you are coming. If you cannot make it, say so in the Neighbourly app, so that someone else can go.".to_string(),
    ];
    let buttons = [("Yes, I am coming", confirm_link)];
    let after = format!("The visit in the app: {in_app}");
    let text = text_with_buttons(&lines, &buttons, std::slice::from_ref(&after));
    let before: Vec<String> = lines.iter().map(|l| esc(l)).collect();
    let html = page_with_buttons(&subject, &before, &buttons, &[esc(&after)]);
    let push = PushNote {
        title: "Please confirm your visit".into(),
        body: format!("Help with {} at {}.", job.task(), when(start, job.tz)),
        url: app_route(in_app),
        ttl_secs: None,
    };
    NewEmail {
        push: Some(push),
        ..email(MessageKind::ConfirmVisit, to, subject, text, html)
    }
}

/// A visit is still unconfirmed: coordinators are told, to ring the helper.
pub fn visit_unconfirmed(
    to: &str,
    helper_name: &str,
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
    link: &str,
) -> NewEmail {
    let subject = format!(
        "Not confirmed: {helper_name}'s visit on {}",
        when(start, job.tz)
    );
    let lines = [
        format!(
            "{helper_name} has not confirmed the visit to help with {} at {}.",
            job.task(),
            when(start, job.tz)
        ),
        "Please ring them. If it stays unconfirmed, it will be offered to other helpers."
            .to_string(),
        link.to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::VisitUnconfirmed, to, subject, text, html)
}

/// An unconfirmed visit went to other helpers: its helper is told.
pub fn visit_taken_back(
    to: &str,
    helper_name: &str,
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
) -> NewEmail {
    let subject = format!(
        "Passed on: help with {} on {}",
        job.task(),
        when(start, job.tz)
    );
    let lines = [
        format!("Hello {helper_name},"),
        format!(
            "As you had not confirmed the visit at {}, it has been offered to other helpers. You do not need to go.",
            when(start, job.tz)
        ),
        "Thank you for your help; you will keep getting offers as usual.".to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::VisitTakenBack, to, subject, text, html)
}

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

/// A member's membership ends soon: once per membership.
pub fn membership_ending(
    to: &str,
    member_name: &str,
    ends_on: NaiveDate,
    dedup: String,
) -> NewEmail {
    let subject = format!(
        "Your Neighbourly membership ends on {}",
        ends_on.format("%-d %B %Y")
    );
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "Your Circle membership runs until {}. To keep asking for help and coming to events, please renew it with your coordinator.",
            ends_on.format("%-d %B %Y")
        ),
        "Your account and any tokens you have stay yours either way.".to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    NewEmail {
        dedup_key: Some(dedup),
        ..email(MessageKind::MembershipEnding, to, subject, text, html)
    }
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
