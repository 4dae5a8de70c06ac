//! Web Push subscriptions: the service's public key for browsers to subscribe with, and each
//! person's own subscriptions (kept, replaced, removed). An endpoint must be a push service on the
//! public internet (`https://`, every address public): the server must not be made to post into
//! its own network.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Error, Result, Services};
use crate::db::{self, push_subscriptions::SubscriptionRow};
use crate::domain::Caller;
use crate::notify::push::{check_endpoint, Vapid};

#[derive(Debug, Serialize, ToSchema)]
pub struct PushKey {
    /// The service's VAPID public key: an uncompressed P-256 point, base64url, for
    /// `pushManager.subscribe({applicationServerKey})`.
    pub public_key: String,
}

/// A browser's `PushSubscription`, as `subscription.toJSON()` gives it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscriptionInput {
    /// The push service's address for this browser: `https://` only.
    #[schema(example = "https://fcm.googleapis.com/fcm/send/c1KrmpTuRm0")]
    pub endpoint: String,
    pub keys: SubscriptionKeys,
    /// What browsers also send; not used.
    #[serde(default, rename = "expirationTime")]
    #[schema(value_type = Option<f64>)]
    pub expiration_time: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscriptionKeys {
    /// The browser's P-256 public key, base64url (65 bytes).
    pub p256dh: String,
    /// The browser's authentication secret, base64url (16 bytes).
    pub auth: String,
}

/// A subscription as its person sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub endpoint: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::DateTime<Utc>,
}

/// The public key browsers subscribe with.
pub fn key(svc: &Services) -> Result<PushKey> {
    let private = svc
        .settings
        .push
        .vapid_private_key
        .as_ref()
        .ok_or_else(|| Error::internal("the VAPID key", "none was made at start"))?;
    let vapid = Vapid::from_private_key(private.expose(), &svc.settings.email.from)
        .map_err(|e| Error::internal("the VAPID key", e))?;
    Ok(PushKey {
        public_key: vapid.public_key().to_string(),
    })
}

fn base64url_len(field: &str, text: &str, len: usize) -> Result<()> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| Error::invalid(field, "must be base64url"))?;
    if bytes.len() != len {
        return Err(Error::invalid(field, format!("must be {len} bytes")));
    }
    Ok(())
}

/// Keep the caller's subscription; true when it is new (the same endpoint again replaces the
/// keys, and moves it to the caller).
pub fn subscribe(
    svc: &Services,
    caller: &Caller,
    input: SubscriptionInput,
) -> Result<(bool, SubscriptionView)> {
    check_endpoint(&input.endpoint, svc.settings.push.allow_http_loopback)
        .map_err(|why| Error::invalid("endpoint", why))?;
    base64url_len("keys.p256dh", &input.keys.p256dh, 65)?;
    base64url_len("keys.auth", &input.keys.auth, 16)?;
    let row = SubscriptionRow {
        id: db::new_id(),
        user_id: caller.id.to_string(),
        endpoint: input.endpoint.clone(),
        p256dh: input.keys.p256dh.trim_end_matches('=').to_string(),
        auth: input.keys.auth.trim_end_matches('=').to_string(),
        created_at: svc.now(),
    };
    svc.write(|c| {
        let new = db::push_subscriptions::save(c, &row)?;
        db::push_subscriptions::keep_newest(
            c,
            caller.id.as_str(),
            crate::domain::push::MAX_SUBSCRIPTIONS_PER_PERSON,
        )?;
        Ok((
            new,
            SubscriptionView {
                endpoint: row.endpoint.clone(),
                created_at: row.created_at.and_utc(),
            },
        ))
    })
}

/// Forget the caller's subscription at `endpoint`; 404 when they have none there.
pub fn unsubscribe(svc: &Services, caller: &Caller, endpoint: &str) -> Result<()> {
    svc.write(
        |c| match db::push_subscriptions::remove(c, caller.id.as_str(), endpoint)? {
            true => Ok(()),
            false => Err(Error::NotFound),
        },
    )
}
