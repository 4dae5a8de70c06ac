//! How a person can be reached without a coordinator ringing: by email, by the app, or by text
//! to a mobile. A UK mobile number is `07…` with eleven digits, however it is written
//! (`07700 900123`, `+44 7700 900123`, `0044 7700 900123`, `447700900123`); landlines (`01…`,
//! `02…`) take calls but not texts.

/// Whether `phone` is a UK mobile number.
pub fn is_uk_mobile(phone: &str) -> bool {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{rest}")
    } else if digits.starts_with("44")
        && (phone.trim_start().starts_with('+') || digits.len() == 12)
    {
        format!("0{}", &digits[2..])
    } else {
        digits
    };
    national.len() == 11 && national.starts_with("07")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_however_written_and_landlines_not() {
        for mobile in [
            "07700 900123",
            "+44 7700 900123",
            "447700900123",
            "0044 7700 900123",
            "(07700) 900-123",
        ] {
            assert!(is_uk_mobile(mobile), "{mobile}");
        }
        for not in [
            "020 7946 0999",
            "01632 960123",
            "0770090012",
            "+1 202 555 0100",
            "",
        ] {
            assert!(!is_uk_mobile(not), "{not}");
        }
    }
}
