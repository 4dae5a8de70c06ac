//! ISO weeks (`2026-W47`) and where they start and end in a time zone.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
}

impl IsoWeek {
    pub fn parse(s: &str) -> Result<IsoWeek, String> {
        let bad = || format!("{s:?} is not an ISO week like 2026-W47");
        let (y, w) = s.trim().split_once("-W").ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let week: u32 = w.parse().map_err(|_| bad())?;
        if y.len() != 4
            || w.len() != 2
            || NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).is_none()
        {
            return Err(bad());
        }
        Ok(IsoWeek { year, week })
    }

    pub fn of(date: NaiveDate) -> IsoWeek {
        let w = date.iso_week();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or_default()
    }

    pub fn previous(self) -> IsoWeek {
        IsoWeek::of(self.monday() - Duration::days(7))
    }

    /// `[start, end)` in UTC: Monday 00:00 to the next Monday 00:00, local time in `tz`. A week with
    /// a daylight-saving change is an hour shorter or longer.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_time(NaiveTime::MIN))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
        };
        let monday = self.monday();
        (midnight(monday), midnight(monday + Duration::days(7)))
    }

    /// The last complete week before `now` in `tz`.
    pub fn last_complete(now: DateTime<Utc>, tz: Tz) -> IsoWeek {
        IsoWeek::of(now.with_timezone(&tz).date_naive()).previous()
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let w = IsoWeek::parse("2026-W47").unwrap();
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.monday(), NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        assert_eq!(w.previous().to_string(), "2026-W46");
        assert_eq!(
            IsoWeek::parse("2027-W01").unwrap().previous().to_string(),
            "2026-W53"
        );
        for bad in ["2026-47", "2026-W54", "26-W01", "2026-W1", "soon"] {
            assert!(IsoWeek::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weeks_start_at_local_midnight() {
        let london = chrono_tz::Europe::London;
        let (s, e) = IsoWeek::parse("2026-W47").unwrap().bounds(london);
        assert_eq!(s.to_rfc3339(), "2026-11-16T00:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-11-23T00:00:00+00:00");
        // The week the clocks go back (25 October 2026) is 169 hours long.
        let (s, e) = IsoWeek::parse("2026-W43").unwrap().bounds(london);
        assert_eq!(s.to_rfc3339(), "2026-10-18T23:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-10-26T00:00:00+00:00");
        assert_eq!((e - s).num_hours(), 169);
    }
}
