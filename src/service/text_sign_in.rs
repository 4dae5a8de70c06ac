//! Signing in by a code sent by text, for members who cannot keep a password. Asking for a code
//! answers alike whatever the number (nothing tells whether it has an account); a code is six
//! digits from a cryptographic source, held hashed, valid `CODE_MINUTES`, with `MOST_TRIES`
//! tries, used once. A number is sent at most `CODES_PER_NUMBER` codes an hour, and one network
//! may ask for at most `ASKS_PER_NETWORK` an hour.

use chrono::Duration;
use rand::Rng;

use super::sessions::{issue_tokens, Family, Issued, SignInFrom};
use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, outbox, sign_in_codes::SignInCodeRow};
use crate::domain::{self as d, contact, Role};

pub const CODE_MINUTES: i64 = 10;
pub const MOST_TRIES: i32 = 5;
pub const CODES_PER_NUMBER: i64 = 3;
pub const ASKS_PER_NETWORK: i64 = 10;
const HOUR: Duration = Duration::hours(1);
/// Where asks are counted (`login_failures`): by number, and by network.
const ASKED_FOR_NUMBER: &str = "sign-in code asked for this number";
const ASKED_FROM_NETWORK: &str = "sign-in code asked from this network";

const WRONG_CODE: &str =
    "That code is wrong or has run out. Ask for a new one, or ring your coordinator.";

fn hash(row_id: &str, code: &str) -> String {
    refresh::hash(&format!("{row_id}:{code}"))
}

/// The number as the Circle reads it, or a 422 that says how to write one.
fn number(phone: &str) -> Result<String> {
    contact::e164(phone).ok_or_else(|| {
        Error::invalid(
            "phone",
            "must be a phone number, such as 07700 900123 or +44 7700 900123",
        )
    })
}

/// Text a sign-in code to the account with this number, when there is one that may have it.
pub fn ask_for_code(svc: &Services, phone: &str, network: &str) -> Result<()> {
    let number = number(phone)?;
    svc.write(|c| {
        let now = svc.now();
        let (from_network, oldest) =
            db::login_failures::since(c, ASKED_FROM_NETWORK, network, now - HOUR)?;
        if from_network >= ASKS_PER_NETWORK {
            let retry = oldest.map_or(60, |o| (o + HOUR - now).num_seconds().max(1));
            return Ok(Err(Error::TooManyAttempts {
                retry_after_secs: retry as u64,
            }));
        }
        db::login_failures::record(c, ASKED_FROM_NETWORK, network, now)?;
        let (for_number, _) = db::login_failures::since(c, &number, ASKED_FOR_NUMBER, now - HOUR)?;
        db::login_failures::record(c, &number, ASKED_FOR_NUMBER, now)?;
        if for_number >= CODES_PER_NUMBER || db::texts::stopped(c, &number)? {
            return Ok(Ok(()));
        }
        let account = db::users::by_number(c, &number)?.into_iter().find(|u| {
            u.role != Role::Coordinator && u.phone.as_deref().is_some_and(contact::is_uk_mobile)
        });
        let Some(user) = account else {
            return Ok(Ok(()));
        };
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
        let id = db::new_id();
        db::sign_in_codes::insert(
            c,
            &SignInCodeRow {
                code_hash: hash(&id, &code),
                id,
                user_id: user.id.clone(),
                phone: number.clone(),
                created_at: now,
                expires_at: now + Duration::minutes(CODE_MINUTES),
                tries: 0,
                used_at: None,
            },
        )?;
        let text = super::texts::sign_in_code_text(svc, &number, &code, CODE_MINUTES);
        outbox::enqueue(c, &text, now)?;
        Ok(Ok(()))
    })?
}

/// Sign in with the code texted to this number.
pub fn sign_in(svc: &Services, phone: &str, code: &str, from: SignInFrom) -> Result<Issued> {
    let number = number(phone)?;
    let code = code.trim().replace(' ', "");
    svc.write(|c| {
        let now = svc.now();
        let Some(row) = db::sign_in_codes::live(c, &number, now, MOST_TRIES)? else {
            return Ok(Err(Error::Unauthorized(WRONG_CODE.into())));
        };
        let right = code.len() == 6 && refresh::same(&hash(&row.id, &code), &row.code_hash);
        if !right {
            // The try is kept although the answer is an error.
            db::sign_in_codes::tried(c, &row.id)?;
            return Ok(Err(Error::Unauthorized(WRONG_CODE.into())));
        }
        if !db::sign_in_codes::spend(c, &row.id, now)? {
            return Ok(Err(Error::Unauthorized(WRONG_CODE.into())));
        }
        let user = db::users::find(c, &row.user_id)?
            .filter(|u| u.phone_e164.as_deref() == Some(number.as_str()));
        let Some(user) = user else {
            return Ok(Err(Error::Unauthorized(WRONG_CODE.into())));
        };
        if !user.is_active() {
            return Ok(Err(Error::Unauthorized(
                "This account has been closed: please ring your coordinator.".into(),
            )));
        }
        let family = Family {
            id: None,
            device: d::device::words(&from.user_agent),
            remember: from.remember,
        };
        issue_tokens(svc, c, &user, family).map(Ok)
    })?
}
