//! The emails about a person's standing with the Circle: vetting approved or running out, a
//! new password, a membership ending, and coordinators told of an urgent concern.

use super::*;

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

/// Someone is asked to help arrange a member's visits: a one-time link, valid `valid_days`.
pub fn delegate_invitation(
    to: &str,
    name: &str,
    member_name: &str,
    link: &str,
    valid_days: i64,
) -> NewEmail {
    let subject = format!("{member_name} asks you to help arrange their Neighbourly visits");
    let lines = [
        format!("Hello {name},"),
        format!("{member_name} would like you to be able to ask for help for them, and to see who is coming to their door and when. Neighbourly is their local Circle of helpers."),
        "To say yes, open this link on your phone or computer, and sign in or choose a password:".to_string(),
        link.to_string(),
        format!("The link works once, for the next {valid_days} days. If you do not know {member_name}, ignore this email: nothing happens."),
    ];
    let text = lines.join("\n\n") + "\n";
    let html = page(&subject, &lines.iter().map(|l| esc(l)).collect::<Vec<_>>());
    email(MessageKind::DelegateInvitation, to, subject, text, html)
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
