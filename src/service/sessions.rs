//! Signing in and out: login with the per-account failure limit, refresh tokens that work once
//! (reuse signs out the whole login), logout, and "who am I".

use chrono::Duration;
use serde::Serialize;
use utoipa::ToSchema;

use super::views::{HelperView, MemberView, VettingView};
use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, refresh_tokens::RefreshTokenRow, users::UserRow, DbConnection};
use crate::domain::{Availability, Caller, Category, Location, Role};

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
    /// Use once with `/auth/refresh`; each use gives a new one.
    pub refresh_token: String,
    pub user: UserSummary,
}

const WRONG_LOGIN: &str = "The email or password is wrong.";

/// Issue an access token and a refresh token in `family` (a new family at login).
fn issue_tokens(
    svc: &Services,
    c: &mut DbConnection,
    user: &UserRow,
    family: Option<String>,
) -> Result<TokenResponse> {
    let token = refresh::new_token();
    let now = svc.now();
    db::refresh_tokens::insert(
        c,
        &RefreshTokenRow {
            id: db::new_id(),
            user_id: user.id.clone(),
            family_id: family.unwrap_or_else(db::new_id),
            token_hash: refresh::hash(&token),
            created_at: now,
            expires_at: now + Duration::days(svc.settings.auth.refresh_ttl_days),
            used_at: None,
            revoked_at: None,
        },
    )?;
    Ok(TokenResponse {
        access_token: svc
            .keys
            .issue(&user.id, user.role, user.token_version)
            .map_err(|e| Error::internal("signing an access token", e))?,
        token_type: "Bearer",
        expires_in: svc.keys.access_ttl_secs,
        refresh_token: token,
        user: UserSummary {
            id: user.id.clone(),
            role: user.role,
            name: user.name.clone(),
        },
    })
}

/// Sign in with email and password from the client address `from`. After
/// `auth.login_max_failures` wrong passwords from that address in the window, the account
/// refuses logins from that address until the oldest failure leaves the window; from elsewhere
/// (the account holder at their own desk) it still signs in.
pub fn login(svc: &Services, email: &str, password: &str, from: &str) -> Result<TokenResponse> {
    let email = email.trim().to_lowercase();
    let auth = &svc.settings.auth;
    let now = svc.now();
    let window = Duration::seconds(auth.login_failure_window_secs);
    let (failures, oldest, user) = svc.read(|c| {
        let (failures, oldest) = db::login_failures::since(c, &email, from, now - window)?;
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
            issue_tokens(svc, c, &user, None).map(Ok)
        }
        _ => {
            db::login_failures::record(c, &email, from, now)?;
            Ok(Err(Error::Unauthorized(WRONG_LOGIN.into())))
        }
    })?
}

/// Trade a refresh token for new tokens. Each refresh token works once; reusing one signs out
/// every session that grew from the same login.
pub fn refresh_session(svc: &Services, refresh_token: &str) -> Result<TokenResponse> {
    let hash = refresh::hash(refresh_token.trim());
    let invalid =
        || Error::Unauthorized("The refresh token is invalid, expired or already used.".into());
    // A reused token revokes its family, and that must stick although the answer is an error.
    svc.write(|c| {
        let now = svc.now();
        let Some(row) = db::refresh_tokens::find_by_hash(c, &hash)? else {
            return Ok(Err(invalid()));
        };
        if row.used_at.is_some() || row.revoked_at.is_some() {
            tracing::warn!(user_id = %row.user_id, "refresh token reused; revoking its family");
            db::refresh_tokens::revoke_family(c, &row.family_id, now)?;
            return Ok(Err(invalid()));
        }
        if row.expires_at <= now {
            return Ok(Err(invalid()));
        }
        if !db::refresh_tokens::use_once(c, &row.id, now)? {
            db::refresh_tokens::revoke_family(c, &row.family_id, now)?;
            return Ok(Err(invalid()));
        }
        let Some(user) = db::users::find(c, &row.user_id)?.filter(|u| u.is_active()) else {
            return Ok(Err(invalid()));
        };
        issue_tokens(svc, c, &user, Some(row.family_id)).map(Ok)
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

/// The caller's account and, spread in, their profile: `address` and `location` for members;
/// `home`, `skills`, `max_distance_km`, `vetting` and `availability` for helpers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
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
            address: None,
            location: None,
            home: None,
            skills: None,
            max_distance_km: None,
            vetting: None,
            availability: None,
        };
        match caller.role {
            Role::Member => {
                if let Some((u, m)) = db::members::get(c, &user.id)? {
                    let v = MemberView::new(u, m);
                    me.address = Some(v.address);
                    me.location = Some(v.location);
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
            Role::Coordinator => {}
        }
        Ok(me)
    })
}
