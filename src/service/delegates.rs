//! Family delegates: a member (or a coordinator, for a member on the phone) invites someone by
//! email to arrange help for them; the invitee accepts with the link, signed in or with a new
//! account, and then acts for the member with exactly the rights given, until the member or a
//! coordinator stops them (at their next call). Use cases reach a member's things through
//! [`speak_for`], which turns a delegate into the member with the delegate named beside.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::views::utc;
use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, delegates::DelegateRow, users::UserRow, DbConnection};
use crate::domain::delegation::{Deed, Rights};
use crate::domain::{AuditAction, Caller, MemberId, Right, Role, UserId};

/// How long an invitation's link works.
pub const INVITATION_DAYS: i64 = 7;
/// A member has at most this many delegates and open invitations.
pub const MAX_DELEGATES: usize = 10;

const NOT_OPEN: &str = "This invitation has been used or has expired: ask for a new one.";
const ALREADY_INVITED: &str =
    "This person is already invited: stop that invitation first to send a new one.";
const ALREADY_HELPING: &str = "You already help arrange this member's visits.";

/// Someone to invite, checked.
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub can: Rights,
}

/// One of a member's delegates, or an invitation not yet accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegateView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub can: Vec<Right>,
    /// `invited` until accepted, then `active`; an invitation past its time is `expired`.
    #[schema(pattern = "^(invited|active|expired)$")]
    pub status: &'static str,
    #[schema(value_type = String, format = DateTime)]
    pub invited_at: DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub accepted_at: Option<DateTime<Utc>>,
}

impl DelegateView {
    fn new(row: DelegateRow, now: NaiveDateTime) -> Result<DelegateView> {
        let status = match (row.accepted_at, row.expires_at <= now) {
            (Some(_), _) => "active",
            (None, false) => "invited",
            (None, true) => "expired",
        };
        Ok(DelegateView {
            can: stored_rights(&row.can)?.list(),
            id: row.id,
            name: row.name,
            email: row.email,
            status,
            invited_at: utc(row.invited_at),
            accepted_at: row.accepted_at.map(utc),
        })
    }
}

/// A member, as a delegate sees whom they act for.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberName {
    pub id: String,
    pub name: String,
}

/// Whom a delegate acts for, and with which rights.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActsFor {
    pub member: MemberName,
    pub can: Vec<Right>,
}

/// An invitation as its link's holder sees it before saying yes.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    /// The member who would be helped.
    pub member_name: String,
    /// The name the invitation was made out to.
    pub name: String,
    pub email: String,
    pub can: Vec<Right>,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: DateTime<Utc>,
}

/// An accepted invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delegation {
    pub member: MemberName,
    pub can: Vec<Right>,
    /// The account that now acts for the member (a new one signs in with it).
    pub email: Option<String>,
}

/// A new account for someone accepting with no account of their own, checked.
pub struct NewDelegateAccount {
    pub password: String,
    pub name: Option<String>,
}

fn stored_rights(can: &str) -> Result<Rights> {
    Rights::parse(can).map_err(|e| Error::internal("reading a delegate's rights", StoredRights(e)))
}

#[derive(Debug, thiserror::Error)]
#[error("stored rights: {0}")]
struct StoredRights(String);

/// The caller as they act on `member`'s things: themselves (the member, a coordinator, or anyone
/// else, whom the use case's own rules then refuse); or, for a delegate of that member, the
/// member, with the delegate beside, when their rights allow `deed` (a 403 saying why when not).
pub(super) fn speak_for(
    c: &mut DbConnection,
    caller: &Caller,
    member: &str,
    deed: Deed,
) -> Result<Caller> {
    if caller.is_coordinator() || caller.on_behalf.is_some() || caller.id.as_str() == member {
        return Ok(caller.clone());
    }
    let Some(can) = db::delegates::rights(c, caller.id.as_str(), member)? else {
        return Ok(caller.clone());
    };
    let acting = caller.for_member(member, stored_rights(&can)?);
    acting.must_be_able_to(deed).map_err(Error::Forbidden)?;
    Ok(acting)
}

/// As [`speak_for`], for a use case that names its member before its transaction: no statement
/// at all unless the caller names a member other than themselves.
pub(super) fn acting(
    svc: &Services,
    caller: &Caller,
    member: Option<&MemberId>,
    deed: Deed,
) -> Result<Caller> {
    match member {
        Some(m) if !caller.is_coordinator() && *m != caller.id => {
            svc.read(|c| speak_for(c, caller, m.as_str(), deed))
        }
        _ => Ok(caller.clone()),
    }
}

/// Whom this account acts for (for `GET /me`).
pub(crate) fn acts_for(c: &mut DbConnection, id: &str) -> Result<Vec<ActsFor>> {
    db::delegates::acts_for(c, id)?
        .into_iter()
        .map(|(member, name, can)| {
            Ok(ActsFor {
                member: MemberName { id: member, name },
                can: stored_rights(&can)?.list(),
            })
        })
        .collect()
}

/// Only the member themselves and coordinators manage a member's delegates; others are told
/// the member does not exist.
fn manages(c: &mut DbConnection, caller: &Caller, member: &MemberId) -> Result<UserRow> {
    if !caller.is_self_or_coordinator(member.as_str()) || caller.on_behalf.is_some() {
        return Err(Error::NotFound);
    }
    match db::users::find(c, member.as_str())? {
        Some(u) if u.role == Role::Member => Ok(u),
        _ => Err(Error::NotFound),
    }
}

fn audit(
    c: &mut DbConnection,
    caller: &Caller,
    at: NaiveDateTime,
    action: AuditAction,
    member: &str,
    detail: &str,
) -> Result<()> {
    match caller.id.as_str() == member {
        true => db::audit::record(c, at, Some(member), action, member, Some(detail))?,
        false => db::audit::record_for(
            c,
            at,
            (caller.id.as_str(), member),
            action,
            member,
            Some(detail),
        )?,
    }
    Ok(())
}

/// Invite someone to act for `member`; they are emailed a link that works once, for
/// [`INVITATION_DAYS`] days. Only a coordinator gives `account`.
pub fn invite(
    svc: &Services,
    caller: &Caller,
    member: &MemberId,
    invitation: Invitation,
) -> Result<DelegateView> {
    let token = refresh::new_token();
    svc.write(|c| {
        let user = manages(c, caller, member)?;
        if invitation.can.has(Right::Account) && !caller.is_coordinator() {
            return Err(Error::Forbidden(
                "Only a coordinator can let someone see a member's account.".into(),
            ));
        }
        if !user.is_active() {
            return Err(Error::Conflict("This member's account is closed.".into()));
        }
        if user.email.as_deref() == Some(invitation.email.as_str()) {
            return Err(Error::invalid(
                "email",
                "this is the member's own email: give the email of the person who will help",
            ));
        }
        let existing = db::delegates::of_member(c, member.as_str())?;
        if existing.iter().any(|d| d.email == invitation.email) {
            return Err(Error::Conflict(ALREADY_INVITED.into()));
        }
        if existing.len() >= MAX_DELEGATES {
            return Err(Error::Conflict(format!(
                "A member can have at most {MAX_DELEGATES} people helping them arrange visits: stop one first."
            )));
        }
        let now = svc.now();
        let row = DelegateRow {
            id: db::new_id(),
            member_id: member.to_string(),
            delegate_id: None,
            email: invitation.email.clone(),
            name: invitation.name.clone(),
            can: invitation.can.stored(),
            token_hash: Some(refresh::hash(&token)),
            invited_by: caller.id.to_string(),
            invited_at: now,
            expires_at: now + Duration::days(INVITATION_DAYS),
            accepted_at: None,
        };
        // Two invitations of one email racing: the index keeps one, the other is told.
        db::delegates::insert(c, &row).map_err(|e| match db::is_unique_violation(&e) {
            true => Error::Conflict(ALREADY_INVITED.into()),
            false => e.into(),
        })?;
        let link = format!(
            "{}/app/d/{token}",
            svc.settings.server.public_url.trim_end_matches('/')
        );
        let mail = crate::notify::messages::delegate_invitation(
            &invitation.email,
            &invitation.name,
            &user.name,
            &link,
            INVITATION_DAYS,
        );
        db::outbox::enqueue(c, &mail, now)?;
        let detail = format!("{} ({}): {}", row.name, row.email, row.can);
        audit(c, caller, now, AuditAction::DelegateInvited, member.as_str(), &detail)?;
        DelegateView::new(row, now)
    })
}

/// A member's delegates and open invitations.
pub fn list(svc: &Services, caller: &Caller, member: &MemberId) -> Result<Vec<DelegateView>> {
    svc.read(|c| {
        manages(c, caller, member)?;
        let now = svc.now();
        db::delegates::of_member(c, member.as_str())?
            .into_iter()
            .map(|row| DelegateView::new(row, now))
            .collect()
    })
}

/// Stop a delegate, or withdraw an invitation: from their next call they act for the member no
/// more.
pub fn remove(svc: &Services, caller: &Caller, member: &MemberId, id: &str) -> Result<()> {
    svc.write(|c| {
        manages(c, caller, member)?;
        let row = db::delegates::find(c, id)?
            .filter(|r| r.member_id == member.as_str())
            .ok_or(Error::NotFound)?;
        db::delegates::remove(c, member.as_str(), id)?;
        let detail = format!("{} ({})", row.name, row.email);
        audit(
            c,
            caller,
            svc.now(),
            AuditAction::DelegateRemoved,
            member.as_str(),
            &detail,
        )
    })
}

/// The open invitation a link's token names: unknown 404, used or past its time 410.
fn open_invitation(c: &mut DbConnection, token: &str, now: NaiveDateTime) -> Result<DelegateRow> {
    let row =
        db::delegates::find_by_hash(c, &refresh::hash(token.trim()))?.ok_or(Error::NotFound)?;
    if row.accepted_at.is_some() || row.expires_at <= now {
        return Err(Error::Gone(NOT_OPEN.into()));
    }
    Ok(row)
}

/// What an invitation asks, for the page its link opens.
pub fn invitation(svc: &Services, token: &str) -> Result<InvitationView> {
    svc.read(|c| {
        let row = open_invitation(c, token, svc.now())?;
        let member = db::users::find(c, &row.member_id)?.ok_or(Error::NotFound)?;
        Ok(InvitationView {
            member_name: member.name,
            can: stored_rights(&row.can)?.list(),
            name: row.name,
            email: row.email,
            expires_at: utc(row.expires_at),
        })
    })
}

/// Accept an invitation: as the signed-in `caller`, or with a new account (role `delegate`)
/// for the invited email.
pub fn accept(
    svc: &Services,
    caller: Option<&Caller>,
    token: &str,
    new_account: Option<NewDelegateAccount>,
) -> Result<Delegation> {
    let hash = match (&caller, &new_account) {
        (None, Some(new)) => Some(
            svc.passwords()
                .hash(&new.password)
                .map_err(|e| Error::internal("hashing a password", e))?,
        ),
        (None, None) => {
            return Err(Error::invalid(
                "password",
                "sign in first, or choose a password for a new account",
            ))
        }
        (Some(_), _) => None,
    };
    svc.write(|c| {
        let now = svc.now();
        let row = open_invitation(c, token, now)?;
        let member = db::users::find(c, &row.member_id)?.ok_or(Error::NotFound)?;
        if !member.is_active() {
            return Err(Error::Conflict("This member's account is closed.".into()));
        }
        let (account, email) = match caller {
            Some(caller) => signed_in_account(c, caller, &row)?,
            None => {
                let name = new_account
                    .as_ref()
                    .and_then(|n| n.name.clone())
                    .unwrap_or_else(|| row.name.clone());
                new_delegate(c, &row.email, name, hash.clone(), now)?
            }
        };
        // The same account accepting two invitations from one member at once: one stands.
        let accepted = db::delegates::accept(c, &row.id, account.as_str(), now).map_err(|e| {
            match db::is_unique_violation(&e) {
                true => Error::Conflict(ALREADY_HELPING.into()),
                false => e.into(),
            }
        })?;
        if !accepted {
            return Err(Error::Gone(NOT_OPEN.into()));
        }
        db::audit::record_for(
            c,
            now,
            (account.as_str(), &row.member_id),
            AuditAction::DelegateAccepted,
            &row.member_id,
            Some(&row.can),
        )?;
        Ok(Delegation {
            member: MemberName {
                id: member.id,
                name: member.name,
            },
            can: stored_rights(&row.can)?.list(),
            email,
        })
    })
}

/// The signed-in account that accepts: not the member themselves, not a coordinator (who acts
/// for every member already), and not someone who already acts for this member.
fn signed_in_account(
    c: &mut DbConnection,
    caller: &Caller,
    row: &DelegateRow,
) -> Result<(UserId, Option<String>)> {
    if caller.id.as_str() == row.member_id {
        return Err(Error::Conflict(
            "This invitation is for someone who will help you: send its link to them.".into(),
        ));
    }
    if caller.is_coordinator() {
        return Err(Error::Conflict(
            "Coordinators already arrange help for every member.".into(),
        ));
    }
    if db::delegates::rights(c, caller.id.as_str(), &row.member_id)?.is_some() {
        return Err(Error::Conflict(ALREADY_HELPING.into()));
    }
    let email = db::users::find(c, caller.id.as_str())?.and_then(|u| u.email);
    Ok((caller.id.clone(), email))
}

fn new_delegate(
    c: &mut DbConnection,
    email: &str,
    name: String,
    password_hash: Option<String>,
    now: NaiveDateTime,
) -> Result<(UserId, Option<String>)> {
    let taken = || {
        Error::Conflict(
            "An account with this email already exists: sign in, then open the link again.".into(),
        )
    };
    if db::users::email_taken(c, email)? {
        return Err(taken());
    }
    let user = UserRow {
        id: db::new_id(),
        role: Role::Delegate,
        name,
        email: Some(email.to_string()),
        phone: None,
        password_hash,
        created_at: now,
        token_version: 0,
        deactivated_at: None,
        contact_by: None,
        phone_e164: None,
    };
    db::users::insert(c, &user).map_err(|e| match db::is_unique_violation(&e) {
        true => taken(),
        false => e.into(),
    })?;
    Ok((UserId::from_string(user.id), user.email))
}
