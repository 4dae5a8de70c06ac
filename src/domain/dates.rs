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

/// A renewal does not shorten the year: it starts the day after the current period ends, or
/// today when that has passed (or there is none).
pub fn renewal_starts(current_end: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    match current_end {
        Some(end) if end >= today => end.succ_opt().unwrap_or(end),
        _ => today,
    }
}

/// The last day of a year from `start`.
pub fn a_year_from(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start)
}

/// A vetting renewed with no date runs a year from its current expiry when that has not passed,
/// else a year from today.
pub fn vetting_renewed_until(current: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    let from = current.filter(|d| *d >= today).unwrap_or(today);
    from.checked_add_months(Months::new(12)).unwrap_or(from)
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
    fn renewals_do_not_shorten_the_year() {
        let today = day("2026-11-16");
        // Runs to 11 December: the next starts on the 12th, not today.
        assert_eq!(
            renewal_starts(Some(day("2026-12-11")), today),
            day("2026-12-12")
        );
        assert_eq!(renewal_starts(Some(day("2026-11-01")), today), today);
        assert_eq!(renewal_starts(None, today), today);
        assert_eq!(a_year_from(day("2026-12-12")), day("2027-12-11"));
        assert_eq!(
            vetting_renewed_until(Some(day("2027-01-31")), today),
            day("2028-01-31")
        );
        assert_eq!(
            vetting_renewed_until(Some(day("2026-01-31")), today),
            day("2027-11-16")
        );
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
