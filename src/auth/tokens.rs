//! Access tokens: short-lived HS256 JWTs with strict validation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::Role;
use crate::config::AuthSettings;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub role: String,
    pub iat: i64,
    pub exp: i64,
    /// The account's token version when issued; raising it ends every older token.
    #[serde(default)]
    pub ver: i32,
    /// The session (refresh-token family) the token was issued to, when it was issued to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// What a checked access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub user_id: String,
    pub role: Role,
    /// The account's token version when issued.
    pub version: i32,
    /// The session it was issued to, if any.
    pub session: Option<String>,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    pub access_ttl_secs: i64,
    /// Tokens whose signature and claims were checked, with what they say and when they expire:
    /// the same string checked with the same keys gives the same answer until then, so a token
    /// sent again is found here rather than decoded and its signature computed anew.
    seen: Arc<Mutex<HashMap<String, (Verified, i64)>>>,
}

/// At most this many checked tokens are kept; when full, all are forgotten at once.
const SEEN_MOST: usize = 4096;

impl TokenKeys {
    pub fn new(settings: &AuthSettings) -> Self {
        let secret = settings.jwt_secret.expose().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 0;
        validation.validate_exp = true;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            access_ttl_secs: settings.access_ttl_secs,
            seen: Arc::default(),
        }
    }

    /// An access token for `user_id` in `role`, at the account's token `version`, issued to the
    /// session `session` (a refresh-token family).
    pub fn issue(
        &self,
        user_id: &str,
        role: Role,
        version: i32,
        session: Option<&str>,
    ) -> Result<String, String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user_id.to_string(),
            role: role.as_str().to_string(),
            iat: now,
            exp: now + self.access_ttl_secs,
            ver: version,
            sid: session.map(str::to_string),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|e| e.to_string())
    }

    /// The caller's id, role, token version and session, if the token is valid, unexpired, ours
    /// and HS256. Whether that version is still the account's is for the caller to check.
    pub fn verify(&self, token: &str) -> Option<Verified> {
        // Expired when `exp` is before now (no leeway), as the full check has it.
        let now = Utc::now().timestamp();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((verified, exp)) = seen.get(token) {
            return (*exp >= now).then(|| verified.clone());
        }
        drop(seen);
        let data = decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let role = Role::parse(&data.claims.role).ok()?;
        let verified = Verified {
            user_id: data.claims.sub,
            role,
            version: data.claims.ver,
            session: data.claims.sid,
        };
        seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= SEEN_MOST {
            seen.clear();
        }
        seen.insert(token.to_string(), (verified.clone(), data.claims.exp));
        Some(verified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;
    use base64::Engine;

    fn settings(secret: &str, iss: &str, aud: &str, ttl: i64) -> AuthSettings {
        AuthSettings {
            jwt_secret: Secret::new(secret),
            issuer: iss.into(),
            audience: aud.into(),
            access_ttl_secs: ttl,
            refresh_ttl_days: 30,
            remember_days: 90,
            refresh_reuse_grace_secs: 30,
            login_max_failures: 5,
            login_failure_window_secs: 900,
            login_per_address_per_minute: 100,
            signups_per_address_per_hour: 20,
            resets_per_address_per_hour: 10,
            trusted_proxies: Vec::new(),
            hashing_at_once: 0,
            argon2_memory_kib: 256,
            argon2_iterations: 1,
        }
    }

    #[test]
    fn round_trip() {
        let keys = TokenKeys::new(&settings(
            "s3cret-s3cret-s3cret-s3cret-s3cret",
            "n",
            "a",
            900,
        ));
        let t = keys.issue("u1", Role::Helper, 3, Some("s1")).unwrap();
        assert_eq!(
            keys.verify(&t),
            Some(Verified {
                user_id: "u1".into(),
                role: Role::Helper,
                version: 3,
                session: Some("s1".into()),
            })
        );
    }

    #[test]
    fn refuses_wrong_issuer_audience_secret_and_expired() {
        let good = TokenKeys::new(&settings("secret-one-secret-one-secret-one", "n", "a", 900));
        for other in [
            settings("secret-one-secret-one-secret-one", "other", "a", 900),
            settings("secret-one-secret-one-secret-one", "n", "other", 900),
            settings("secret-two-secret-two-secret-two", "n", "a", 900),
            settings("secret-one-secret-one-secret-one", "n", "a", -10),
        ] {
            let t = TokenKeys::new(&other)
                .issue("u1", Role::Member, 0, None)
                .unwrap();
            assert_eq!(good.verify(&t), None);
        }
    }

    #[test]
    fn a_token_checked_before_is_answered_alike_and_still_expires() {
        let keys = TokenKeys::new(&settings("secret-one-secret-one-secret-one", "n", "a", 900));
        let t = keys.issue("u1", Role::Member, 2, None).unwrap();
        let first = keys.verify(&t);
        assert!(first.is_some());
        assert_eq!(keys.verify(&t), first);
        // A forged signature on the same claims is no token we have seen.
        let other_end = if t.ends_with('A') { "Q" } else { "A" };
        let forged = format!("{}{other_end}", &t[..t.len() - 1]);
        assert_eq!(keys.verify(&forged), None);
        // Kept with its expiry: past it, the kept answer is refused.
        let short = TokenKeys::new(&settings("secret-one-secret-one-secret-one", "n", "a", 1));
        let soon = short.issue("u2", Role::Helper, 0, None).unwrap();
        assert!(keys.verify(&soon).is_some());
        let exp = keys.seen.lock().unwrap()[&soon].1;
        keys.seen.lock().unwrap().get_mut(&soon).unwrap().1 = exp - 10;
        assert_eq!(keys.verify(&soon), None);
        // Full: forgotten, and checked afresh.
        for i in 0..SEEN_MOST + 1 {
            let other = keys.issue(&format!("u{i}"), Role::Member, 0, None).unwrap();
            assert!(keys.verify(&other).is_some());
        }
        assert!(keys.seen.lock().unwrap().len() <= SEEN_MOST);
        assert_eq!(keys.verify(&t), first);
    }

    #[test]
    fn refuses_alg_none() {
        let keys = TokenKeys::new(&settings("secret-one-secret-one-secret-one", "n", "a", 900));
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let now = Utc::now().timestamp();
        let header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let body = b64.encode(format!(
            r#"{{"iss":"n","aud":"a","sub":"u1","role":"coordinator","iat":{now},"exp":{}}}"#,
            now + 600
        ));
        assert_eq!(keys.verify(&format!("{header}.{body}.")), None);
    }
}
