//! A standing request's rhythm: every week, fortnight or four weeks, on a weekday, in a local time
//! window, from a date until a date or for ever. Which days it falls on, and each occurrence's
//! window in UTC, right across daylight-saving changes.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// When the help recurs.
#[derive(Debug, Clone)]
pub struct Rhythm {
    pub every_weeks: u32,
    pub weekday: Weekday,
    /// Minutes after local midnight.
    pub start_minute: u32,
    pub end_minute: u32,
    pub tz: Tz,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Rhythm {
    /// The first day on the weekday on or after `starts_on`.
    pub fn first_day(&self) -> NaiveDate {
        let ahead = (7 + self.weekday.num_days_from_monday() as i64
            - self.starts_on.weekday().num_days_from_monday() as i64)
            % 7;
        self.starts_on + Duration::days(ahead)
    }

    /// The days it falls on from `from` to `until`, both included.
    pub fn days(&self, from: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
        let step = 7 * i64::from(self.every_weeks.max(1));
        let first = self.first_day();
        let last = self.ends_on.map_or(until, |end| end.min(until));
        let mut day = if from <= first {
            first
        } else {
            let steps = ((from - first).num_days() + step - 1) / step;
            first + Duration::days(steps * step)
        };
        let mut days = Vec::new();
        while day <= last {
            days.push(day);
            day += Duration::days(step);
        }
        days
    }

    /// The occurrence's window on `day` in UTC. A local time the clocks skip (going forward)
    /// moves on by the gap; one that happens twice (going back) is the first.
    pub fn window(&self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            self.instant(day, self.start_minute),
            self.instant(day, self.end_minute),
        )
    }

    fn instant(&self, day: NaiveDate, minute: u32) -> DateTime<Utc> {
        let local = day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute));
        let mut probe = local;
        for _ in 0..4 {
            match self.tz.from_local_datetime(&probe) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(earlier, _) => return earlier.with_timezone(&Utc),
                LocalResult::None => probe += Duration::minutes(30),
            }
        }
        Utc.from_utc_datetime(&local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sunday_mornings(starts_on: NaiveDate, every_weeks: u32) -> Rhythm {
        Rhythm {
            every_weeks,
            weekday: Weekday::Sun,
            start_minute: 10 * 60,
            end_minute: 12 * 60,
            tz: chrono_tz::Europe::London,
            starts_on,
            ends_on: None,
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ten_o_clock_stays_ten_o_clock_across_the_clock_changes() {
        let r = sunday_mornings(d("2027-03-17"), 1);
        let days = r.days(d("2027-03-01"), d("2027-04-04"));
        assert_eq!(days, [d("2027-03-21"), d("2027-03-28"), d("2027-04-04")]);
        let starts: Vec<String> = days
            .iter()
            .map(|day| r.window(*day).0.to_rfc3339())
            .collect();
        // GMT, then BST from the last Sunday of March.
        assert_eq!(
            starts,
            [
                "2027-03-21T10:00:00+00:00",
                "2027-03-28T09:00:00+00:00",
                "2027-04-04T09:00:00+00:00"
            ]
        );
        let autumn = sunday_mornings(d("2027-10-24"), 1);
        let starts: Vec<String> = autumn
            .days(d("2027-10-24"), d("2027-11-07"))
            .iter()
            .map(|day| autumn.window(*day).0.to_rfc3339())
            .collect();
        // BST, then GMT from the last Sunday of October.
        assert_eq!(
            starts,
            [
                "2027-10-24T09:00:00+00:00",
                "2027-10-31T10:00:00+00:00",
                "2027-11-07T10:00:00+00:00"
            ]
        );
    }

    #[test]
    fn a_time_the_clocks_skip_or_repeat_is_still_one_time() {
        let mut r = sunday_mornings(d("2027-03-28"), 1);
        r.start_minute = 60 + 30; // 01:30, which does not happen on 28 March
        assert_eq!(
            r.window(d("2027-03-28")).0.to_rfc3339(),
            "2027-03-28T01:00:00+00:00"
        );
        r.starts_on = d("2027-10-31");
        // 01:30 happens twice on 31 October: the first (BST).
        assert_eq!(
            r.window(d("2027-10-31")).0.to_rfc3339(),
            "2027-10-31T00:30:00+00:00"
        );
    }

    #[test]
    fn fortnights_and_four_weeks_keep_their_step_and_stop_at_the_end() {
        let mut r = sunday_mornings(d("2027-01-01"), 2);
        assert_eq!(r.first_day(), d("2027-01-03"));
        assert_eq!(
            r.days(d("2027-01-10"), d("2027-02-01")),
            [d("2027-01-17"), d("2027-01-31")]
        );
        r.every_weeks = 4;
        r.ends_on = Some(d("2027-03-01"));
        assert_eq!(
            r.days(d("2027-01-01"), d("2027-12-31")),
            [d("2027-01-03"), d("2027-01-31"), d("2027-02-28")]
        );
    }
}
