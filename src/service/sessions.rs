//! Signing in and out: login with the per-account failure limit, refresh tokens that work once
//! (reuse signs out the whole login), "keep me signed in" (the refresh token kept in a cookie for
//! `auth.remember_days` from its last use), the places a person is signed in and signing out
//! there or everywhere, logout, and "who am I".

use chrono::Duration;
use serde::Serialize;
use utoipa::ToSchema;

use super::views::{EmergencyContact, HelperView, MemberView, VettingView};
use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, refresh_tokens::RefreshTokenRow, users::UserRow, DbConnection};
use crate::domain::{self as d, Availability, Caller, Category, Location, Role, SessionId, UserId};

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: String,
    pub role: Role,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Use once with `/auth/refresh`; each use gives a new one. Left out when the sign-in is
    /// kept (`remember`): the refresh token is then in a cookie scripts cannot read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub user: UserSummary,
}

/// New tokens, and the refresh token to keep in a cookie when the sign-in is kept.
pub struct Issued {
    pub tokens: TokenResponse,
    pub remembered: Option<Remembered>,
}

/// A kept sign-in's refresh token and how long its cookie lasts.
pub struct Remembered {
    pub refresh_token: String,
    pub lasts: Duration,
}

/// How a sign-in began: from which phone or browser (its `User-Agent`), and whether it is kept.
#[derive(Debug, Clone, Default)]
pub struct SignInFrom {
    /// The client's network, for the wrong-password limit.
    pub network: String,
    pub user_agent: String,
    pub remember: bool,
}

const WRONG_LOGIN: &str = "The email or password is wrong.";

/// Where a refresh token goes: its session (a new one at login), the phone or browser in words,
/// and whether it is kept.
pub(super) struct Family {
    pub(super) id: Option<String>,
    pub(super) device: String,
    pub(super) remember: bool,
}

/// Issue an access token and a refresh token in the family (a new family at login).
pub(super) fn issue_tokens(
    svc: &Services,
    c: &mut DbConnection,
    user: &UserRow,
    family: Family,
) -> Result<Issued> {
    let token = refresh::new_token();
    let now = svc.now();
    let auth = &svc.settings.auth;
    let lasts = Duration::days(if family.remember {
        auth.remember_days
    } else {
        auth.refresh_ttl_days
    });
    let family_id = family.id.unwrap_or_else(db::new_id);
    db::refresh_tokens::insert(
        c,
        &RefreshTokenRow {
            id: db::new_id(),
            user_id: user.id.clone(),
            family_id: family_id.clone(),
            token_hash: refresh::hash(&token),
            created_at: now,
            expires_at: now + lasts,
            used_at: None,
            revoked_at: None,
            device: family.device,
            remember: family.remember,
        },
    )?;
    let (refresh_token, remembered) = if family.remember {
        let kept = Remembered {
            refresh_token: token,
            lasts,
        };
        (None, Some(kept))
    } else {
        (Some(token), None)
    };
    Ok(Issued {
        tokens: TokenResponse {
            access_token: svc
                .keys
                .issue(&user.id, user.role, user.token_version, Some(&family_id))
                .map_err(|e| Error::internal("signing an access token", e))?,
            token_type: "Bearer",
            expires_in: svc.keys.access_ttl_secs,
            refresh_token,
            user: UserSummary {
                id: user.id.clone(),
                role: user.role,
                name: user.name.clone(),
            },
        },
        remembered,
    })
}

/// Sign in with email and password from `from` (its network, browser, and whether to keep the
/// sign-in). After
/// `auth.login_max_failures` wrong passwords from that address in the window, the account
/// refuses logins from that address until the oldest failure leaves the window; from elsewhere
/// (the account holder at their own desk) it still signs in.
pub fn login(svc: &Services, email: &str, password: &str, from: SignInFrom) -> Result<Issued> {
    let email = email.trim().to_lowercase();
    let auth = &svc.settings.auth;
    let now = svc.now();
    let window = Duration::seconds(auth.login_failure_window_secs);
    let (failures, oldest, user) = svc.read(|c| {
        let (failures, oldest) = db::login_failures::since(c, &email, &from.network, now - window)?;
        Ok((failures, oldest, db::users::find_by_email(c, &email)?))
    })?;
    if failures >= auth.login_max_failures {
        let retry = oldest
            .map(|o| (o + window - now).num_seconds())
            .unwrap_or(1)
            .max(1);
        return Err(Error::TooManyAttempts {
            retry_after_secs: retry as u64,
        });
    }
    let policy = svc.passwords();
    let ok = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
        Some(hash) => policy.verify(password, hash),
        None => {
            policy.dummy_verify(password);
            false
        }
    };
    // A wrong password is recorded, and that must stick although the answer is an error.
    svc.write(|c| match user {
        Some(user) if ok && !user.is_active() => Ok(Err(Error::Unauthorized(
            "This account has been deactivated: please call your coordinator.".into(),
        ))),
        Some(user) if ok => {
            db::login_failures::clear(c, &email)?;
            let family = Family {
                id: None,
                device: d::device::words(&from.user_agent),
                remember: from.remember,
            };
            issue_tokens(svc, c, &user, family).map(Ok)
        }
        _ => {
            db::login_failures::record(c, &email, &from.network, now)?;
            Ok(Err(Error::Unauthorized(WRONG_LOGIN.into())))
        }
    })?
}

/// Trade a refresh token for new tokens. Each refresh token works once; reusing one signs out
/// every session that grew from the same login, except within `auth.refresh_reuse_grace_secs`
/// of its first use (two tabs of one phone opening at once), which gives new tokens of the same
/// session.
pub fn refresh_session(svc: &Services, refresh_token: &str) -> Result<Issued> {
    let hash = refresh::hash(refresh_token.trim());
    let invalid =
        || Error::Unauthorized("The refresh token is invalid, expired or already used.".into());
    let grace = Duration::seconds(svc.settings.auth.refresh_reuse_grace_secs);
    // A reused token revokes its family, and that must stick although the answer is an error.
    svc.write(|c| {
        let now = svc.now();
        let Some(row) = db::refresh_tokens::find_by_hash(c, &hash)? else {
            return Ok(Err(invalid()));
        };
        let just_used = row.used_at.is_some_and(|at| now - at <= grace);
        if row.revoked_at.is_some() || (row.used_at.is_some() && !just_used) {
            tracing::warn!(user_id = %row.user_id, "refresh token reused; revoking its family");
            db::refresh_tokens::revoke_family(c, &row.family_id, now)?;
            return Ok(Err(invalid()));
        }
        if row.expires_at <= now {
            return Ok(Err(invalid()));
        }
        if !just_used && !db::refresh_tokens::use_once(c, &row.id, now)? {
            db::refresh_tokens::revoke_family(c, &row.family_id, now)?;
            return Ok(Err(invalid()));
        }
        let Some(user) = db::users::find(c, &row.user_id)?.filter(|u| u.is_active()) else {
            return Ok(Err(invalid()));
        };
        let family = Family {
            id: Some(row.family_id),
            device: row.device,
            remember: row.remember,
        };
        issue_tokens(svc, c, &user, family).map(Ok)
    })?
}

/// Sign out: the refresh token and every token grown from the same login stop working.
pub fn logout(svc: &Services, refresh_token: &str) -> Result<()> {
    let hash = refresh::hash(refresh_token.trim());
    svc.write(|c| {
        if let Some(row) = db::refresh_tokens::find_by_hash(c, &hash)? {
            db::refresh_tokens::revoke_family(c, &row.family_id, svc.now())?;
        }
        Ok(())
    })
}

/// A place where someone is signed in: one phone or browser, from signing in to signing out.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    #[schema(value_type = String)]
    pub id: SessionId,
    /// The phone or browser, in words ("Safari on an iPhone").
    pub device: String,
    /// When it last signed in or renewed its sign-in.
    #[schema(value_type = String, format = DateTime)]
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    /// Kept signed in ("Keep me signed in on this phone") rather than for one visit.
    pub kept: bool,
    /// The phone or browser this list was asked from.
    pub this_one: bool,
}

/// Where the caller is signed in, most recently used first; `current` is the session the
/// caller's own token was issued to.
pub fn sessions(
    svc: &Services,
    caller: &Caller,
    current: Option<&SessionId>,
) -> Result<Vec<SessionView>> {
    let rows = svc.read(|c| {
        Ok(db::refresh_tokens::live_for_user(
            c,
            caller.id.as_str(),
            svc.now(),
        )?)
    })?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|row| seen.insert(row.family_id.clone()))
        .map(|row| {
            let id = SessionId::from_string(row.family_id);
            SessionView {
                this_one: current == Some(&id),
                id,
                device: row.device,
                last_used_at: super::views::utc(row.created_at),
                kept: row.remember,
            }
        })
        .collect())
}

/// Sign the caller out on one of their phones or browsers: its refresh token stops working at
/// once (an access token it holds runs out on its own). Another person's, or one already
/// ended, is a 404.
pub fn end_session(svc: &Services, caller: &Caller, id: &SessionId) -> Result<()> {
    svc.write(|c| {
        if db::refresh_tokens::revoke_users_family(c, caller.id.as_str(), id.as_str(), svc.now())? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    })
}

/// Sign a person out everywhere (that person, or a coordinator for a lost phone): every refresh
/// token and every access token of theirs stops working at once.
pub fn sign_out_everywhere(svc: &Services, caller: &Caller, id: &UserId) -> Result<()> {
    if !caller.is_self_or_coordinator(id.as_str()) {
        return Err(Error::Forbidden(
            "Only that person or a coordinator can sign them out everywhere.".into(),
        ));
    }
    svc.write(|c| {
        if !db::users::end_access_tokens(c, id.as_str())? {
            return Err(Error::NotFound);
        }
        db::refresh_tokens::revoke_all_for_user(c, id.as_str(), svc.now())?;
        if caller.id != *id {
            db::audit::record(
                c,
                svc.now(),
                Some(caller.id.as_str()),
                d::AuditAction::SignedOutEverywhere,
                id.as_str(),
                None,
            )?;
        }
        Ok(())
    })
}

/// The caller's account and, spread in, their profile: `address` and `location` for members;
/// `home`, `skills`, `max_distance_km`, `vetting` and `availability` for helpers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// How to reach them, in order: as they (or a coordinator) set it, or what their details
    /// give.
    pub contact_by: Vec<d::Channel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// A member's: what a helper at the door should know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_needs: Option<String>,
    /// A member's: who to ring in an emergency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_contact: Option<EmergencyContact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<Category>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_distance_km: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vetting: Option<VettingView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// The members this person helps arrange visits for (a family delegate), by name; empty
    /// for most.
    pub acts_for: Vec<super::delegates::ActsFor>,
}

pub fn me(svc: &Services, caller: &Caller) -> Result<Me> {
    svc.read(|c| {
        let user = db::users::find(c, caller.id.as_str())?
            .ok_or_else(|| Error::Unauthorized("This account no longer exists.".into()))?;
        let mut me = Me {
            id: user.id.clone(),
            role: caller.role,
            name: user.name.clone(),
            email: user.email.clone(),
            phone: user.phone.clone(),
            contact_by: d::contact::route(
                user.contact_by.as_deref(),
                user.email.as_deref(),
                user.phone.as_deref(),
            ),
            address: None,
            location: None,
            access_needs: None,
            emergency_contact: None,
            home: None,
            skills: None,
            max_distance_km: None,
            vetting: None,
            availability: None,
            acts_for: super::delegates::acts_for(c, &user.id)?,
        };
        match caller.role {
            Role::Member => {
                if let Some((u, m)) = db::members::get(c, &user.id)? {
                    let v = MemberView::new(u, m);
                    me.address = Some(v.address);
                    me.location = Some(v.location);
                    me.access_needs = v.access_needs;
                    me.emergency_contact = v.emergency_contact;
                }
            }
            Role::Helper => {
                if let Some((u, h)) = db::helpers::get(c, &user.id)? {
                    let v = HelperView::new(u, h)?;
                    me.home = Some(v.home);
                    me.skills = Some(v.skills);
                    me.max_distance_km = Some(v.max_distance_km);
                    me.vetting = Some(v.vetting);
                    me.availability = Some(v.availability);
                }
            }
            Role::Coordinator | Role::Delegate => {}
        }
        Ok(me)
    })
}
