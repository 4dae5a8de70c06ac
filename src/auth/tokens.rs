//! Access tokens: short-lived HS256 JWTs with strict validation.

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
}

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
        let data = decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let role = Role::parse(&data.claims.role).ok()?;
        Some(Verified {
            user_id: data.claims.sub,
            role,
            version: data.claims.ver,
            session: data.claims.sid,
        })
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
