//! Who is asking: the signed-in account and its role, as every use case receives it.

use super::ids::UserId;
use super::status::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: UserId,
    pub role: Role,
}

impl Caller {
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
        }
    }
}
