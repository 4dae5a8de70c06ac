//! Ids as types: a `RequestId` cannot be passed where an `OfferId` is wanted. Each is a UUID in
//! text, as every table stores it; the database conversions live in `db::types`.

use serde::{Deserialize, Serialize};

/// A fresh id: a UUID (version 7) in text, its first part the time it was made and the rest
/// random. Ids made one after another sort one after another, so that each table's index on its
/// id grows at its end: a transaction's new rows share a few pages instead of touching one page
/// each at random (each touched page is written to the log at commit). Ids are names, never
/// secrets: what a caller may reach is decided by the rules, not by an id being hard to guess.
pub fn fresh() -> String {
    uuid::Uuid::now_v7().to_string()
}

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh id ([`fresh`]).
            pub fn new() -> Self {
                $name(fresh())
            }

            /// An id as a caller sent it or the database holds it; whether it names anything is
            /// for the lookup to say.
            pub fn from_string(s: impl Into<String>) -> Self {
                $name(s.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    )+};
}

id_type!(
    /// Any account: member, helper or coordinator.
    UserId,
    /// The account of a member.
    MemberId,
    /// The account of a helper.
    HelperId,
    /// A help request.
    RequestId,
    /// An offer of a request to one helper.
    OfferId,
    /// A safeguarding concern.
    ConcernId,
    /// A standing request.
    SeriesId,
    /// A social event.
    EventId,
    /// A place where someone is signed in: one phone or browser, from signing in to signing out.
    SessionId,
    /// A line of a person's record: a note, a call or a call-back.
    NoteId,
    /// A check behind a helper's vetting.
    CheckId,
);

macro_rules! role_id {
    ($($name:ident),+) => {$(
        impl From<$name> for UserId {
            fn from(id: $name) -> UserId {
                UserId(id.0)
            }
        }

        impl UserId {
            paste_free_as!($name);
        }
    )+};
}

/// `UserId::as_member()` and friends: the same account seen in one of its roles.
macro_rules! paste_free_as {
    (MemberId) => {
        pub fn as_member(&self) -> MemberId {
            MemberId(self.0.clone())
        }
    };
    (HelperId) => {
        pub fn as_helper(&self) -> HelperId {
            HelperId(self.0.clone())
        }
    };
}

role_id!(MemberId, HelperId);

impl PartialEq<UserId> for MemberId {
    fn eq(&self, other: &UserId) -> bool {
        self.0 == other.0
    }
}

impl PartialEq<UserId> for HelperId {
    fn eq(&self, other: &UserId) -> bool {
        self.0 == other.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fresh_uuids_and_compare_across_roles() {
        let a = RequestId::new();
        let b = RequestId::new();
        assert_ne!(a, b);
        assert_eq!(uuid::Uuid::parse_str(a.as_str()).map(|_| ()), Ok(()));
        // Made one after another, they sort one after another (a table's index grows at its end).
        let made: Vec<String> = (0..1000).map(|_| fresh()).collect();
        assert!(made.windows(2).all(|w| w[0] < w[1]));
        assert!(a < b);
        let user = UserId::from_string("u1");
        assert!(user.as_member() == user);
        assert_eq!(String::from(user.as_helper()), "u1");
    }
}
