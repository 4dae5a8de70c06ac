//! How a person can be reached without a coordinator ringing: by email, by the app, or by text
//! to a mobile. Numbers are read with libphonenumber's rules for the United Kingdom (the
//! `phonenumber` crate), so that `07911 123456`, `+44 7911 123456` and `0044 7911 123456` are
//! one number; landlines (`01…`, `02…`) take calls but not texts. A person's `contact_by` lists
//! the ways to reach them in order; left unset, their details give it: email when they have one,
//! then a text to a UK mobile, then a call to any phone.

use super::Channel;

/// The most ways a person lists.
pub const MOST_CHANNELS: usize = 4;

/// The ways their details give, in order: email, a text to a mobile, a call to any phone.
pub fn default_route(email: Option<&str>, phone: Option<&str>) -> Vec<Channel> {
    let has = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    let mut route = Vec::new();
    if has(email) {
        route.push(Channel::Email);
    }
    if phone.is_some_and(is_uk_mobile) {
        route.push(Channel::Sms);
    }
    if has(phone) {
        route.push(Channel::PhoneCall);
    }
    route
}

/// The ways to reach a person: as stored (`"email,phone_call"`), or the default their details
/// give when nothing is stored (or what is stored no longer reads).
pub fn route(stored: Option<&str>, email: Option<&str>, phone: Option<&str>) -> Vec<Channel> {
    stored
        .filter(|s| !s.is_empty())
        .and_then(|s| {
            s.split(',')
                .map(Channel::parse)
                .collect::<Result<Vec<_>, _>>()
                .ok()
        })
        .unwrap_or_else(|| default_route(email, phone))
}

/// Whether written messages go to this person by text rather than by email: `sms` comes before
/// `email` in their ways (or they list no email).
pub fn texts_first(route: &[Channel]) -> bool {
    let at = |c: Channel| route.iter().position(|r| *r == c);
    match (at(Channel::Sms), at(Channel::Email)) {
        (Some(sms), Some(email)) => sms < email,
        (Some(_), None) => true,
        _ => false,
    }
}

/// The ways as stored.
pub fn stored(route: &[Channel]) -> String {
    route
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A list of ways as sent: one to four, none twice.
pub fn parse_route(words: &[String]) -> Result<Vec<Channel>, String> {
    if words.is_empty() || words.len() > MOST_CHANNELS {
        return Err(format!("must list 1 to {MOST_CHANNELS} ways, in order"));
    }
    let mut route = Vec::new();
    for w in words {
        let c = Channel::parse(w)?;
        if route.contains(&c) {
            return Err(format!("lists {w} twice"));
        }
        route.push(c);
    }
    Ok(route)
}

/// Why a way cannot be used with these details, for a 422; `None` when every way can.
pub fn unusable(route: &[Channel], email: Option<&str>, phone: Option<&str>) -> Option<String> {
    let has = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    route.iter().find_map(|c| match c {
        Channel::Email if !has(email) => Some("email: they have no email address".to_string()),
        Channel::Sms if !phone.is_some_and(is_uk_mobile) => {
            Some("sms: their phone is not a UK mobile".to_string())
        }
        Channel::PhoneCall if !has(phone) => {
            Some("phone_call: they have no phone number".to_string())
        }
        _ => None,
    })
}

/// A phone number as written in the Circle (the United Kingdom), read with libphonenumber's
/// rules (the `phonenumber` crate): `None` when it is not a number there.
fn read(phone: &str) -> Option<phonenumber::PhoneNumber> {
    phonenumber::parse(Some(phonenumber::country::Id::GB), phone).ok()
}

/// The number in E.164 (`+447911123456`), however it was written; `None` when it is not one.
pub fn e164(phone: &str) -> Option<String> {
    let n = read(phone)?;
    (n.is_valid() || drama(&n)).then(|| n.format().mode(phonenumber::Mode::E164).to_string())
}

/// Ofcom's numbers for drama (07700 900000 to 07700 900999) reach nobody; they count as
/// mobiles, so that examples and tests use them.
fn drama(n: &phonenumber::PhoneNumber) -> bool {
    n.code().value() == 44 && (7_700_900_000..=7_700_900_999).contains(&n.national().value())
}

/// Load libphonenumber's metadata and the United Kingdom's rules now (at start), rather than on
/// the first number read: a one-time cost of memory and time that no request should pay.
pub fn warm() {
    let _ = is_uk_mobile("07911 123456") && e164("020 7946 0999").is_some();
}

/// Whether `phone` is a UK mobile number (one that takes texts).
pub fn is_uk_mobile(phone: &str) -> bool {
    read(phone).is_some_and(|n| {
        drama(&n)
            || (n.code().value() == 44
                && n.number_type(&phonenumber::metadata::DATABASE) == phonenumber::Type::Mobile)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_however_written_and_landlines_not() {
        for mobile in [
            "07700 900123",
            "+44 7700 900123",
            "0044 7700 900123",
            "(07700) 900-123",
            "07911 123456",
            "+44 7911 123456",
        ] {
            assert!(is_uk_mobile(mobile), "{mobile}");
        }
        assert_eq!(e164("07911 123456").as_deref(), Some("+447911123456"));
        assert_eq!(
            e164("+44 (0)20 7946 0999").as_deref(),
            Some("+442079460999")
        );
        assert_eq!(e164("not a number"), None);
        for drama in [
            "07700 900123",
            "+44 7700 900123",
            "447700900123",
            "0044 7700 900123",
        ] {
            assert_eq!(e164(drama).as_deref(), Some("+447700900123"), "{drama}");
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

    #[test]
    fn routes_default_from_the_details_and_are_checked() {
        use Channel::*;
        assert_eq!(
            default_route(Some("a@b.org"), Some("020 7946 0999")),
            [Email, PhoneCall]
        );
        assert_eq!(default_route(None, Some("07700 900123")), [Sms, PhoneCall]);
        assert!(default_route(None, None).is_empty());
        assert_eq!(
            route(Some("phone_call,email"), Some("a@b.org"), None),
            [PhoneCall, Email]
        );
        assert_eq!(
            route(Some("pigeon"), None, Some("07700 900123")),
            [Sms, PhoneCall]
        );
        assert_eq!(stored(&[Sms, App]), "sms,app");
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_route(&words(&["app", "email"])), Ok(vec![App, Email]));
        assert!(parse_route(&words(&[])).is_err());
        assert!(parse_route(&words(&["email", "email"])).is_err());
        assert!(parse_route(&words(&["fax"])).is_err());
        assert!(unusable(&[Sms], None, Some("020 7946 0999")).is_some());
        assert!(unusable(&[Email], None, Some("020 7946 0999")).is_some());
        assert_eq!(
            unusable(&[PhoneCall, App], None, Some("020 7946 0999")),
            None
        );
    }
}
