//! Field parsers: each returns the clean value or a message for the caller.

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 200;

/// A trimmed text of `min..=max` characters.
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
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("must not contain control characters".into());
    }
    Ok(t.to_string())
}

pub fn name(value: &str) -> Result<String, String> {
    text(value, 1, 100)
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
    text(value, 1, 100)
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
    fn texts() {
        assert!(text("   ", 1, 10).is_err());
        assert_eq!(text(" hi ", 1, 10).unwrap(), "hi");
        assert!(text("abcdefghijk", 1, 10).is_err());
    }
}
