//! UK postcodes: a type that can only hold a well-formed one, written the Royal Mail's way
//! ("SE15 4QF"), whatever case or spacing between its two parts it was typed in ("se154qf",
//! " SE15  4QF "). Its district is the outward code ("SE15"), which is how people name an area.
//! [`PATTERN`] is the same rule for the API document.

use std::fmt;

/// What [`Postcode::parse`] accepts, as a regular expression (for the API document).
pub const PATTERN: &str =
    r"^\s*([A-Za-z]{1,2}[0-9][A-Za-z0-9]? *[0-9][A-Za-z]{2}|[Gg][Ii][Rr] *0[Aa][Aa])\s*$";

/// A well-formed UK postcode, upper case, one space before the inward code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode(String);

impl Postcode {
    /// Read a postcode typed any way; `Err` says what is wrong, in words for the person.
    pub fn parse(input: &str) -> Result<Postcode, String> {
        let bad = || {
            format!(
                "{:?} is not a UK postcode: write it as on a letter, like SE15 4QF",
                input.trim()
            )
        };
        let trimmed = input.trim();
        if !trimmed.is_ascii() || trimmed.len() < 5 {
            return Err(bad());
        }
        // Spaces are allowed only between the outward code and the three-character inward code.
        let (head, inward) = trimmed.split_at(trimmed.len() - 3);
        let outward = head.trim_end_matches(' ').to_ascii_uppercase();
        let inward = inward.to_ascii_uppercase();
        if outward == "GIR" && inward == "0AA" {
            return Ok(Postcode("GIR 0AA".into()));
        }
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
        };
        if !inward_ok || !outward_is_well_formed(&outward) {
            return Err(bad());
        }
        Ok(Postcode(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The outward code: "SE15" of "SE15 4QF".
    pub fn district(&self) -> &str {
        self.0.split(' ').next().unwrap_or(&self.0)
    }
}

/// `A9`, `A99`, `AA9`, `AA99`, `A9A`, `AA9A`: an area of one or two letters, a district digit,
/// then an optional digit or letter.
fn outward_is_well_formed(outward: &str) -> bool {
    let b = outward.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) {
        return false;
    }
    let rest = &b[letters..];
    match rest {
        [d] => d.is_ascii_digit(),
        [d, e] => d.is_ascii_digit() && (e.is_ascii_digit() || e.is_ascii_uppercase()),
        _ => false,
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_spacing_or_case_reads_as_the_same_postcode() {
        for typed in ["se154qf", " SE15  4QF ", "SE15 4QF", "\tse15 4qf\n"] {
            assert_eq!(
                Postcode::parse(typed).unwrap().as_str(),
                "SE15 4QF",
                "{typed}"
            );
        }
        assert_eq!(Postcode::parse("w1a1aa").unwrap().as_str(), "W1A 1AA");
        assert_eq!(Postcode::parse("SE5 8RS").unwrap().district(), "SE5");
        assert_eq!(Postcode::parse("EC1A 1BB").unwrap().district(), "EC1A");
        assert_eq!(Postcode::parse("gir 0aa").unwrap().as_str(), "GIR 0AA");
    }

    #[test]
    fn what_is_not_a_postcode_is_refused_in_words() {
        for bad in [
            "",
            "SE15",
            "12345",
            "SE15 4Q",
            "SE15 QQF",
            "SEE15 4QF",
            "51.4686, -0.0712",
            "SÉ15 4QF",
            "S E15 4QF",
            "SE15\t4QF",
            "SE15 4 QF",
        ] {
            let why = Postcode::parse(bad).unwrap_err();
            assert!(why.contains("is not a UK postcode"), "{bad}: {why}");
        }
    }
}
