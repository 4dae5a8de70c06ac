//! Social events' rules, with no I/O: who gets a place when signing up, and when a lift to an
//! event runs.

use chrono::{DateTime, Duration, Utc};

use super::SignupStatus;

/// How long before the start a lift may pick a member up, and after the end bring them home.
pub const LIFT_MARGIN_MINUTES: i64 = 30;

/// A sign-up goes if a place is free, and waits otherwise.
pub fn place_for(going: i64, capacity: i32) -> SignupStatus {
    if going < i64::from(capacity) {
        SignupStatus::Going
    } else {
        SignupStatus::Waiting
    }
}

/// A lift there and home again: from half an hour before the start to half an hour after the
/// end, the whole of it the helper's time.
pub struct LiftTimes {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub duration_minutes: i32,
}

pub fn lift_times(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> LiftTimes {
    let margin = Duration::minutes(LIFT_MARGIN_MINUTES);
    let start = starts_at - margin;
    let end = ends_at + margin;
    LiftTimes {
        start,
        end,
        duration_minutes: (end - start).num_minutes().clamp(1, i64::from(i32::MAX)) as i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_last_place_goes_and_the_next_waits() {
        assert_eq!(place_for(0, 1), SignupStatus::Going);
        assert_eq!(place_for(2, 3), SignupStatus::Going);
        assert_eq!(place_for(3, 3), SignupStatus::Waiting);
        assert_eq!(place_for(4, 3), SignupStatus::Waiting);
    }

    #[test]
    fn a_lift_covers_the_way_there_and_back() {
        let start = Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap();
        let lift = lift_times(start, start + Duration::hours(2));
        assert_eq!(lift.start, start - Duration::minutes(30));
        assert_eq!(lift.end, start + Duration::minutes(150));
        assert_eq!(lift.duration_minutes, 180);
    }
}
