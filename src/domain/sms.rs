//! Text messages as phones count them, and the words people text back. A text is sent in the
//! GSM 03.38 alphabet when every character is in it (160 characters in one part, 153 a part
//! when joined; `€`, `[` and a few others take two), else as UCS-2 (70, and 67 a part; a
//! character outside the Basic Multilingual Plane takes two). A reply is `YES 4821`, `NO 4821`
//! or `OK 4821` (the four-digit code of an offer or a visit), `STOP`, `START` or `HELP`; anything
//! else is not understood.

use rand::Rng;

/// GSM 03.38's basic alphabet (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// GSM 03.38's extension table (an escape and a septet: two each).
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{000C}";

/// How a text is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Gsm,
    Ucs2,
}

/// A text's encoding, its length in that encoding's units, and how many parts it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    pub coding: Coding,
    pub units: usize,
    pub segments: usize,
}

/// Measure a text as a phone network does.
pub fn measure(text: &str) -> Measure {
    let gsm: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENDED.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (coding, units, single, part) = match gsm {
        Some(units) => (Coding::Gsm, units, 160, 153),
        None => (Coding::Ucs2, text.encode_utf16().count(), 70, 67),
    };
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    Measure {
        coding,
        units,
        segments,
    }
}

/// Whether the text fits in `max` parts.
pub fn fits(text: &str, max: usize) -> bool {
    measure(text).segments <= max
}

/// The four-digit code that names one of a helper's offers or visits in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextCode(String);

impl TextCode {
    /// Four digits, or nothing.
    pub fn parse(s: &str) -> Option<TextCode> {
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| TextCode(s.to_string()))
    }

    /// A new code from a cryptographic source, none of `taken` (a helper's codes still in use).
    pub fn draw(taken: &[TextCode]) -> TextCode {
        let mut rng = rand::rng();
        loop {
            let code = TextCode(format!("{:04}", rng.random_range(1000..10_000)));
            if !taken.contains(&code) {
                return code;
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TextCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an answer to an offer or a visit says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Take the offered job.
    Yes,
    /// Turn the offer down.
    No,
    /// Confirm the visit.
    Ok,
}

impl Answer {
    pub fn word(self) -> &'static str {
        match self {
            Answer::Yes => "YES",
            Answer::No => "NO",
            Answer::Ok => "OK",
        }
    }
}

/// What a text from a phone asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    Answer(Answer, TextCode),
    /// `YES`, `NO` or `OK` without a code that reads.
    AnswerWithoutCode(Answer),
    Stop,
    Start,
    Help,
    NotUnderstood,
}

/// Read a text as people write them: any case, spaces or none between the word and the code,
/// a full stop or an exclamation mark after.
pub fn read(text: &str) -> Inbound {
    let cleaned: String = text
        .trim()
        .trim_end_matches(['.', '!'])
        .to_uppercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match cleaned.as_str() {
        "STOP" | "STOP ALL" | "STOPALL" | "UNSUBSCRIBE" | "END" | "QUIT" => return Inbound::Stop,
        "START" | "UNSTOP" => return Inbound::Start,
        "HELP" | "INFO" => return Inbound::Help,
        _ => {}
    }
    for (word, answer) in [("YES", Answer::Yes), ("NO", Answer::No), ("OK", Answer::Ok)] {
        if let Some(rest) = cleaned.strip_prefix(word) {
            let rest = rest.trim();
            if rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            return match TextCode::parse(rest) {
                Some(code) => Inbound::Answer(answer, code),
                None => Inbound::AnswerWithoutCode(answer),
            };
        }
    }
    Inbound::NotUnderstood
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm_and_ucs2_are_counted_as_phones_count_them() {
        let m = measure(&"a".repeat(160));
        assert_eq!((m.coding, m.segments), (Coding::Gsm, 1));
        assert_eq!(measure(&"a".repeat(161)).segments, 2);
        assert_eq!(measure(&"a".repeat(306)).segments, 2);
        assert_eq!(measure(&"a".repeat(307)).segments, 3);
        // The euro takes two septets.
        assert_eq!(measure(&"€".repeat(80)).units, 160);
        assert_eq!(measure(&"€".repeat(81)).segments, 2);
        let polish = format!("Łucja {}", "a".repeat(64));
        let m = measure(&polish);
        assert_eq!((m.coding, m.units, m.segments), (Coding::Ucs2, 70, 1));
        assert_eq!(measure(&format!("{polish}a")).segments, 2);
        assert_eq!(measure(&"ğ".repeat(134)).segments, 2);
        assert_eq!(measure(&"ğ".repeat(135)).segments, 3);
        // An emoji is two UCS-2 units.
        assert_eq!(measure("🙂").units, 2);
        assert_eq!(measure("Café £5 é").coding, Coding::Gsm);
    }

    #[test]
    fn replies_read_as_people_write_them() {
        let code = TextCode::parse("4821").unwrap();
        for yes in [
            "YES 4821",
            "yes 4821",
            " Yes  4821. ",
            "YES4821",
            "yes 4821!",
        ] {
            assert_eq!(
                read(yes),
                Inbound::Answer(Answer::Yes, code.clone()),
                "{yes}"
            );
        }
        assert_eq!(read("no 4821"), Inbound::Answer(Answer::No, code.clone()));
        assert_eq!(read("Ok 4821"), Inbound::Answer(Answer::Ok, code));
        assert_eq!(read("yes"), Inbound::AnswerWithoutCode(Answer::Yes));
        assert_eq!(read("YES 482"), Inbound::AnswerWithoutCode(Answer::Yes));
        assert_eq!(read("Stop"), Inbound::Stop);
        assert_eq!(read("START"), Inbound::Start);
        assert_eq!(read("help"), Inbound::Help);
        for other in ["Nobody came", "okay then", "yesterday", "", "NOPE"] {
            assert_eq!(read(other), Inbound::NotUnderstood, "{other}");
        }
    }

    #[test]
    fn codes_are_four_digits_and_never_one_taken() {
        let taken: Vec<TextCode> = (1000..9999)
            .map(|n| TextCode::parse(&n.to_string()).unwrap())
            .collect();
        assert_eq!(TextCode::draw(&taken).as_str(), "9999");
        assert!(TextCode::parse("12a4").is_none());
        assert!(TextCode::parse("12345").is_none());
    }
}
