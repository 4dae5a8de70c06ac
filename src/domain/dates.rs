//! The dates a Circle means: events, memberships, vetting, standing requests and time off lie
//! within a year back and three years ahead of today. Anything else (2001, 3000, 9999-12-31) is
//! a typing slip, refused with the field's name.

use chrono::{DateTime, Months, NaiveDate, Utc};

/// How far back a date may lie.
pub const MONTHS_BACK: u32 = 12;
/// How far ahead a date may lie.
pub const MONTHS_AHEAD: u32 = 36;

/// The first and last dates taken on `today`.
pub fn range(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        today
            .checked_sub_months(Months::new(MONTHS_BACK))
            .unwrap_or(today),
        today
            .checked_add_months(Months::new(MONTHS_AHEAD))
            .unwrap_or(today),
    )
}

/// `d`, when it lies in [`range`]; else why not, for a 422.
pub fn date(d: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    let (first, last) = range(today);
    if d < first {
        return Err(format!("must not be before {}", first.format("%-d %B %Y")));
    }
    if d > last {
        return Err(format!("must not be after {}", last.format("%-d %B %Y")));
    }
    Ok(d)
}

/// `t`, when its day (in UTC) lies in [`range`].
pub fn time(t: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    date(t.date_naive(), now.date_naive()).map(|_| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_year_back_and_three_ahead() {
        let today = day("2026-12-06");
        assert!(date(day("2025-12-06"), today).is_ok());
        assert!(date(day("2029-12-06"), today).is_ok());
        assert!(date(day("2025-12-05"), today).is_err());
        assert!(date(day("2029-12-07"), today).is_err());
        for far in ["0001-01-01", "2001-01-01", "3000-01-01", "9999-12-31"] {
            assert!(date(day(far), today).is_err(), "{far}");
        }
    }
}
