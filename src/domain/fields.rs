//! Field parsers: each returns the clean value or a message for the caller.

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 200;

/// Characters that change how text around them reads without showing themselves: the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
/// direction marks, and the zero-width characters.
fn hidden(c: char) -> bool {
    matches!(c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}'
        | '\u{2060}' | '\u{FEFF}' | '\u{061C}' | '\u{180E}')
}

/// A trimmed text of `min..=max` characters on one line: a name or a title. No control
/// characters, no line breaks, no hidden characters.
pub fn line(value: &str, min: usize, max: usize) -> Result<String, String> {
    let t = value.trim();
    if t.chars().any(|c| c == '\n' || c == '\r') {
        return Err("must be on one line".into());
    }
    if t.chars().any(|c| c.is_control() || hidden(c)) {
        return Err("must not contain control characters or invisible characters".into());
    }
    text(t, min, max)
}

/// A trimmed text of `min..=max` characters, which may run over several lines (`\n`); no other
/// control characters (a carriage return neither) and no hidden characters.
pub fn text(value: &str, min: usize, max: usize) -> Result<String, String> {
    let t = value.trim();
    let n = t.chars().count();
    if n < min {
        if min == 1 {
            return Err("must not be empty".into());
        }
        return Err(format!("must be at least {min} characters"));
    }
    if n > max {
        return Err(format!("must be at most {max} characters"));
    }
    if t.chars()
        .any(|c| (c.is_control() && c != '\n') || hidden(c))
    {
        return Err("must not contain control characters or invisible characters".into());
    }
    Ok(t.to_string())
}

pub fn name(value: &str) -> Result<String, String> {
    line(value, 1, 100)
}

/// An email address, lower-cased. Deliberately simple: one `@`, a dotted domain, no spaces.
pub fn email(value: &str) -> Result<String, String> {
    let e = value.trim().to_lowercase();
    if e.len() > 254 {
        return Err("must be at most 254 characters".into());
    }
    let Some((local, domain)) = e.split_once('@') else {
        return Err("must be an email address like name@example.org".into());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty()
        || local.len() > 64
        || !domain_ok
        || e.chars().any(char::is_whitespace)
        || domain.contains('@')
    {
        return Err("must be an email address like name@example.org".into());
    }
    Ok(e)
}

pub fn password(value: &str) -> Result<String, String> {
    let n = value.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    Ok(value.to_string())
}

/// A phone number: digits, spaces and `+ ( ) -`, with 7 to 15 digits.
pub fn phone(value: &str) -> Result<String, String> {
    let p = value.trim();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if !p
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'))
        || !(7..=15).contains(&digits)
    {
        return Err("must be a phone number with 7 to 15 digits".into());
    }
    Ok(p.to_string())
}

/// An event's title.
pub fn title(value: &str) -> Result<String, String> {
    line(value, 1, 100)
}

pub fn address(value: &str) -> Result<String, String> {
    text(value, 1, 300)
}

pub fn description(value: &str) -> Result<String, String> {
    text(value, 1, 2000)
}

pub fn comment(value: &str) -> Result<String, String> {
    text(value, 1, 2000)
}

pub fn reason(value: &str) -> Result<String, String> {
    text(value, 1, 500)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email(" Ann@Example.org ").unwrap(), "ann@example.org");
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "a@b@c.org",
            "ann@.org",
        ] {
            assert!(email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(password("123456789").is_err());
        assert!(password("1234567890").is_ok());
    }

    #[test]
    fn phones() {
        assert!(phone("+44 20 7946 0018").is_ok());
        assert!(phone("12").is_err());
        assert!(phone("call me").is_err());
    }

    #[test]
    fn names_are_one_visible_line() {
        assert_eq!(name("  Ann Ünal ").unwrap(), "Ann Ünal");
        for bad in [
            "Ann\nAddress: 1 Fake St",
            "Ann\r\nX",
            "Ann\tX",
            "Ann\u{202E}lanU",
            "Ann\u{2066}X",
            "Ann\u{200B}X",
            "Ann\u{FEFF}",
            "Ann\u{0007}",
        ] {
            assert!(name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            description("Front hedge\nand the back").unwrap(),
            "Front hedge\nand the back"
        );
        assert!(description("Front hedge\r\nand the back").is_err());
        assert!(description("Hedge\u{202E}").is_err());
        assert!(description("Hedge\u{0000}").is_err());
    }

    #[test]
    fn texts() {
        assert!(text("   ", 1, 10).is_err());
        assert_eq!(text(" hi ", 1, 10).unwrap(), "hi");
        assert!(text("abcdefghijk", 1, 10).is_err());
    }
}
