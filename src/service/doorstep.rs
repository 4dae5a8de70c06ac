//! A visit's doorstep words, read by those the visit is theirs: the member, the helper going
//! (while they see the member's address, by the same rule), and coordinators (who tell a member
//! with no app on the phone). Anyone else, and any visit not assigned now, is told there is none.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Error, Result, Services};
use crate::db;
use crate::domain::delegation::Deed;
use crate::domain::{Caller, RequestId, RequestStatus};

/// The helper the words belong to.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoorstepHelper {
    #[schema(example = "Hal Helper")]
    pub name: String,
    /// The helper's photo (`GET` it with the bearer token), where there is one.
    pub photo_url: Option<String>,
}

/// What the helper says at the door.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoorstepView {
    /// Two plain words, new for every visit.
    #[schema(example = "amber otter")]
    pub words: String,
    pub helper: DoorstepHelper,
    /// The visit's day, in the Circle's time zone.
    #[schema(value_type = String, format = Date, example = "2026-12-08")]
    pub day: NaiveDate,
}

pub fn read(svc: &Services, caller: &Caller, id: &RequestId) -> Result<DoorstepView> {
    svc.read(|c| {
        let (row, caller) = super::requests::load_for(c, caller, id, Deed::ReadVisit)?;
        if !super::requests::reveals_member(c, &caller, &row, svc.now())? {
            return Err(Error::NotFound);
        }
        let (RequestStatus::Assigned, Some(helper_id)) = (row.status, row.helper_id.as_deref())
        else {
            return Err(Error::NotFound);
        };
        let words = db::doorstep::of(c, &row.id, helper_id)?.ok_or(Error::NotFound)?;
        let helper = db::users::find(c, helper_id)?.ok_or(Error::NotFound)?;
        let photo_url = super::photos::url_of(c, helper_id)?;
        let start = row.scheduled_start.unwrap_or(row.window_start).and_utc();
        Ok(DoorstepView {
            words,
            helper: DoorstepHelper {
                name: helper.name,
                photo_url,
            },
            day: start
                .with_timezone(&svc.settings.reports.timezone)
                .date_naive(),
        })
    })
}
