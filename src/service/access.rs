//! Who may still get in: access tokens checked against the account (deactivated, or issued before
//! a password change), coordinators deactivating and reactivating accounts, and password resets
//! by a one-time emailed link.

use std::sync::atomic::{AtomicU8, Ordering};

use chrono::Duration;
use serde::Serialize;
use utoipa::ToSchema;

use super::views::utc;
use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, password_resets::PasswordResetRow, DbConnection};
use crate::domain::{AuditAction, Caller, EventId, Role, SeriesStatus, UserId};

/// How long a password-reset link works.
pub const RESET_VALID_MINUTES: i64 = 60;
/// At most this many links an hour for one account; more requests are answered alike and
/// send nothing.
pub const RESETS_PER_HOUR: i64 = 3;

/// What a caller is told when their account no longer accepts the token they sent.
pub const TOKEN_ENDED: &str = "This access token no longer works: sign in again.";

/// Does a token of `version` claiming `role` for this user still work? Not once the account is
/// deactivated or its password changed, and never when the account's role is another: the
/// role a token claims is only believed when the account has it.
pub fn token_is_current(svc: &Services, id: &UserId, role: Role, version: i32) -> Result<bool> {
    svc.read_one(|c| accepts(c, id, role, version))
}

fn accepts(c: &mut DbConnection, id: &UserId, role: Role, version: i32) -> Result<bool> {
    let access = db::users::access(c, id.as_str())?;
    Ok(matches!(access, Some((r, v, None)) if v == version && r == role))
}

/// A signed-in caller's token, to be checked against the account ([`token_is_current`]'s rule)
/// in the first transaction of the use case it was given to, as that transaction's first
/// statement: one read of the database for the check and the use case together, on one
/// connection. Once refused, every later transaction of that use case is refused too, and the
/// use case's answer is not given ([`TokenClaim::settle`]).
#[derive(Debug)]
pub struct TokenClaim {
    id: UserId,
    role: Role,
    version: i32,
    state: AtomicU8,
}

const PENDING: u8 = 0;
const ACCEPTED: u8 = 1;
const REFUSED: u8 = 2;

impl TokenClaim {
    pub fn new(caller: &Caller, version: i32) -> TokenClaim {
        TokenClaim {
            id: caller.id.clone(),
            role: caller.role,
            version,
            state: AtomicU8::new(PENDING),
        }
    }

    /// Checked on `c` (inside the transaction about to run) unless it was already; a 401 when
    /// the account no longer accepts the token.
    pub(crate) fn admit(&self, c: &mut DbConnection) -> Result<()> {
        if self.state.load(Ordering::Acquire) == PENDING {
            let state = match accepts(c, &self.id, self.role, self.version)? {
                true => ACCEPTED,
                false => REFUSED,
            };
            self.state.store(state, Ordering::Release);
        }
        self.verdict()
    }

    /// Whether no transaction has checked it yet (a use case that read nothing).
    pub(crate) fn pending(&self) -> bool {
        self.state.load(Ordering::Acquire) == PENDING
    }

    fn verdict(&self) -> Result<()> {
        match self.state.load(Ordering::Acquire) {
            REFUSED => Err(Error::Unauthorized(TOKEN_ENDED.into())),
            _ => Ok(()),
        }
    }

    /// After the use case: its answer may be given only if the account accepted the token;
    /// checked now, on a connection of its own, if the use case never read the database.
    pub fn settle(&self, svc: &Services) -> Result<()> {
        if self.pending() {
            svc.read_one(|c| self.admit(c))?;
        }
        self.verdict()
    }
}

/// An account as coordinators manage it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: String,
    pub role: Role,
    pub name: String,
    pub active: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub deactivated_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn account(c: &mut DbConnection, id: &UserId) -> Result<AccountView> {
    let user = db::users::find(c, id.as_str())?.ok_or(Error::NotFound)?;
    Ok(AccountView {
        active: user.is_active(),
        deactivated_at: user.deactivated_at.map(utc),
        id: user.id,
        role: user.role,
        name: user.name,
    })
}

/// A coordinator deactivates an account: its access and refresh tokens stop working at once, a
/// helper's open offers are withdrawn and those jobs passed on. Deactivating twice is not an
/// error; deactivating oneself is refused.
pub fn deactivate(
    svc: &Services,
    caller: &Caller,
    id: &UserId,
    reason: &str,
) -> Result<AccountView> {
    super::coordinators_only(caller)?;
    let reason = &super::reason(reason)?;
    if caller.id == *id {
        return Err(Error::invalid(
            "id",
            "you cannot deactivate your own account; ask another coordinator",
        ));
    }
    svc.write(|c| {
        let user = db::users::find(c, id.as_str())?.ok_or(Error::NotFound)?;
        let now = svc.now();
        if db::users::deactivate(c, id.as_str(), now)? {
            db::refresh_tokens::revoke_all_for_user(c, id.as_str(), now)?;
            db::push_subscriptions::delete_all_of(c, id.as_str())?;
            if user.role == Role::Helper {
                super::offering::by_hand::helper_withdrawn(c, &svc.settings, id.as_str(), now)?;
            }
            if user.role == Role::Member {
                member_leaves(c, svc, caller, id, now)?;
            }
            db::audit::record(
                c,
                now,
                Some(caller.id.as_str()),
                AuditAction::UserDeactivated,
                id.as_str(),
                Some(reason),
            )?;
        }
        account(c, id)
    })
}

/// A deactivated member's commitments end with the account, in its transaction: their requests
/// not finished are cancelled (assigned helpers told), their standing requests ended, and their
/// places at events given up (the first waiting member promoted and told). Reactivating
/// restores none of these.
fn member_leaves(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    id: &UserId,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    const WHY: &str = "The member's account was closed";
    for series in db::series::running_of_member(c, id.as_str())? {
        super::series::set_status_in(c, &series, SeriesStatus::Ended, Some(WHY), now)?;
    }
    for row in db::requests::unfinished_of_member(c, id.as_str())? {
        super::requests::cancel_in(c, svc, caller, &row, Some(WHY), now)?;
    }
    let member = id.as_member();
    for event in db::events::upcoming_of_member(c, id.as_str(), now)? {
        let event = EventId::from_string(event);
        super::events::leave_in(c, svc, caller, &event, &member, now)?;
    }
    Ok(())
}

/// A coordinator lets a deactivated account in again (its old tokens stay ended: the person
/// signs in afresh). Reactivating an active account is not an error.
pub fn reactivate(
    svc: &Services,
    caller: &Caller,
    id: &UserId,
    reason: Option<&str>,
) -> Result<AccountView> {
    super::coordinators_only(caller)?;
    let reason = reason.map(super::reason).transpose()?;
    let reason = reason.as_deref();
    svc.write(|c| {
        db::users::find(c, id.as_str())?.ok_or(Error::NotFound)?;
        if db::users::reactivate(c, id.as_str())? {
            db::audit::record(
                c,
                svc.now(),
                Some(caller.id.as_str()),
                AuditAction::UserReactivated,
                id.as_str(),
                reason,
            )?;
        }
        account(c, id)
    })
}

/// Someone asks for a reset link. Whether or not the email belongs to an account, the answer is
/// the same; an active account with that email gets a one-time link, at most
/// [`RESETS_PER_HOUR`] an hour.
pub fn request_password_reset(svc: &Services, email: &str) -> Result<()> {
    let email = email.trim().to_lowercase();
    let token = refresh::new_token();
    svc.write(|c| {
        let Some(user) = db::users::find_by_email(c, &email)? else {
            return Ok(());
        };
        let now = svc.now();
        let recent = db::password_resets::made_since(c, &user.id, now - Duration::hours(1))?;
        if !user.is_active() || recent >= RESETS_PER_HOUR {
            return Ok(());
        }
        db::password_resets::insert(
            c,
            &PasswordResetRow {
                id: db::new_id(),
                user_id: user.id.clone(),
                token_hash: refresh::hash(&token),
                created_at: now,
                expires_at: now + Duration::minutes(RESET_VALID_MINUTES),
                used_at: None,
            },
        )?;
        // Coordinators choose the new password in the console, members and helpers in the app.
        let page = match user.role {
            Role::Coordinator => "console/",
            Role::Member | Role::Helper | Role::Delegate => "app/",
        };
        let link = format!(
            "{}/{page}#/reset/{token}",
            svc.settings.server.public_url.trim_end_matches('/')
        );
        let mail =
            crate::notify::messages::password_reset(&email, &user.name, &link, RESET_VALID_MINUTES);
        db::outbox::enqueue(c, &mail, now)?;
        Ok(())
    })
}

/// The holder of a link sets a new password. The link works once, within the hour; every other
/// link, every refresh token and every access token of the account stop working.
pub fn confirm_password_reset(svc: &Services, token: &str, password: &str) -> Result<()> {
    let hash = svc
        .passwords()
        .hash(password)
        .map_err(|e| Error::internal("hashing a password", e))?;
    let invalid = || {
        Error::invalid(
            "token",
            "this link is not valid: it was used, has expired or was never sent",
        )
    };
    svc.write(|c| {
        let now = svc.now();
        let row = db::password_resets::find_by_hash(c, &refresh::hash(token.trim()))?
            .ok_or_else(invalid)?;
        if row.expires_at <= now || !db::password_resets::use_once(c, &row.id, now)? {
            return Err(invalid());
        }
        let user = db::users::find(c, &row.user_id)?.ok_or_else(invalid)?;
        if !user.is_active() {
            return Err(invalid());
        }
        db::users::set_password(c, &user.id, &hash)?;
        db::password_resets::use_all_for_user(c, &user.id, now)?;
        db::refresh_tokens::revoke_all_for_user(c, &user.id, now)?;
        if let Some(email) = &user.email {
            db::login_failures::clear(c, email)?;
        }
        db::audit::record(
            c,
            now,
            Some(&user.id),
            AuditAction::PasswordReset,
            &user.id,
            None,
        )?;
        Ok(())
    })
}
