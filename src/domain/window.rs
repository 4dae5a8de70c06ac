//! When a member wants the help: a window, and how long the job takes inside it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::validator::FieldError;

pub const MAX_DURATION_MINUTES: i64 = 8 * 60;
pub const MAX_WINDOW_DAYS: i64 = 60;

/// How soon and how far ahead a window may start (`requests.min_notice_minutes`,
/// `requests.max_days_ahead`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub min: Duration,
    pub max_days_ahead: i64,
}

impl Default for Notice {
    fn default() -> Self {
        Notice {
            min: Duration::minutes(60),
            max_days_ahead: 90,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TimeWindow {
    #[schema(value_type = String, format = DateTime, example = "2026-11-23T10:00:00Z")]
    pub start: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime, example = "2026-11-23T16:00:00Z")]
    pub end: DateTime<Utc>,
}

impl TimeWindow {
    /// A window for a new request: ends after it starts, starts at least the notice from now
    /// (today is fine), not too long or far ahead, and holds `duration_minutes` (1 to 480).
    /// Errors name `window.*` and `duration_minutes`.
    pub fn parse_for_request(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        duration_minutes: i64,
        now: DateTime<Utc>,
        notice: Notice,
    ) -> Result<(Self, i32), Vec<FieldError>> {
        let mut errors = Vec::new();
        if end <= start {
            errors.push(FieldError::new("window.end", "must be after window.start"));
        } else if end - start > Duration::days(MAX_WINDOW_DAYS) {
            errors.push(FieldError::new(
                "window.end",
                format!("the window may be at most {MAX_WINDOW_DAYS} days long"),
            ));
        }
        if start <= now {
            errors.push(FieldError::new(
                "window.start",
                "has already passed: choose a time that is still to come",
            ));
        } else if start < now + notice.min {
            errors.push(FieldError::new(
                "window.start",
                format!(
                    "must be at least {} minutes from now, for a helper to get there; for sooner, ring the Circle",
                    notice.min.num_minutes()
                ),
            ));
        }
        if start > now + Duration::days(notice.max_days_ahead) {
            errors.push(FieldError::new(
                "window.start",
                format!("must be within {} days from now", notice.max_days_ahead),
            ));
        }
        if !(1..=MAX_DURATION_MINUTES).contains(&duration_minutes) {
            errors.push(FieldError::new(
                "duration_minutes",
                format!("must be between 1 and {MAX_DURATION_MINUTES} minutes"),
            ));
        } else if end > start && Duration::minutes(duration_minutes) > end - start {
            errors.push(FieldError::new(
                "duration_minutes",
                "must fit inside the window",
            ));
        }
        if errors.is_empty() {
            Ok((TimeWindow { start, end }, duration_minutes as i32))
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 1, 1, h, 0, 0).unwrap()
    }

    #[test]
    fn good_window() {
        let now = Utc.with_ymd_and_hms(2029, 12, 31, 0, 0, 0).unwrap();
        assert!(TimeWindow::parse_for_request(t(9), t(12), 60, now, Notice::default()).is_ok());
    }

    #[test]
    fn today_with_notice_and_not_too_far() {
        let now = t(7);
        let n = Notice::default();
        let fields = |r: Result<(TimeWindow, i32), Vec<FieldError>>| {
            r.err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        // Today, an hour and more ahead: taken.
        assert!(TimeWindow::parse_for_request(t(8), t(12), 60, now, n).is_ok());
        // Less than the notice, or started: the start is named.
        let soon = now + Duration::minutes(30);
        assert_eq!(
            fields(TimeWindow::parse_for_request(soon, t(12), 60, now, n)),
            ["window.start"]
        );
        assert_eq!(
            fields(TimeWindow::parse_for_request(t(6), t(12), 60, now, n)),
            ["window.start"]
        );
        // No notice at all still refuses a window that has started.
        let none = Notice {
            min: Duration::zero(),
            ..n
        };
        assert!(TimeWindow::parse_for_request(soon, t(12), 60, now, none).is_ok());
        assert_eq!(
            fields(TimeWindow::parse_for_request(now, t(12), 60, now, none)),
            ["window.start"]
        );
        // 90 days ahead is the edge.
        let far = now + Duration::days(91);
        assert_eq!(
            fields(TimeWindow::parse_for_request(
                far,
                far + Duration::hours(2),
                60,
                now,
                n
            )),
            ["window.start"]
        );
    }

    #[test]
    fn each_rule() {
        let now = Utc.with_ymd_and_hms(2029, 12, 31, 0, 0, 0).unwrap();
        let fields = |r: Result<(TimeWindow, i32), Vec<FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(TimeWindow::parse_for_request(
                t(12),
                t(9),
                60,
                now,
                Notice::default()
            )),
            ["window.end"]
        );
        assert_eq!(
            fields(TimeWindow::parse_for_request(
                t(9),
                t(10),
                90,
                now,
                Notice::default()
            )),
            ["duration_minutes"]
        );
        assert_eq!(
            fields(TimeWindow::parse_for_request(
                t(1),
                t(23),
                481,
                now,
                Notice::default()
            )),
            ["duration_minutes"]
        );
        assert_eq!(
            fields(TimeWindow::parse_for_request(
                t(1),
                t(23),
                0,
                now,
                Notice::default()
            )),
            ["duration_minutes"]
        );
        let later = Utc.with_ymd_and_hms(2030, 2, 1, 0, 0, 0).unwrap();
        assert_eq!(
            fields(TimeWindow::parse_for_request(
                t(9),
                t(12),
                60,
                later,
                Notice::default()
            )),
            ["window.start"]
        );
    }
}
