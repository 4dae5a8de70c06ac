//! Accounts: members sign up (or a coordinator registers them), helpers apply, set their
//! availability and are vetted; members block helpers they do not want back.

use chrono::NaiveDate;

use super::views::{HelperView, MemberView};
use super::{Error, IdempotencyKey, Once, Result, Services};
use crate::db::{self, helpers::HelperRow, members::MemberRow, users::UserRow, DbConnection};
use crate::domain::delegation::Deed;
use crate::domain::Parsed;
use crate::domain::{
    AuditAction, Availability, Caller, Category, HelperId, MemberId, Place, Role, UserId,
    VettingDecision, VettingStatus,
};

const EMAIL_TAKEN: &str = "An account with this email already exists.";

/// A new member, checked.
pub struct NewMember {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: Option<String>,
    pub address: String,
    /// Where they live: a position, or a postcode to look up.
    pub place: Place,
}

/// A new helper's application, checked.
pub struct NewHelper {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub password: String,
    pub home: Place,
    pub skills: Vec<Category>,
    pub max_distance_km: f64,
}

/// Refuse a taken email before any password is hashed (the insert checks again, for a race).
fn email_free(svc: &Services, email: Option<&str>) -> Result<()> {
    let Some(email) = email else {
        return Ok(());
    };
    if svc.read(|c| Ok(db::users::email_taken(c, email)?))? {
        return Err(Error::Conflict(EMAIL_TAKEN.into()));
    }
    Ok(())
}

fn hash_password(svc: &Services, password: Option<&str>) -> Result<Option<String>> {
    password
        .map(|p| {
            svc.passwords()
                .hash(p)
                .map_err(|e| Error::internal("hashing a password", e))
        })
        .transpose()
}

fn new_user(
    role: Role,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    now: chrono::NaiveDateTime,
) -> UserRow {
    UserRow {
        id: db::new_id(),
        role,
        name,
        email,
        phone,
        password_hash: None,
        created_at: now,
        token_version: 0,
        deactivated_at: None,
        contact_by: None,
        phone_e164: None,
    }
}

/// Insert a user, answering 409 when the email is taken (also by a racing sign-up).
fn insert_user(c: &mut DbConnection, user: &UserRow) -> Result<()> {
    if let Some(email) = &user.email {
        if db::users::email_taken(c, email)? {
            return Err(Error::Conflict(EMAIL_TAKEN.into()));
        }
    }
    db::users::insert(c, user).map_err(|e| {
        if db::is_unique_violation(&e) {
            Error::Conflict(EMAIL_TAKEN.into())
        } else {
            e.into()
        }
    })
}

/// A member signs up, or a coordinator (`registered_by`) registers one who may have no email.
pub fn register_member(
    svc: &Services,
    registered_by: Option<&Caller>,
    new: NewMember,
    key: Option<&IdempotencyKey>,
) -> Result<Once<MemberView>> {
    if key.is_none() {
        email_free(svc, new.email.as_deref())?;
    }
    let hash = hash_password(svc, new.password.as_deref())?;
    let mut user = new_user(Role::Member, new.name, new.email, new.phone, svc.now());
    user.password_hash = hash;
    svc.write_once(key, 201, |c| {
        let at = super::places::resolve(c, &svc.settings, &new.place, "location")?;
        let member = MemberRow {
            user_id: user.id.clone(),
            address: new.address,
            lat: at.lat,
            lon: at.lon,
            created_by: registered_by
                .filter(|c| c.is_coordinator())
                .map(|c| c.id.to_string()),
            access_needs: None,
            emergency_name: None,
            emergency_phone: None,
            emergency_relation: None,
        };
        insert_user(c, &user)?;
        db::members::insert_profile(c, &member)?;
        Ok(MemberView::new(user, member))
    })
}

/// Someone applies to be a helper; the application waits for a coordinator's vetting.
pub fn apply_as_helper(
    svc: &Services,
    caller: Option<&Caller>,
    new: NewHelper,
    key: Option<&IdempotencyKey>,
) -> Result<Once<HelperView>> {
    let _ = caller;
    if key.is_none() {
        email_free(svc, Some(&new.email))?;
    }
    let hash = hash_password(svc, Some(&new.password))?;
    let mut user = new_user(
        Role::Helper,
        new.name,
        Some(new.email),
        new.phone,
        svc.now(),
    );
    user.password_hash = hash;
    let mut helper = HelperRow {
        user_id: user.id.clone(),
        home_lat: 0.0,
        home_lon: 0.0,
        max_distance_km: 0.0,
        skills: Category::encode_set(&new.skills),
        vetting_status: VettingStatus::Pending,
        vetting_expires_on: None,
        vetting_note: None,
        vetted_by: None,
        vetted_at: None,
        availability: serde_json::to_string(&Availability::default())?,
        reach_min_lat: 0.0,
        reach_max_lat: 0.0,
        reach_min_lon: 0.0,
        reach_max_lon: 0.0,
    };
    svc.write_once(key, 201, |c| {
        let home = super::places::resolve(c, &svc.settings, &new.home, "home")?;
        helper.set_reach(home, new.max_distance_km);
        insert_user(c, &user)?;
        db::helpers::insert_profile(c, &helper)?;
        Ok(HelperView::new(user, helper)?)
    })
}

/// A member's profile: that member and coordinators only; anyone else is told it does not exist.
pub fn member(svc: &Services, caller: &Caller, id: &MemberId) -> Result<MemberView> {
    let caller = &super::delegates::acting(svc, caller, Some(id), Deed::Account)?;
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    svc.read(|c| {
        let (user, member) = db::members::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let ends = db::ledger::latest_membership(c, id.as_str())?.map(|m| m.ends_on);
        Ok(MemberView {
            membership_ends_on: ends,
            ..MemberView::new(user, member)
        })
    })
}

/// A helper's profile: that helper and coordinators only.
pub fn helper(svc: &Services, caller: &Caller, id: &HelperId) -> Result<HelperView> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    let (user, helper) = svc.read(|c| db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound))?;
    Ok(HelperView::new(user, helper)?)
}

/// A helper (or a coordinator) replaces the helper's weekly availability and time off.
pub fn set_availability(
    svc: &Services,
    caller: &Caller,
    id: &HelperId,
    availability: impl Into<Parsed<Availability>>,
) -> Result<Availability> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    let mut availability = availability.into().take()?;
    svc.write(|c| {
        // "I can help now" is kept: it is set on its own.
        let (_, h) = db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        availability.help_now_until = h.availability()?.help_now_until;
        let json = serde_json::to_string(&availability)?;
        match db::helpers::set_availability(c, id.as_str(), &json)? {
            0 => Err(Error::NotFound),
            _ => Ok(availability),
        }
    })
}

/// "I can help now" (that helper, or a coordinator who rang them): free for any job for the next
/// `hours` (1 to 8), beside their weekly times, then off by itself; `None` turns it off. Open
/// requests that could start in that time are offered again at once, to the best helpers then
/// free (this one among them).
pub fn help_now(
    svc: &Services,
    caller: &Caller,
    id: &HelperId,
    hours: Option<i64>,
) -> Result<Availability> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::NotFound);
    }
    let max = crate::domain::availability::HELP_NOW_MAX_HOURS;
    if hours.is_some_and(|h| !(1..=max).contains(&h)) {
        return Err(Error::invalid("hours", format!("must be 1 to {max}")));
    }
    let now = svc.now();
    let until = hours.map(|h| (now + chrono::Duration::hours(h)).and_utc());
    svc.write(|c| {
        let (_, h) = db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let mut availability = h.availability()?;
        availability.help_now_until = until;
        let json = serde_json::to_string(&availability)?;
        db::helpers::set_availability(c, id.as_str(), &json)?;
        if let Some(until) = until {
            for row in db::requests::open_and_live(c, now)? {
                if row.window_start < until.naive_utc() {
                    super::offering::flow::offer_next(c, &svc.settings, &row.id, now)?;
                }
            }
        }
        Ok(availability)
    })
}

/// A coordinator's vetting decision, checked: approving needs an expiry after today.
pub struct Vetting {
    pub decision: VettingDecision,
    pub expires_on: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A coordinator approves, rejects or suspends a helper. Rejecting or suspending withdraws the
/// helper's open offers and passes those jobs on, in the same transaction.
pub fn vet_helper(
    svc: &Services,
    caller: &Caller,
    id: &HelperId,
    vetting: impl Into<Parsed<Vetting>>,
) -> Result<HelperView> {
    super::coordinators_only(caller)?;
    let vetting = vetting.into().take()?;
    svc.write(|c| {
        let expires_on = match (vetting.decision, vetting.expires_on) {
            (VettingDecision::Approved, None) => {
                let (_, helper) = db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound)?;
                Some(crate::domain::dates::vetting_renewed_until(
                    helper.vetting_expires_on,
                    svc.now().date(),
                ))
            }
            (_, given) => given,
        };
        let change = db::helpers::VettingChange {
            status: vetting.decision.status(),
            expires_on,
            note: vetting.note.as_deref(),
            by: caller.id.as_str(),
            at: svc.now(),
        };
        super::offering::by_hand::decide_vetting(c, &svc.settings, id.as_str(), &change)?;
        let (user, helper) = db::helpers::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        Ok(HelperView::new(user, helper)?)
    })
}

/// A member (or a coordinator for them) blocks a helper: they are never offered this member's
/// jobs. Blocking twice is not an error.
pub fn block_helper(
    svc: &Services,
    caller: &Caller,
    member: &MemberId,
    helper: &HelperId,
) -> Result<()> {
    change_block(
        svc,
        caller,
        member,
        helper,
        AuditAction::MemberBlockedHelper,
        |c| {
            db::members::get(c, member.as_str())?.ok_or(Error::NotFound)?;
            if db::helpers::get(c, helper.as_str())?.is_none() {
                return Err(Error::invalid("helper_id", "no helper has this id"));
            }
            db::matching::block(c, member.as_str(), helper.as_str(), svc.now())?;
            Ok(())
        },
    )
}

/// Lift a block: the helper may be offered this member's jobs again.
pub fn unblock_helper(
    svc: &Services,
    caller: &Caller,
    member: &MemberId,
    helper: &HelperId,
) -> Result<()> {
    change_block(
        svc,
        caller,
        member,
        helper,
        AuditAction::MemberUnblockedHelper,
        |c| match db::matching::unblock(c, member.as_str(), helper.as_str())? {
            true => Ok(()),
            false => Err(Error::NotFound),
        },
    )
}

/// A block changed by the member or a coordinator, and audited, in one transaction.
fn change_block(
    svc: &Services,
    caller: &Caller,
    member: &MemberId,
    helper: &HelperId,
    action: AuditAction,
    change: impl FnOnce(&mut DbConnection) -> Result<()>,
) -> Result<()> {
    if !caller.is_self_or_coordinator(member.as_str()) {
        return Err(Error::NotFound);
    }
    svc.write(|c| {
        change(c)?;
        db::audit::record(
            c,
            svc.now(),
            Some(caller.id.as_str()),
            action,
            member.as_str(),
            Some(helper.as_str()),
        )?;
        Ok(())
    })
}

/// Create a coordinator (from the command line).
pub fn create_coordinator(
    svc: &Services,
    name: String,
    email: String,
    phone: Option<String>,
    password: &str,
) -> Result<UserId> {
    let mut user = new_user(Role::Coordinator, name, Some(email), phone, svc.now());
    user.password_hash = hash_password(svc, Some(password))?;
    svc.write(|c| {
        insert_user(c, &user)?;
        Ok(UserId::from_string(user.id.clone()))
    })
}
