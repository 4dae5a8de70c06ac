//! The life of a help request: `open → offered → assigned → completed`, plus `cancelled` and
//! `expired`. Every other step is refused with a reason.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// No helper found yet.
    Open,
    /// Offers are out to helpers.
    Offered,
    Assigned,
    Completed,
    Cancelled,
    /// The window passed with no helper.
    Expired,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::Open,
        RequestStatus::Offered,
        RequestStatus::Assigned,
        RequestStatus::Completed,
        RequestStatus::Cancelled,
        RequestStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Offered => "offered",
            RequestStatus::Assigned => "assigned",
            RequestStatus::Completed => "completed",
            RequestStatus::Cancelled => "cancelled",
            RequestStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        RequestStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown status {s:?}; expected open, offered, assigned, completed, cancelled or expired"))
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            RequestStatus::Completed | RequestStatus::Cancelled | RequestStatus::Expired
        )
    }

    /// The states a request may move to `to` from.
    pub fn sources_of(to: RequestStatus) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match to {
            Open => &[Offered],
            Offered => &[Open, Offered],
            Assigned => &[Open, Offered],
            Completed => &[Assigned],
            Cancelled => &[Open, Offered, Assigned],
            Expired => &[Open, Offered],
        }
    }

    /// May a request move from `self` to `to`? If not, say why in words a caller understands.
    pub fn check_transition(self, to: RequestStatus) -> Result<(), String> {
        if RequestStatus::sources_of(to).contains(&self) {
            return Ok(());
        }
        let verb = match to {
            RequestStatus::Open => "reopened",
            RequestStatus::Offered => "offered",
            RequestStatus::Assigned => "assigned",
            RequestStatus::Completed => "completed",
            RequestStatus::Cancelled => "cancelled",
            RequestStatus::Expired => "expired",
        };
        let why = match (self, to) {
            (RequestStatus::Completed, _) => "it is already completed",
            (RequestStatus::Cancelled, _) => "it was cancelled",
            (RequestStatus::Expired, _) => "its window passed with no helper",
            (RequestStatus::Assigned, RequestStatus::Assigned) => "it already has a helper",
            (_, RequestStatus::Completed) => "no helper is assigned to it yet",
            _ => "that step is not allowed from its current state",
        };
        Err(format!(
            "This request is {} and cannot be {verb}: {why}.",
            self.as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::RequestStatus::*;
    use super::*;

    #[test]
    fn the_happy_path_is_allowed() {
        assert!(Open.check_transition(Offered).is_ok());
        assert!(Offered.check_transition(Assigned).is_ok());
        assert!(Assigned.check_transition(Completed).is_ok());
        assert!(Open.check_transition(Assigned).is_ok());
        assert!(Offered.check_transition(Open).is_ok());
    }

    #[test]
    fn final_states_are_final() {
        for from in [Completed, Cancelled, Expired] {
            for to in RequestStatus::ALL {
                assert!(from.check_transition(to).is_err(), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn refusals_say_why() {
        let e = Open.check_transition(Completed).unwrap_err();
        assert!(e.contains("no helper is assigned"), "{e}");
        let e = Completed.check_transition(Cancelled).unwrap_err();
        assert!(e.contains("already completed"), "{e}");
        assert!(Assigned.check_transition(Expired).is_err());
    }
}
