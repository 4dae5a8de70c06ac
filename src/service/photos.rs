//! Helpers' photos: put by that helper or a coordinator; seen by coordinators, that helper, and
//! a member with a visit from that helper under way or in the next 14 days (so that the member
//! knows the face at the door). Anyone else is told there is none.

use chrono::Duration;

use super::{Error, Result, Services};
use crate::db;
use crate::domain::delegation::{Deed, Rights};
use crate::domain::{photo, AuditAction, Caller, HelperId, Role};

/// How far ahead a member's visit lets them see the helper's photo.
pub const MEMBER_SEES_DAYS: i64 = 14;

fn helper_exists(c: &mut db::DbConnection, id: &HelperId) -> Result<()> {
    match db::users::find(c, id.as_str())? {
        Some(u) if u.role == Role::Helper => Ok(()),
        _ => Err(Error::NotFound),
    }
}

/// Keep a new photo of the helper, as [`photo::prepare`] makes it.
pub fn put(svc: &Services, caller: &Caller, id: &HelperId, bytes: &[u8]) -> Result<()> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    svc.read(|c| helper_exists(c, id))?;
    let jpeg = photo::prepare(bytes).map_err(|why| Error::invalid("photo", why))?;
    svc.write(|c| {
        helper_exists(c, id)?;
        let now = svc.now();
        db::photos::put(c, id.as_str(), &jpeg, now)?;
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::ProfileChanged,
            id.as_str(),
            Some("photo"),
        )?;
        Ok(())
    })
}

/// The helper's photo, for those who may see it.
pub fn get(svc: &Services, caller: &Caller, id: &HelperId) -> Result<Vec<u8>> {
    svc.read(|c| {
        let now = svc.now();
        let expects = |c: &mut db::DbConnection, member: &str| {
            db::photos::member_expects(
                c,
                member,
                id.as_str(),
                now,
                now + Duration::days(MEMBER_SEES_DAYS),
            )
        };
        let mut may = caller.is_coordinator()
            || caller.id.as_str() == id.as_str()
            || expects(c, caller.id.as_str())?;
        // A delegate who may see a member's visits sees the photos that member sees.
        for acts in super::delegates::acts_for(c, caller.id.as_str())? {
            if may {
                break;
            }
            may = Rights::new(acts.can).allow(Deed::ReadVisit) && expects(c, &acts.member.id)?;
        }
        if !may {
            return Err(Error::NotFound);
        }
        db::photos::get(c, id.as_str())?.ok_or(Error::NotFound)
    })
}

/// Where the helper's photo is, when they have one.
pub fn url_of(c: &mut db::DbConnection, helper_id: &str) -> Result<Option<String>> {
    Ok(db::photos::exists(c, helper_id)?.then(|| format!("/api/v1/helpers/{helper_id}/photo")))
}
