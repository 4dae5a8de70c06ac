//! The emails about a job: offered to a helper, its details once taken, and the member told who
//! is coming, that the helper cannot come, or the helper that it is cancelled.

use super::*;

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

/// A member's delegate is told who is coming to the member, and when (the app shows the words
/// at the door to them too).
pub fn helper_coming_to_family(
    to: &str,
    family: (&str, &str),
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
    helper_name: &str,
    in_app: &str,
) -> NewEmail {
    let (delegate_name, member_name) = family;
    let first = helper_name.split_whitespace().next().unwrap_or(helper_name);
    let subject = format!(
        "{first} is coming to {member_name} on {}",
        when(start, job.tz)
    );
    let lines = [
        format!("Hello {delegate_name},"),
        format!(
            "{first}, a vetted Neighbourly helper, will come to {member_name} to help with \"{}\".",
            job.description
        ),
        format!("They plan to arrive at {}.", when(start, job.tz)),
        format!("The app shows the two words {first} will say at the door: {in_app}"),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::HelperComing, to, subject, text, html)
}

/// A member's delegate is told a visit to the member is done.
pub fn visit_done_to_family(
    to: &str,
    family: (&str, &str),
    job: &JobSummary<'_>,
    helper_name: &str,
    in_app: &str,
) -> NewEmail {
    let (delegate_name, member_name) = family;
    let first = helper_name.split_whitespace().next().unwrap_or(helper_name);
    let subject = format!("{first} has been to {member_name}");
    let lines = [
        format!("Hello {delegate_name},"),
        format!(
            "{first} has finished helping {member_name} with \"{}\".",
            job.description
        ),
        format!("The visit in the app: {in_app}"),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::VisitDone, to, subject, text, html)
}

/// The day before a visit: the member is reminded who is coming and when, with the push that
/// goes with it.
pub fn visit_reminder(
    to: &str,
    member_name: &str,
    job: &JobSummary<'_>,
    start: DateTime<Utc>,
    helper_name: &str,
    in_app: &str,
) -> NewEmail {
    let first = helper_name.split_whitespace().next().unwrap_or(helper_name);
    let subject = format!("Reminder: {first} is coming on {}", when(start, job.tz));
    let lines = [
        format!("Hello {member_name},"),
        format!(
            "A reminder that {first} is coming to help with \"{}\" at {}.",
            job.description,
            when(start, job.tz)
        ),
        "If your plans have changed, cancel in the app or ring your coordinator.".to_string(),
        format!("Your request in the app: {in_app}"),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    let push = PushNote {
        title: format!("{first} is coming"),
        body: format!("Help with {} at {}.", job.task(), when(start, job.tz)),
        url: app_route(in_app),
        ttl_secs: None,
    };
    NewEmail {
        push: Some(push),
        ..email(MessageKind::VisitReminder, to, subject, text, html)
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
