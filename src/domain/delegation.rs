//! Family delegates: the rights a member (or a coordinator) gives someone who arranges help for
//! them, and which rights each thing a delegate does for the member needs. This is the one place
//! that says what a delegate may do; every use case asks it through [`Caller::on_behalf`].

use std::collections::BTreeSet;

use super::status::Right;
use super::UserId;

/// The rights one delegate holds for one member, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rights(BTreeSet<Right>);

impl Rights {
    pub fn new(rights: impl IntoIterator<Item = Right>) -> Rights {
        Rights(rights.into_iter().collect())
    }

    /// Read as stored: words separated by spaces. An unknown word is an error, never a right.
    pub fn parse(stored: &str) -> Result<Rights, String> {
        stored
            .split_whitespace()
            .map(Right::parse)
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Rights)
    }

    /// As stored: "ask see".
    pub fn stored(&self) -> String {
        self.list()
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn list(&self) -> Vec<Right> {
        self.0.iter().copied().collect()
    }

    pub fn has(&self, right: Right) -> bool {
        self.0.contains(&right)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// May a delegate with these rights do this?
    pub fn allow(&self, deed: Deed) -> bool {
        deed.needs_one_of().iter().any(|r| self.has(*r))
    }
}

/// What a delegate does for their member, by the rights it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deed {
    /// Ask for help, change or cancel it, say nobody came, say how it went, sign up for an event.
    Arrange,
    /// Read the member's requests and visits (to arrange them, or to keep an eye on them).
    ReadRequests,
    /// Read who is coming and how to know them: the words at the door and the helper's photo.
    ReadVisit,
    /// Read the events the member is going to.
    ReadEvents,
    /// The member's tokens, membership and details.
    Account,
}

impl Deed {
    /// Any one of these rights is enough.
    pub fn needs_one_of(self) -> &'static [Right] {
        match self {
            Deed::Arrange => &[Right::Ask],
            Deed::ReadRequests => &[Right::Ask, Right::See],
            Deed::ReadVisit | Deed::ReadEvents => &[Right::See],
            Deed::Account => &[Right::Account],
        }
    }

    /// Why a delegate without the right cannot: one sentence for their screen.
    pub fn refusal(self) -> &'static str {
        match self {
            Deed::Arrange => "You can see this member's help but not arrange it: ask them, or ring the coordinator, to let you.",
            Deed::ReadRequests | Deed::ReadVisit | Deed::ReadEvents => "You have not been asked to see this member's visits: ask them, or ring the coordinator.",
            Deed::Account => "Only a coordinator can let you see this member's account: please ring them.",
        }
    }
}

/// A delegate acting for a member: who they really are, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behalf {
    pub delegate: UserId,
    pub rights: Rights,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_read_and_store_in_one_order() {
        let r = Rights::parse("see ask").unwrap();
        assert_eq!(r.stored(), "ask see");
        assert_eq!(
            Rights::parse("ask sing").map(|_| ()),
            Err("must be one of ask, see, account".into())
        );
        assert!(Rights::parse("").unwrap().is_empty());
    }

    #[test]
    fn each_deed_needs_its_right() {
        let see = Rights::new([Right::See]);
        let ask = Rights::new([Right::Ask]);
        let account = Rights::new([Right::Account]);
        assert!(
            see.allow(Deed::ReadRequests)
                && see.allow(Deed::ReadVisit)
                && see.allow(Deed::ReadEvents)
        );
        assert!(!see.allow(Deed::Arrange) && !see.allow(Deed::Account));
        assert!(ask.allow(Deed::Arrange) && ask.allow(Deed::ReadRequests));
        assert!(!ask.allow(Deed::ReadVisit) && !ask.allow(Deed::Account));
        assert!(account.allow(Deed::Account) && !account.allow(Deed::ReadRequests));
    }
}
