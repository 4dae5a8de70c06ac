//! A person's data under UK GDPR: an export of everything the service holds about them (the
//! person themselves, or coordinators), and erasure by a coordinator, which cannot be undone.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Error, Result, Services};
use crate::db::{self, personal_data};
use crate::domain::{AuditAction, Caller, UserId};

/// Everything held about one person, table by table.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonExport {
    pub user_id: String,
    #[schema(value_type = String, format = DateTime)]
    pub exported_at: DateTime<Utc>,
    /// For each kind of record (`account`, `member`, `helper`, `requests`, `jobs`, `offers`,
    /// `visits`, `standing_requests`, `memberships`, `ledger_movements`, `ratings_given`,
    /// `events`, `concerns_raised`, `audit`, …) the records, as stored.
    #[schema(value_type = Object)]
    pub records: BTreeMap<String, Vec<serde_json::Value>>,
}

/// Export: the person themselves, or a coordinator; anyone else is told it does not exist.
pub fn export(svc: &Services, caller: &Caller, id: &UserId) -> Result<PersonExport> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    svc.write(|c| {
        db::users::find(c, id.as_str())?.ok_or(Error::NotFound)?;
        let mut records = BTreeMap::new();
        for (section, table, column) in personal_data::HOLDINGS {
            let rows = personal_data::rows_as_json(c, table, column, id.as_str())?
                .iter()
                .map(|line| serde_json::from_str(line))
                .collect::<std::result::Result<Vec<serde_json::Value>, _>>()?;
            records.insert((*section).to_string(), rows);
        }
        db::audit::record(
            c,
            Some(caller.id.as_str()),
            AuditAction::UserExported,
            id.as_str(),
            None,
        )?;
        Ok(PersonExport {
            user_id: id.to_string(),
            exported_at: Utc::now(),
            records,
        })
    })
}

/// What an erasure leaves: the account's id and the name that now stands for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Erased {
    pub user_id: String,
    /// The pseudonym in place of the name, in lists, statements and the audit.
    pub name: String,
}

/// A coordinator erases a person: name, contact details, address, places and free text go; the
/// ledger's sums, the audit's entries and the shape of every record stay, under a pseudonym.
/// Refused while the person has requests, jobs or standing requests not finished.
pub fn erase(svc: &Services, caller: &Caller, id: &UserId, reason: &str) -> Result<Erased> {
    super::coordinators_only(caller)?;
    if caller.id == *id {
        return Err(Error::invalid(
            "id",
            "you cannot erase your own account; ask another coordinator",
        ));
    }
    svc.write(|c| {
        db::users::find(c, id.as_str())?.ok_or(Error::NotFound)?;
        if personal_data::unfinished(c, id.as_str())? > 0 {
            return Err(Error::Conflict(
                "This person still has requests, visits or standing requests that are not finished: cancel or end them first, then erase.".into(),
            ));
        }
        let name = pseudonym(id);
        let now = db::now();
        personal_data::erase(c, id.as_str(), &name, now)?;
        super::offering::flow::helper_withdrawn(c, &svc.settings, id.as_str(), now)?;
        db::audit::record(
            c,
            Some(caller.id.as_str()),
            AuditAction::UserErased,
            id.as_str(),
            Some(reason),
        )?;
        Ok(Erased {
            user_id: id.to_string(),
            name,
        })
    })
}

/// The name an erased person is known by: the same for the same account, naming nobody.
fn pseudonym(id: &UserId) -> String {
    let short: String = id
        .as_str()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(6)
        .collect();
    format!("Erased person {short}")
}
