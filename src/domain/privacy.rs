//! When a helper may see a member's address and phone: only while the visit is theirs. From
//! assignment until [`CONTACT_HOURS_AFTER_WINDOW`] hours after the window ends, and only while
//! the request is still assigned to them (not completed, cancelled or withdrawn from), they are
//! approved with vetting that has not run out, and the member has not blocked them. Outside
//! that time the helper sees the job and its area, never the member's exact place. The same
//! rule holds for a standing request's place: its regular helper sees it only while approved,
//! in date and not blocked.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::{RequestStatus, VettingStatus};

/// A helper keeps a visit's contact details this long after its window ends.
pub const CONTACT_HOURS_AFTER_WINDOW: i64 = 24;

/// What decides whether a helper sees a member's contact details on one request.
#[derive(Debug, Clone, Copy)]
pub struct ContactFacts {
    /// The helper asking is the one the request is assigned to.
    pub assigned_to_them: bool,
    pub status: RequestStatus,
    pub window_end: NaiveDateTime,
    pub vetting: VettingStatus,
    pub vetting_expires_on: Option<NaiveDate>,
    pub blocked_by_member: bool,
}

/// Whether the helper sees the member's address and phone at `now`.
pub fn helper_sees_contact(f: &ContactFacts, now: NaiveDateTime) -> bool {
    f.assigned_to_them
        && f.status == RequestStatus::Assigned
        && now <= f.window_end + Duration::hours(CONTACT_HOURS_AFTER_WINDOW)
        && f.vetting == VettingStatus::Approved
        && f.vetting_expires_on.is_some_and(|d| d >= now.date())
        && !f.blocked_by_member
}

/// Whether a standing request's regular helper sees the member's exact place.
pub fn regular_helper_sees_place(
    is_regular_helper: bool,
    vetting: VettingStatus,
    vetting_expires_on: Option<NaiveDate>,
    blocked_by_member: bool,
    now: NaiveDateTime,
) -> bool {
    is_regular_helper
        && vetting == VettingStatus::Approved
        && vetting_expires_on.is_some_and(|d| d >= now.date())
        && !blocked_by_member
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn visit() -> ContactFacts {
        ContactFacts {
            assigned_to_them: true,
            status: RequestStatus::Assigned,
            window_end: at("2026-12-08 13:00"),
            vetting: VettingStatus::Approved,
            vetting_expires_on: NaiveDate::from_ymd_opt(2027, 6, 1),
            blocked_by_member: false,
        }
    }

    #[test]
    fn shown_while_the_visit_is_theirs() {
        assert!(helper_sees_contact(&visit(), at("2026-12-07 09:00")));
        assert!(helper_sees_contact(&visit(), at("2026-12-09 13:00")));
    }

    #[test]
    fn hidden_after_the_day_after_and_whenever_anything_else_fails() {
        assert!(!helper_sees_contact(&visit(), at("2026-12-09 13:01")));
        let now = at("2026-12-08 09:00");
        for f in [
            ContactFacts {
                assigned_to_them: false,
                ..visit()
            },
            ContactFacts {
                status: RequestStatus::Completed,
                ..visit()
            },
            ContactFacts {
                status: RequestStatus::Cancelled,
                ..visit()
            },
            ContactFacts {
                vetting: VettingStatus::Suspended,
                ..visit()
            },
            ContactFacts {
                vetting_expires_on: NaiveDate::from_ymd_opt(2026, 12, 7),
                ..visit()
            },
            ContactFacts {
                vetting_expires_on: None,
                ..visit()
            },
            ContactFacts {
                blocked_by_member: true,
                ..visit()
            },
        ] {
            assert!(!helper_sees_contact(&f, now), "{f:?}");
        }
    }
}
