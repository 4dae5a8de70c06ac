//! Finding people and keeping their details right: coordinators search members (by name, phone,
//! email, address or postcode) and list helpers (the vetting queue, by skill, expiring vetting,
//! nearness); a member or helper, or a coordinator for them, changes their profile.

use super::pagination::{offset_page, OffsetPaging, Page};
use super::views::{EmergencyContact, HelperView, MemberView};
use super::{Error, Result, Services};
use crate::db::{self, users::ContactChange, DbConnection};
use crate::domain::delegation::Deed;
use crate::domain::directory::HelperFilter;
use crate::domain::Parsed;
use crate::domain::{
    AuditAction, Availability, Caller, Category, Channel, HelperId, MemberId, MembershipState,
    Place,
};

/// Members whose name, phone, email, address or postcode holds `q` (case, spaces and hyphens
/// ignored), best match first; those whose accounts are closed only with `include_closed`;
/// only those whose membership stands as `membership` says, when it says.
pub fn search_members(
    svc: &Services,
    caller: &Caller,
    q: &str,
    include_closed: bool,
    membership: Option<MembershipState>,
    paging: impl Into<Parsed<OffsetPaging>>,
) -> Result<Page<MemberView>> {
    super::coordinators_only(caller)?;
    let paging = paging.into().take()?;
    if q.chars().count() > 200 {
        return Err(Error::invalid("q", "must be at most 200 characters"));
    }
    let term = db::directory::fold_term(q);
    let filter = db::directory::MemberFilter {
        term: &term,
        include_closed,
        membership: membership.map(|m| (m, svc.now().date())),
    };
    let rows = svc.read(|c| {
        Ok(db::directory::search_members(
            c,
            &filter,
            paging.limit + 1,
            paging.offset,
        )?)
    })?;
    Ok(offset_page(rows, paging, |(u, m, ends)| MemberView {
        membership_ends_on: ends,
        ..MemberView::new(u, m)
    }))
}

/// Which helpers a coordinator wants to see.
#[derive(Debug, Clone, Default)]
pub struct HelperQuery {
    pub filter: HelperFilter,
    /// Keep homes within this distance of `filter.near`'s place, nearest first.
    pub within_km: Option<f64>,
}

/// Helpers passing the filters: applications oldest first, expiring vetting soonest first,
/// near a place nearest first, otherwise by name.
pub fn list_helpers(
    svc: &Services,
    caller: &Caller,
    query: impl Into<Parsed<HelperQuery>>,
    paging: impl Into<Parsed<OffsetPaging>>,
) -> Result<Page<HelperView>> {
    super::coordinators_only(caller)?;
    let paging = paging.into().take()?;
    let query = query.into().take()?;
    let rows = svc.read(|c| match (query.filter.near, query.within_km) {
        (Some((at, _)), Some(km)) => {
            let mut rows: Vec<_> = db::directory::list_helpers(c, &query.filter, None)?
                .into_iter()
                .map(|(u, h)| (h.home().distance_km(at), u, h))
                .filter(|(d, _, _)| *d <= km)
                .collect();
            rows.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
            Ok(rows
                .into_iter()
                .skip(paging.offset as usize)
                .take(paging.limit as usize + 1)
                .map(|(_, u, h)| (u, h))
                .collect())
        }
        _ => Ok(db::directory::list_helpers(
            c,
            &query.filter,
            Some((paging.limit + 1, paging.offset)),
        )?),
    })?;
    let page = offset_page(rows, paging, |(u, h)| HelperView::new(u, h));
    Ok(Page {
        items: page.items.into_iter().collect::<diesel::QueryResult<_>>()?,
        next_cursor: page.next_cursor,
    })
}

/// A member's new details, checked; `None` leaves a value as it is.
#[derive(Debug, Default)]
pub struct MemberChange {
    pub name: Option<String>,
    pub email: Option<String>,
    /// `Some(None)` removes the phone number.
    pub phone: Option<Option<String>>,
    pub address: Option<String>,
    /// A new home: a position, or a postcode to look up.
    pub location: Option<Place>,
    /// `Some(None)` removes them.
    pub access_needs: Option<Option<String>>,
    /// `Some(None)` removes it.
    pub emergency_contact: Option<Option<EmergencyContact>>,
    /// How to reach them, in order; `Some(None)` goes back to what their details give.
    pub contact_by: Option<Option<Vec<Channel>>>,
}

/// A member, or a coordinator for them, changes the member's details.
pub fn change_member(
    svc: &Services,
    caller: &Caller,
    id: &MemberId,
    change: MemberChange,
) -> Result<MemberView> {
    let caller = &super::delegates::acting(svc, caller, Some(id), Deed::Account)?;
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    svc.write(|c| {
        let (user, _) = db::members::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let email = change.email.clone();
        if let Some(new) = &email {
            if user.email.as_deref() != Some(new) && db::users::email_taken(c, new)? {
                return Err(Error::Conflict(
                    "An account with this email already exists.".into(),
                ));
            }
        }
        let has_email = email.is_some() || user.email.is_some();
        if matches!(change.phone, Some(None)) && !has_email {
            return Err(Error::invalid(
                "phone",
                "a member with no email needs a phone number",
            ));
        }
        let new_email = email.clone().or(user.email.clone());
        let new_phone = change.phone.clone().unwrap_or(user.phone.clone());
        let contact = ContactChange {
            name: change.name.clone(),
            email: email.map(Some),
            phone: change.phone.clone(),
            contact_by: checked_route(
                &change.contact_by,
                &user,
                new_email.as_deref(),
                new_phone.as_deref(),
            )?,
            phone_e164: None,
        };
        save_contact(c, id.as_str(), &contact)?;
        let at = change
            .location
            .as_ref()
            .map(|place| super::places::resolve(c, &svc.settings, place, "location"))
            .transpose()?;
        db::members::change_home(c, id.as_str(), change.address.as_deref(), at)?;
        let emergency = change.emergency_contact.clone();
        let care = db::members::CareChange {
            access_needs: change.access_needs.clone(),
            emergency_name: emergency
                .clone()
                .map(|e| e.as_ref().map(|e| e.name.clone())),
            emergency_phone: emergency
                .clone()
                .map(|e| e.as_ref().map(|e| e.phone.clone())),
            emergency_relation: emergency.map(|e| e.and_then(|e| e.relation)),
        };
        db::members::change_care(c, id.as_str(), &care)?;
        let fields = changed_fields(&[
            ("name", change.name.is_some()),
            ("email", change.email.is_some()),
            ("phone", change.phone.is_some()),
            ("address", change.address.is_some()),
            ("location", change.location.is_some()),
            ("access_needs", change.access_needs.is_some()),
            ("emergency_contact", change.emergency_contact.is_some()),
            ("contact_by", change.contact_by.is_some()),
        ]);
        audit_change(c, svc.now(), caller, id.as_str(), &fields)?;
        let (user, member) = db::members::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let ends = db::ledger::latest_membership(c, id.as_str())?.map(|m| m.ends_on);
        Ok(MemberView {
            membership_ends_on: ends,
            ..MemberView::new(user, member)
        })
    })
}

/// A helper's new details, checked; `None` leaves a value as it is.
#[derive(Debug, Default)]
pub struct HelperChange {
    pub name: Option<String>,
    /// `Some(None)` removes the phone number.
    pub phone: Option<Option<String>>,
    /// A new home: a position, or a postcode to look up.
    pub home: Option<Place>,
    pub skills: Option<Vec<Category>>,
    pub max_distance_km: Option<f64>,
    /// How to reach them, in order; `Some(None)` goes back to what their details give.
    pub contact_by: Option<Option<Vec<Channel>>>,
}

/// The ways to reach a person as they will be stored: a route whose every way their details
/// (as changed) allow, a return to the default (`NULL`), or no change. A change of details that
/// makes a set way impossible (the email gone, the mobile changed to a landline) is refused
/// unless `contact_by` is changed with it.
fn checked_route(
    change: &Option<Option<Vec<Channel>>>,
    user: &db::users::UserRow,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Option<Option<String>>> {
    let route = match change {
        Some(None) => return Ok(Some(None)),
        Some(Some(route)) => route.clone(),
        None => match &user.contact_by {
            None => return Ok(None),
            Some(_) => crate::domain::contact::route(user.contact_by.as_deref(), email, phone),
        },
    };
    if let Some(why) = crate::domain::contact::unusable(&route, email, phone) {
        return Err(Error::invalid("contact_by", why));
    }
    Ok(change
        .as_ref()
        .map(|_| Some(crate::domain::contact::stored(&route))))
}

/// A helper, or a coordinator for them, changes the helper's details; the next match uses them.
pub fn change_helper(
    svc: &Services,
    caller: &Caller,
    id: &HelperId,
    change: HelperChange,
) -> Result<HelperView> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    svc.write(|c| {
        let (user, helper) = db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let new_phone = change.phone.clone().unwrap_or(user.phone.clone());
        let contact = ContactChange {
            name: change.name.clone(),
            email: None,
            phone: change.phone.clone(),
            contact_by: checked_route(
                &change.contact_by,
                &user,
                user.email.as_deref(),
                new_phone.as_deref(),
            )?,
            phone_e164: None,
        };
        save_contact(c, id.as_str(), &contact)?;
        if change.home.is_some() || change.max_distance_km.is_some() {
            let home = match &change.home {
                Some(place) => super::places::resolve(c, &svc.settings, place, "home")?,
                None => helper.home(),
            };
            let km = change.max_distance_km.unwrap_or(helper.max_distance_km);
            db::helpers::set_reach(c, id.as_str(), home, km)?;
        }
        if let Some(skills) = &change.skills {
            db::helpers::set_skills(c, id.as_str(), &Category::encode_set(skills))?;
        }
        let fields = changed_fields(&[
            ("name", change.name.is_some()),
            ("phone", change.phone.is_some()),
            ("home", change.home.is_some()),
            ("skills", change.skills.is_some()),
            ("max_distance_km", change.max_distance_km.is_some()),
            ("contact_by", change.contact_by.is_some()),
        ]);
        audit_change(c, svc.now(), caller, id.as_str(), &fields)?;
        let (user, helper) = db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        Ok(HelperView::new(user, helper)?)
    })
}

/// A helper's weekly availability and time off: that helper and coordinators.
pub fn availability(svc: &Services, caller: &Caller, id: &HelperId) -> Result<Availability> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    let (_, helper) = svc.read(|c| db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound))?;
    Ok(helper.availability()?)
}

/// Contact details saved, a racing sign-up that took the email answered 409.
fn save_contact(c: &mut DbConnection, id: &str, contact: &ContactChange) -> Result<()> {
    db::users::change_contact(c, id, contact).map_err(|e| {
        if db::is_unique_violation(&e) {
            Error::Conflict("An account with this email already exists.".into())
        } else {
            e.into()
        }
    })
}

fn changed_fields(fields: &[(&str, bool)]) -> String {
    let names: Vec<&str> = fields.iter().filter(|f| f.1).map(|f| f.0).collect();
    names.join(",")
}

fn audit_change(
    c: &mut DbConnection,
    now: chrono::NaiveDateTime,
    caller: &Caller,
    subject: &str,
    fields: &str,
) -> Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    super::audit::by(
        c,
        caller,
        now,
        AuditAction::ProfileChanged,
        subject,
        Some(&format!("fields={fields}")),
    )
}
