//! The checks behind a helper's vetting, as a coordinator records them (a DBS certificate with
//! its number and date, each reference taken up, proof of identity seen): coordinators record and
//! read them, the helper reads their own. Each is audited as part of the helper's vetting.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::views::utc;
use super::{Error, Result, Services};
use crate::db::{self, helper_checks::CheckRow};
use crate::domain::{AuditAction, Caller, CheckId, CheckKind, HelperId, Parsed};

/// A check, as recorded.
pub struct NewCheck {
    pub kind: CheckKind,
    pub reference: Option<String>,
    pub checked_on: NaiveDate,
    pub note: Option<String>,
}

/// One check behind a helper's vetting.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckView {
    pub id: String,
    pub kind: CheckKind,
    /// A DBS certificate's number; a referee's name; the document seen.
    pub reference: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub checked_on: NaiveDate,
    pub note: Option<String>,
    /// The coordinator who recorded it, by name.
    pub recorded_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: DateTime<Utc>,
}

fn view((row, by): (CheckRow, String)) -> CheckView {
    CheckView {
        id: row.id,
        kind: row.kind,
        reference: row.reference,
        checked_on: row.checked_on,
        note: row.note,
        recorded_by: by,
        at: utc(row.created_at),
    }
}

/// A coordinator records a check behind a helper's vetting (404 for no such helper).
pub fn record_check(
    svc: &Services,
    caller: &Caller,
    helper: &HelperId,
    check: impl Into<Parsed<NewCheck>>,
) -> Result<CheckView> {
    super::coordinators_only(caller)?;
    let check = check.into().take()?;
    if check.checked_on > svc.now().date() {
        return Err(Error::invalid("checked_on", "must not be after today"));
    }
    svc.write(|c| {
        db::helpers::get(c, helper.as_str())?.ok_or(Error::NotFound)?;
        let by = db::users::find(c, caller.id.as_str())?
            .map(|u| u.name)
            .unwrap_or_default();
        let row = CheckRow {
            id: CheckId::new().into_string(),
            helper_id: helper.to_string(),
            kind: check.kind,
            reference: check.reference,
            checked_on: check.checked_on,
            note: check.note,
            recorded_by: caller.id.to_string(),
            created_at: svc.now(),
        };
        db::helper_checks::insert(c, &row)?;
        let detail = format!("check={}", row.kind);
        db::audit::record(
            c,
            svc.now(),
            Some(caller.id.as_str()),
            AuditAction::HelperVetting,
            helper.as_str(),
            Some(&detail),
        )?;
        Ok(view((row, by)))
    })
}

/// A helper's checks, the latest first: coordinators, or the helper themself (anyone else 404).
pub fn checks(svc: &Services, caller: &Caller, helper: &HelperId) -> Result<Vec<CheckView>> {
    if !caller.is_self_or_coordinator(helper.as_str()) {
        return Err(Error::NotFound);
    }
    svc.read(|c| {
        db::helpers::get(c, helper.as_str())?.ok_or(Error::NotFound)?;
        Ok(db::helper_checks::of_helper(c, helper.as_str())?
            .into_iter()
            .map(view)
            .collect())
    })
}
