//! The time the service acts at, given to it: the system's clock when serving; in tests, the
//! system's clock moved on by as much as a test says (time still flows, so that what is made
//! keeps its order), or a clock that stands still until it is moved (the simulated month). A
//! use case never reads the system's time itself.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDateTime};

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// The system's time plus this much.
    Shifted(Duration),
    /// This time, until moved.
    Stopped(NaiveDateTime),
}

/// Where "now" comes from.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<Mutex<Kind>>>);

impl Clock {
    /// The system's clock (to the microsecond, as both databases keep times).
    pub fn system() -> Clock {
        Clock(None)
    }

    /// The system's clock, which [`Clock::advance`] moves on.
    pub fn movable() -> Clock {
        Clock(Some(Arc::new(Mutex::new(Kind::Shifted(Duration::zero())))))
    }

    /// A clock standing at `at` until it is moved.
    pub fn stopped_at(at: NaiveDateTime) -> Clock {
        Clock(Some(Arc::new(Mutex::new(Kind::Stopped(at)))))
    }

    pub fn now(&self) -> NaiveDateTime {
        match &self.0 {
            None => crate::db::now(),
            Some(k) => match *k.lock().unwrap_or_else(|p| p.into_inner()) {
                Kind::Shifted(by) => crate::db::now() + by,
                Kind::Stopped(at) => at,
            },
        }
    }

    /// Move the clock on by `by` (the system's own clock cannot be moved).
    pub fn advance(&self, by: Duration) {
        if let Some(k) = &self.0 {
            let mut k = k.lock().unwrap_or_else(|p| p.into_inner());
            *k = match *k {
                Kind::Shifted(d) => Kind::Shifted(d + by),
                Kind::Stopped(at) => Kind::Stopped(at + by),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_clock_moves_only_when_told() {
        let at = NaiveDateTime::parse_from_str("2026-12-07 09:00", "%Y-%m-%d %H:%M").unwrap();
        let c = Clock::stopped_at(at);
        assert_eq!(c.now(), at);
        c.advance(Duration::hours(2));
        assert_eq!(c.now(), at + Duration::hours(2));
        let m = Clock::movable();
        m.advance(Duration::days(2));
        assert!(m.now() > crate::db::now() + Duration::hours(47));
    }
}
