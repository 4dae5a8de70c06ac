//! A person's data under UK GDPR: an export of everything the service holds about them (the
//! person themselves, or coordinators), and erasure by a coordinator, which cannot be undone.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Error, Result, Services};
use crate::db;
use crate::db::personal_data::{self, Export, Seen};
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
/// Every holding of [`personal_data::HOLDINGS`] is walked: the person's own rows as stored,
/// and what they see of others' (the jobs they did, their offers, the standing requests they
/// help with) through the same views the API answers them with, as they are now.
pub fn export(svc: &Services, caller: &Caller, id: &UserId) -> Result<PersonExport> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    svc.write(|c| {
        let user = db::users::find(c, id.as_str())?.ok_or(Error::NotFound)?;
        let person = Caller {
            id: id.clone(),
            role: user.role,
            on_behalf: None,
        };
        let mut records = BTreeMap::new();
        for holding in personal_data::HOLDINGS {
            let (section, rows) = match holding.export {
                Export::Rows(section, without) => (
                    section,
                    personal_data::rows_as_json(
                        c,
                        holding.table,
                        holding.column,
                        without,
                        id.as_str(),
                    )?
                    .iter()
                    .map(|line| serde_json::from_str(line))
                    .collect::<std::result::Result<Vec<serde_json::Value>, _>>()?,
                ),
                Export::AsSeen(section, seen) => (section, as_seen(c, svc, &person, seen)?),
                Export::Not(_) => continue,
            };
            records.insert(section.to_string(), rows);
        }
        db::audit::record(
            c,
            svc.now(),
            Some(caller.id.as_str()),
            AuditAction::UserExported,
            id.as_str(),
            None,
        )?;
        Ok(PersonExport {
            user_id: id.to_string(),
            exported_at: svc.now().and_utc(),
            records,
        })
    })
}

/// What `person` sees now of the records of one [`Seen`] kind, as the API shows them.
fn as_seen(
    c: &mut db::DbConnection,
    svc: &Services,
    person: &Caller,
    seen: Seen,
) -> Result<Vec<serde_json::Value>> {
    let id = person.id.as_str();
    let values = match seen {
        Seen::Jobs => db::personal_data::jobs_of(c, id)?
            .into_iter()
            .map(|row| {
                Ok(serde_json::to_value(super::requests::full_view(
                    c, svc, person, row,
                )?)?)
            })
            .collect::<Result<Vec<_>>>()?,
        Seen::Offers => {
            let home = db::helpers::get(c, id)?.map(|(_, h)| h.home());
            match home {
                Some(home) => db::personal_data::offers_of(c, id)?
                    .into_iter()
                    .map(|(o, r)| {
                        serde_json::to_value(super::offers::OfferView::new(o, &r, home, svc.now()))
                    })
                    .collect::<std::result::Result<Vec<_>, _>>()?,
                None => Vec::new(),
            }
        }
        Seen::StandingRequests => {
            let rows = db::personal_data::series_helped_by(c, id)?;
            super::series::views(c, svc, person, rows, svc.now())?
                .into_iter()
                .map(serde_json::to_value)
                .collect::<std::result::Result<Vec<_>, _>>()?
        }
    };
    Ok(values)
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
    let reason = &super::reason(reason)?;
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
        let now = svc.now();
        let messages = personal_data::erase(c, id.as_str(), &name, now)?;
        super::offering::by_hand::helper_withdrawn(c, &svc.settings, id.as_str(), now)?;
        db::audit::record(c, now,
            Some(caller.id.as_str()),
            AuditAction::UserErased,
            id.as_str(),
            Some(reason),
        )?;
        Ok((
            Erased {
                user_id: id.to_string(),
                name,
            },
            messages,
        ))
    })
    .map(|(erased, messages)| {
        // Once the erasure is committed: the copies of those emails kept as files go too.
        crate::notify::transport::forget_copies(&svc.settings.email, &messages);
        erased
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
