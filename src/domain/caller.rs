//! Who is asking: the signed-in account and its role, as every use case receives it.

use super::delegation::{Behalf, Deed, Rights};
use super::ids::UserId;
use super::status::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: UserId,
    pub role: Role,
    /// Set when a delegate acts for a member: `id` and `role` are then the member's, so that the
    /// member's rules apply, and this says who really asked and what they may do.
    pub on_behalf: Option<Behalf>,
}

impl Caller {
    pub fn new(id: UserId, role: Role) -> Caller {
        Caller {
            id,
            role,
            on_behalf: None,
        }
    }

    /// This caller, a delegate with `rights`, acting for `member`.
    pub fn for_member(&self, member: &str, rights: Rights) -> Caller {
        Caller {
            id: UserId::from_string(member),
            role: Role::Member,
            on_behalf: Some(Behalf {
                delegate: self.id.clone(),
                rights,
            }),
        }
    }

    /// May this caller do `deed`? Always, unless a delegate without the right for it.
    pub fn may(&self, deed: Deed) -> bool {
        self.on_behalf.as_ref().is_none_or(|b| b.rights.allow(deed))
    }

    /// Go on only if [`Caller::may`]: else the words of the refusal (a 403).
    pub fn must_be_able_to(&self, deed: Deed) -> Result<(), String> {
        match self.may(deed) {
            true => Ok(()),
            false => Err(deed.refusal().to_string()),
        }
    }

    /// For the audit log: who did it, and for whom when a delegate did it for a member.
    pub fn actor(&self) -> (&str, Option<&str>) {
        match &self.on_behalf {
            Some(b) => (b.delegate.as_str(), Some(self.id.as_str())),
            None => (self.id.as_str(), None),
        }
    }

    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }

    pub fn has_role(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }

    /// Is this the account `id`, or a coordinator (who may act for anyone)?
    pub fn is_self_or_coordinator(&self, id: &str) -> bool {
        self.is_coordinator() || self.id.as_str() == id
    }

    /// Go on only for one of `roles`: else the words of the refusal (a 403).
    pub fn require(&self, roles: &[Role]) -> Result<(), String> {
        match self.has_role(roles) {
            true => Ok(()),
            false => Err(Caller::needs(roles)),
        }
    }

    /// Why a member may not do this for someone else.
    pub const ONLY_FOR_THEMSELVES: &'static str = "Members can only ask for help for themselves.";

    /// Words for a refusal: "This needs the role member or coordinator."
    pub fn needs(roles: &[Role]) -> String {
        let words: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        format!("This needs the role {}.", words.join(" or "))
    }
}

impl crate::domain::HelperId {
    /// The helper as the caller of a use case.
    pub fn as_caller(&self) -> Caller {
        Caller {
            id: UserId::from(self.clone()),
            role: Role::Helper,
            on_behalf: None,
        }
    }
}
