//! The text messages: short, plain, never an address. Each is written to fit in
//! `sms.max_segments` parts whatever the names in it: when the full wording would take more, it
//! drops the Circle's name in front, then the sentence saying whom to ring, then shortens names
//! (first names only, at most 20 letters, then 10). Pure functions of plain values.

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::db::outbox::NewEmail;
use crate::domain::sms::{self, TextCode};
use crate::domain::MessageKind;

/// The dedup key that starts the answer to STOP: the one text a stopped number is sent.
pub const STOP_ANSWER_KEY: &str = "text-stop-answer:";

/// What every text is written with: the Circle's name and number, the zone its days are in,
/// and the most parts a text may take.
#[derive(Debug, Clone)]
pub struct Texting {
    pub circle: String,
    pub phone: Option<String>,
    pub tz: Tz,
    pub max_segments: usize,
}

/// How much a text says: each step down says less, until it fits.
#[derive(Debug, Clone, Copy)]
struct Style {
    signed: bool,
    ring: bool,
    name_chars: usize,
}

const STYLES: [Style; 5] = [
    Style {
        signed: true,
        ring: true,
        name_chars: 20,
    },
    Style {
        signed: true,
        ring: false,
        name_chars: 20,
    },
    Style {
        signed: false,
        ring: false,
        name_chars: 20,
    },
    Style {
        signed: false,
        ring: false,
        name_chars: 10,
    },
    Style {
        signed: false,
        ring: false,
        name_chars: 1,
    },
];

/// A person's first name, at most `n` letters.
fn first(name: &str, n: usize) -> String {
    name.split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .take(n)
        .collect()
}

/// At most `n` characters of `s`.
fn cut(s: &str, n: usize) -> String {
    let s = s.trim();
    match s.chars().count() > n {
        true => format!("{}...", s.chars().take(n).collect::<String>().trim_end()),
        false => s.to_string(),
    }
}

/// "Tue 8 Dec, morning": the day and the part of the day, in the Circle's zone.
pub fn day_and_part(t: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    let part = match local.hour() {
        0..=11 => "morning",
        12..=16 => "afternoon",
        _ => "evening",
    };
    format!("{}, {part}", local.format("%a %-d %b"))
}

impl Texting {
    pub fn from_settings(settings: &crate::config::Settings) -> Texting {
        Texting {
            circle: settings.circle.name.clone(),
            phone: settings.circle.phone.clone(),
            tz: settings.reports.timezone,
            max_segments: settings.sms.max_segments,
        }
    }

    /// "Tue 8 Dec, morning" in the Circle's zone.
    pub fn day(&self, t: DateTime<Utc>) -> String {
        day_and_part(t, self.tz)
    }

    /// The first wording that fits, from the fullest down.
    fn fit(&self, make: impl Fn(&Style) -> String) -> String {
        let mut text = String::new();
        for style in STYLES {
            text = make(&style);
            if sms::fits(&text, self.max_segments) {
                break;
            }
        }
        text
    }

    /// "Peckham Circle: " in front of a signed text.
    fn from(&self, s: &Style) -> String {
        match s.signed {
            true => format!("{}: ", cut(&self.circle, 30)),
            false => String::new(),
        }
    }

    /// " Ring Peckham Circle on 020 7946 0999 if you need to." when the style has room.
    fn ring(&self, s: &Style) -> String {
        match (&self.phone, s.ring) {
            (Some(phone), true) => {
                format!(" Ring {} on {phone} if you need to.", cut(&self.circle, 30))
            }
            _ => String::new(),
        }
    }

    /// The Circle's number for "ring": always given when there is one.
    fn number(&self) -> String {
        match &self.phone {
            Some(phone) => format!("ring {phone}"),
            None => "ring your coordinator".into(),
        }
    }

    /// To a helper: a job near them, and the code to take it or turn it down.
    pub fn offer(
        &self,
        helper: &str,
        task: &str,
        when: &str,
        area: Option<&str>,
        code: &TextCode,
    ) -> String {
        self.fit(|s| {
            let area = area
                .filter(|_| s.name_chars > 1)
                .map(|a| format!(" near {}", cut(a, s.name_chars + 4)))
                .unwrap_or_default();
            format!(
                "{}{}, can you help with {task} on {when}{area}? Reply YES {code} to take it, or NO {code}.",
                self.from(s),
                first(helper, s.name_chars)
            )
        })
    }

    /// To a helper: please confirm the visit.
    pub fn confirm(&self, helper: &str, task: &str, when: &str, code: &TextCode) -> String {
        self.fit(|s| {
            format!(
                "{}{}, are you still going to help with {task} on {when}? Reply OK {code} to say yes.{}",
                self.from(s),
                first(helper, s.name_chars),
                self.ring(s)
            )
        })
    }

    /// To a helper whose YES won the job.
    pub fn job_is_yours(&self, helper: &str, when: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Thank you, {}: the visit on {when} is yours. The address is in the app and your email, or {}.",
                self.from(s),
                first(helper, s.name_chars),
                self.number()
            )
        })
    }

    /// To a helper whose YES came after someone else's.
    pub fn someone_else_is_going(&self, helper: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Someone else is going, thank you {}.",
                self.from(s),
                first(helper, s.name_chars)
            )
        })
    }

    /// To a helper who said NO.
    pub fn turned_down(&self, helper: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Thank you, {}. We will ask someone else.",
                self.from(s),
                first(helper, s.name_chars)
            )
        })
    }

    /// To a helper who said OK.
    pub fn confirmed(&self, helper: &str, when: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Thank you, {}: your visit on {when} is confirmed.",
                self.from(s),
                first(helper, s.name_chars)
            )
        })
    }

    /// To a member: who is coming.
    pub fn helper_coming(&self, member: &str, helper: &str, task: &str, when: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Hello {}, {} is coming to help with {task} on {when}.{}",
                self.from(s),
                first(member, s.name_chars),
                first(helper, s.name_chars),
                self.ring(s)
            )
        })
    }

    /// To a member, the day before, with the words their helper will say at the door.
    pub fn visit_reminder(
        &self,
        member: &str,
        helper: &str,
        task: &str,
        when: &str,
        words: Option<&str>,
    ) -> String {
        self.fit(|s| {
            let door = words
                .map(|w| format!(" They will say \"{w}\" at the door."))
                .unwrap_or_default();
            // The words at the door matter more than what the help is.
            let help = match s.name_chars > 10 || words.is_none() {
                true => format!(" to help with {task}"),
                false => String::new(),
            };
            format!(
                "{}Hello {}, a reminder: {} is coming{help} on {when}.{door}{}",
                self.from(s),
                first(member, s.name_chars),
                first(helper, s.name_chars),
                self.ring(s)
            )
        })
    }

    /// To a member: their helper cannot come.
    pub fn helper_cannot_come(
        &self,
        member: &str,
        helper: &str,
        when: &str,
        asking_others: bool,
    ) -> String {
        self.fit(|s| {
            let next = match asking_others {
                true => "We are asking someone else and will text you who is coming.".to_string(),
                false => format!("Please {} to arrange another visit.", self.number()),
            };
            format!(
                "{}Sorry {}, {} cannot come on {when}. {next}",
                self.from(s),
                first(member, s.name_chars),
                first(helper, s.name_chars)
            )
        })
    }

    /// To a member: their helper is running late.
    pub fn running_late(&self, member: &str, helper: &str, minutes: i64, at: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Hello {}, {} is running about {minutes} minutes late and expects to be with you at about {at}.{}",
                self.from(s),
                first(member, s.name_chars),
                first(helper, s.name_chars),
                self.ring(s)
            )
        })
    }

    /// To a member going to an event, the day before.
    pub fn event_reminder(&self, member: &str, title: &str, when: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Hello {}, a reminder of {} on {when}.{}",
                self.from(s),
                first(member, s.name_chars),
                cut(title, 2 * s.name_chars),
                self.ring(s)
            )
        })
    }

    /// The answer to STOP.
    pub fn stopped(&self) -> String {
        self.fit(|s| {
            format!(
                "You will get no more texts from {}. Text START to have them again.",
                cut(&self.circle, 10 + 2 * s.name_chars)
            )
        })
    }

    /// The answer to START.
    pub fn started(&self) -> String {
        self.fit(|s| {
            format!(
                "Texts from {} are on again. Text STOP to end them.",
                cut(&self.circle, 10 + 2 * s.name_chars)
            )
        })
    }

    /// The answer to HELP.
    pub fn help(&self) -> String {
        self.fit(|s| {
            format!(
                "{}To talk to a coordinator, {}. Text STOP to end texts, START to have them again.",
                self.from(s),
                self.number()
            )
        })
    }

    /// The one answer to anything not understood.
    pub fn not_understood(&self) -> String {
        self.fit(|s| {
            format!(
                "{}Sorry, we could not read your text. Please {}.",
                self.from(s),
                self.number()
            )
        })
    }

    /// YES, NO or OK without its four digits.
    pub fn code_missing(&self, word: &str) -> String {
        self.fit(|s| {
            format!(
                "{}Please reply {word} with the 4 numbers from our text, like {word} 4821.",
                self.from(s)
            )
        })
    }

    /// A code that is none of the sender's offers or visits now.
    pub fn code_unknown(&self, code: &TextCode) -> String {
        self.fit(|s| {
            format!(
                "{}We could not find {code} among your offers and visits. It may have ended. Please check it, or {}.",
                self.from(s),
                self.number()
            )
        })
    }

    /// Too many codes that matched nothing: the number waits.
    pub fn too_many_codes(&self) -> String {
        self.fit(|s| {
            format!(
                "{}Too many codes we could not match: please wait an hour, or {}.",
                self.from(s),
                self.number()
            )
        })
    }

    /// A code to sign in with.
    pub fn sign_in_code(&self, code: &str, minutes: i64) -> String {
        self.fit(|s| {
            format!(
                "{code} is your code to sign in to {}. It works for {minutes} minutes. Nobody will ever ask you for it.",
                cut(&self.circle, 10 + 2 * s.name_chars)
            )
        })
    }

    /// A text as the outbox keeps it: `about` says what it is, for coordinators' lists.
    pub fn queued(to: &str, about: &str, body: String, dedup_key: Option<String>) -> NewEmail {
        NewEmail {
            kind: MessageKind::Text,
            recipient: to.to_string(),
            subject: format!("Text: {about}"),
            text_body: body,
            html_body: String::new(),
            dedup_key,
            push: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sms::{measure, Coding};

    fn texting(max_segments: usize, circle: &str) -> Texting {
        Texting {
            circle: circle.into(),
            phone: Some("020 7946 0999".into()),
            tz: chrono_tz::Europe::London,
            max_segments,
        }
    }

    /// Every text, written with these names.
    fn every_text(t: &Texting, name: &str, title: &str, area: &str) -> Vec<String> {
        let code = TextCode::parse("4821").unwrap();
        let when = "Wed 30 Sep, afternoon";
        let task = "odd jobs around the home";
        vec![
            t.offer(name, task, when, Some(area), &code),
            t.confirm(name, task, when, &code),
            t.job_is_yours(name, when),
            t.someone_else_is_going(name),
            t.turned_down(name),
            t.confirmed(name, when),
            t.helper_coming(name, name, task, when),
            t.visit_reminder(name, name, task, when, Some("amber otter")),
            t.helper_cannot_come(name, name, when, true),
            t.helper_cannot_come(name, name, when, false),
            t.event_reminder(name, title, when),
            t.running_late(name, name, 120, "10:45"),
            t.stopped(),
            t.started(),
            t.help(),
            t.not_understood(),
            t.code_missing("YES"),
            t.code_unknown(&code),
            t.too_many_codes(),
            t.sign_in_code("482193", 10),
        ]
    }

    #[test]
    fn every_text_fits_with_the_longest_names_in_gsm_and_in_ucs2() {
        let circle = "The Peckham, Camberwell and Nunhead Good Neighbours Circle";
        for max in [2, 3] {
            let t = texting(max, circle);
            let gsm_name = "W".repeat(100);
            let gsm_title = "Tea dance ".repeat(12);
            for text in every_text(&t, &gsm_name, &gsm_title, &"A".repeat(100)) {
                let m = measure(&text);
                assert_eq!(m.coding, Coding::Gsm, "{text}");
                assert!(m.segments <= max, "{} parts: {text}", m.segments);
            }
            for long in [
                "ł".repeat(100),
                "Ğ".repeat(100),
                format!("Zoë {}", "ł".repeat(95)),
            ] {
                for text in every_text(&t, &long, &format!("Çay {long}"), &long) {
                    let m = measure(&text);
                    if text.contains(['ł', 'Ğ', 'ë']) {
                        assert_eq!(m.coding, Coding::Ucs2, "{text}");
                    }
                    assert!(m.segments <= max, "{} parts: {text}", m.segments);
                }
            }
        }
    }

    #[test]
    fn ordinary_texts_say_everything_and_name_first_names_only() {
        let t = texting(2, "Peckham Circle");
        let code = TextCode::parse("4821").unwrap();
        let offer = t.offer(
            "Hal Helper",
            "the garden",
            "Tue 8 Dec, morning",
            Some("Peckham"),
            &code,
        );
        assert_eq!(
            offer,
            "Peckham Circle: Hal, can you help with the garden on Tue 8 Dec, morning near Peckham? Reply YES 4821 to take it, or NO 4821."
        );
        let coming = t.helper_coming(
            "Edna Okoye",
            "Hal Helper",
            "the garden",
            "Tue 8 Dec, morning",
        );
        assert_eq!(
            coming,
            "Peckham Circle: Hello Edna, Hal is coming to help with the garden on Tue 8 Dec, morning. Ring Peckham Circle on 020 7946 0999 if you need to."
        );
        assert!(!coming.contains("Helper") && !coming.contains("Okoye"));
    }

    #[test]
    fn days_and_parts_of_days_are_the_circles() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let tz = chrono_tz::Europe::London;
        assert_eq!(
            day_and_part(at("2026-12-08T09:30:00Z"), tz),
            "Tue 8 Dec, morning"
        );
        assert_eq!(
            day_and_part(at("2026-07-08T11:30:00Z"), tz),
            "Wed 8 Jul, afternoon"
        );
        assert_eq!(
            day_and_part(at("2026-12-08T17:00:00Z"), tz),
            "Tue 8 Dec, evening"
        );
    }
}
