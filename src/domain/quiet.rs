//! Quiet hours: the Circle's night, when offers do not run out and nothing wakes anyone.
//!
//! A span such as `21:00-08:00` in the Circle's time zone (it may cross midnight). An offer's
//! time to answer counts only the waking hours outside it, and messages that can wait are sent
//! when it ends.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};

/// The nightly span, or none at all (`""`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuietSpan(Option<(NaiveTime, NaiveTime)>);

impl QuietSpan {
    /// `"HH:MM-HH:MM"`, or `""` for no quiet hours.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(QuietSpan(None));
        }
        let bad =
            || format!("quiet hours must read like \"21:00-08:00\" (or be empty), not {text:?}");
        let (from, to) = text.split_once('-').ok_or_else(bad)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        let (from, to) = (time(from)?, time(to)?);
        if from == to {
            return Err(bad());
        }
        Ok(QuietSpan(Some((from, to))))
    }

    /// The span in a Circle's time zone.
    pub fn in_zone(self, tz: Tz) -> QuietHours {
        QuietHours { span: self.0, tz }
    }
}

impl<'de> Deserialize<'de> for QuietSpan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        QuietSpan::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Quiet hours in the Circle's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    span: Option<(NaiveTime, NaiveTime)>,
    tz: Tz,
}

/// How far ahead a visit may start and still wait for the morning: sooner than this, its offers
/// and messages go at once, night or not.
pub const URGENT_WITHIN_HOURS: i64 = 12;

impl QuietHours {
    pub fn none(tz: Tz) -> Self {
        QuietHours { span: None, tz }
    }

    /// Whether `at` falls in quiet hours.
    pub fn is_quiet(&self, at: DateTime<Utc>) -> bool {
        let Some((from, to)) = self.span else {
            return false;
        };
        let t = at.with_timezone(&self.tz).time();
        if from < to {
            from <= t && t < to
        } else {
            t >= from || t < to
        }
    }

    /// `at` itself when awake, else the end of the quiet hours it falls in.
    pub fn next_waking(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let Some((_, to)) = self.span else {
            return at;
        };
        if !self.is_quiet(at) {
            return at;
        }
        let local = at.with_timezone(&self.tz);
        let mut day = local.date_naive();
        if local.time() >= to {
            day = day.succ_opt().unwrap_or(day);
        }
        self.instant(day.and_time(to)).unwrap_or(at).max(at)
    }

    /// A wall time in the Circle's zone as an instant. A clock change can make a wall time
    /// missing or double: the earliest that exists, up to two hours later.
    fn instant(&self, wall: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
        (0..4).find_map(|half_hours| {
            self.tz
                .from_local_datetime(&(wall + Duration::minutes(30 * half_hours)))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        })
    }

    /// The moment `length` of waking time after `from` has passed.
    pub fn add_waking(&self, from: DateTime<Utc>, length: Duration) -> DateTime<Utc> {
        if self.span.is_none() {
            return from + length;
        }
        let mut at = self.next_waking(from);
        let mut left = length;
        // Each turn crosses one waking stretch; a year of them is more than any offer needs.
        for _ in 0..400 {
            let sleep = self.next_quiet(at);
            if at + left <= sleep {
                return at + left;
            }
            left -= sleep - at;
            at = self.next_waking(sleep);
        }
        at + left
    }

    /// Whether a message about a visit starting at `start` may wake people: only when it is
    /// near.
    pub fn urgent(&self, now: DateTime<Utc>, start: DateTime<Utc>) -> bool {
        start - now <= Duration::hours(URGENT_WITHIN_HOURS)
    }

    /// When a message made at `now` about a visit starting at `start` is to be sent.
    pub fn send_at(&self, now: DateTime<Utc>, start: DateTime<Utc>) -> DateTime<Utc> {
        if self.urgent(now, start) {
            now
        } else {
            self.next_waking(now)
        }
    }

    /// The next start of quiet hours at or after `at` (which is awake).
    fn next_quiet(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let Some((from, _)) = self.span else {
            return at + Duration::days(3650);
        };
        let local = at.with_timezone(&self.tz);
        let mut day = local.date_naive();
        if local.time() >= from {
            day = day.succ_opt().unwrap_or(day);
        }
        self.instant(day.and_time(from))
            .filter(|t| *t > at)
            .unwrap_or(at + Duration::hours(24))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn london(text: &str) -> QuietHours {
        QuietSpan::parse(text)
            .unwrap()
            .in_zone(chrono_tz::Europe::London)
    }

    fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        // December: London is on UTC.
        Utc.with_ymd_and_hms(2026, 12, day, h, m, 0).unwrap()
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!(QuietSpan::parse("").unwrap(), QuietSpan(None));
        assert!(QuietSpan::parse("21:00-08:00").is_ok());
        for bad in ["21-08", "21:00", "25:00-08:00", "08:00-08:00", "night"] {
            assert!(QuietSpan::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_night_across_midnight() {
        let q = london("21:00-08:00");
        assert!(q.is_quiet(at(7, 0, 17)));
        assert!(q.is_quiet(at(7, 21, 0)));
        assert!(!q.is_quiet(at(7, 8, 0)));
        assert!(!q.is_quiet(at(7, 20, 59)));
        assert_eq!(q.next_waking(at(7, 0, 17)), at(7, 8, 0));
        assert_eq!(q.next_waking(at(7, 22, 0)), at(8, 8, 0));
        assert_eq!(q.next_waking(at(7, 12, 0)), at(7, 12, 0));
    }

    #[test]
    fn an_offer_at_a_quarter_past_midnight_runs_out_in_the_morning() {
        let q = london("21:00-08:00");
        assert_eq!(q.add_waking(at(7, 0, 17), Duration::hours(2)), at(7, 10, 0));
        // Started in the evening, it pauses for the night.
        assert_eq!(q.add_waking(at(7, 20, 0), Duration::hours(2)), at(8, 9, 0));
        // A day of waking hours (13 a day) spans a night.
        assert_eq!(q.add_waking(at(7, 8, 0), Duration::hours(24)), at(8, 19, 0));
        // None at all: plain time.
        let none = london("");
        assert_eq!(
            none.add_waking(at(7, 0, 17), Duration::hours(2)),
            at(7, 2, 17)
        );
    }

    #[test]
    fn near_visits_go_at_once() {
        let q = london("21:00-08:00");
        assert_eq!(q.send_at(at(7, 0, 17), at(7, 9, 0)), at(7, 0, 17));
        assert_eq!(q.send_at(at(7, 0, 17), at(8, 9, 0)), at(7, 8, 0));
    }

    #[test]
    fn a_daytime_span() {
        let q = london("12:00-14:00");
        assert!(q.is_quiet(at(7, 13, 0)));
        assert!(!q.is_quiet(at(7, 23, 0)));
        assert_eq!(q.add_waking(at(7, 11, 0), Duration::hours(2)), at(7, 15, 0));
    }
}
