//! The emails about a visit that is coming: asking the helper to confirm, telling them it went
//! to others, the member that their helper is running late, and coordinators that a visit
//! started with no arrival.

use super::*;

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

/// The member's helper is running late: by about how much, and when they now expect to arrive,
/// with the push that goes with it.
pub fn running_late(
    to: &str,
    member_name: &str,
    helper_name: &str,
    minutes: i64,
    eta: DateTime<Utc>,
    tz: chrono_tz::Tz,
    in_app: &str,
) -> NewEmail {
    let first = helper_name.split_whitespace().next().unwrap_or(helper_name);
    let at = eta.with_timezone(&tz).format("%H:%M").to_string();
    let subject = format!("{first} is running about {minutes} minutes late");
    let lines = [
        format!("Hello {member_name},"),
        format!("{first} is running about {minutes} minutes late, and now expects to be with you at about {at}."),
        "If that no longer suits you, ring your coordinator.".to_string(),
        format!("Your request in the app: {in_app}"),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    let push = PushNote {
        title: format!("{first} is running late"),
        body: format!("About {minutes} minutes late: with you at about {at}."),
        url: app_route(in_app),
        ttl_secs: Some(3600),
    };
    NewEmail {
        push: Some(push),
        ..email(MessageKind::RunningLate, to, subject, text, html)
    }
}

/// A member's delegate is told the helper on the way to the member is running late.
pub fn running_late_to_family(
    to: &str,
    family: (&str, &str),
    helper_name: &str,
    minutes: i64,
    eta: DateTime<Utc>,
    tz: chrono_tz::Tz,
    in_app: &str,
) -> NewEmail {
    let (delegate_name, member_name) = family;
    let first = helper_name.split_whitespace().next().unwrap_or(helper_name);
    let at = eta.with_timezone(&tz).format("%H:%M").to_string();
    let subject = format!("{first} is running about {minutes} minutes late to {member_name}");
    let lines = [
        format!("Hello {delegate_name},"),
        format!("{first} is running about {minutes} minutes late, and now expects to be with {member_name} at about {at}."),
        format!("{member_name} has been told too. The visit in the app: {in_app}"),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    let push = PushNote {
        title: format!("{first} is running late to {member_name}"),
        body: format!("About {minutes} minutes late: there at about {at}."),
        url: app_route(in_app),
        ttl_secs: Some(3600),
    };
    NewEmail {
        push: Some(push),
        ..email(MessageKind::RunningLate, to, subject, text, html)
    }
}

/// A visit started a while ago and its helper has not said they have arrived: coordinators are
/// told once, to ring.
pub fn no_check_in(
    to: &str,
    helper_name: &str,
    member_name: &str,
    start: DateTime<Utc>,
    tz: chrono_tz::Tz,
    link: &str,
) -> NewEmail {
    let subject = format!("No arrival yet: {helper_name} at {member_name}'s");
    let lines = [
        format!(
            "{helper_name} was due at {member_name}'s at {} and has not said they have arrived.",
            start.with_timezone(&tz).format("%H:%M")
        ),
        "Please ring them, and the member if you cannot reach them.".to_string(),
        link.to_string(),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::NoCheckIn, to, subject, text, html)
}
