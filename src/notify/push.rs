//! Web Push to phones and browsers (RFC 8030): each message encrypted for its subscription
//! (RFC 8291, aes128gcm, by `web-push-native`) and signed with the service's VAPID key (RFC 8292,
//! an ES256 JWT by `jsonwebtoken`). Posted with timeouts and no redirects, to the address the
//! endpoint's host resolved to once checked public (so a name cannot be turned to an inside
//! address between the check and the post).

use std::net::SocketAddr;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use serde::Serialize;

use crate::db::push_subscriptions::SubscriptionRow;
use crate::domain::push::{is_public, parse_endpoint, Endpoint, PushNote};

/// The service's VAPID key pair and whom push services may contact about it.
pub struct Vapid {
    encoding: jsonwebtoken::EncodingKey,
    public_key: String,
    subject: String,
}

impl Vapid {
    /// A new private key: 32 random bytes of a P-256 scalar, base64url.
    pub fn new_private_key() -> String {
        let key = p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
        URL_SAFE_NO_PAD.encode(key.to_bytes())
    }

    /// From the private key (base64url) and the contact (`mailto:` of the email sender).
    pub fn from_private_key(private_key: &str, contact_email: &str) -> Result<Vapid, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(private_key.trim())
            .map_err(|_| "push.vapid_private_key is not base64url".to_string())?;
        let key = p256::SecretKey::from_slice(&bytes)
            .map_err(|_| "push.vapid_private_key is not a P-256 private key".to_string())?;
        let der = key
            .to_pkcs8_der()
            .map_err(|e| format!("the VAPID key cannot be encoded: {e}"))?;
        let point = key.public_key().to_encoded_point(false);
        let address = contact_email
            .rsplit_once('<')
            .map_or(contact_email, |(_, a)| a.trim_end_matches('>'))
            .trim();
        Ok(Vapid {
            encoding: jsonwebtoken::EncodingKey::from_ec_der(der.as_bytes()),
            public_key: URL_SAFE_NO_PAD.encode(point.as_bytes()),
            subject: format!("mailto:{address}"),
        })
    }

    /// The public key, an uncompressed P-256 point in base64url (what browsers subscribe with).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// `vapid t=<JWT>, k=<public key>` for an endpoint: the JWT's `aud` is the endpoint's origin,
    /// `exp` 12 hours on, `sub` the contact.
    pub fn authorization(&self, endpoint: &str) -> Result<String, String> {
        #[derive(Serialize)]
        struct Claims<'a> {
            aud: String,
            exp: i64,
            sub: &'a str,
        }
        let url = reqwest::Url::parse(endpoint).map_err(|e| e.to_string())?;
        let claims = Claims {
            aud: url.origin().ascii_serialization(),
            exp: chrono::Utc::now().timestamp() + 12 * 3600,
            sub: &self.subject,
        };
        let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
        let jwt = jsonwebtoken::encode(&header, &claims, &self.encoding)
            .map_err(|e| format!("VAPID signature: {e}"))?;
        Ok(format!("vapid t={jwt}, k={}", self.public_key))
    }
}

/// What became of one push.
#[derive(Debug, PartialEq, Eq)]
pub enum PushOutcome {
    Delivered,
    /// The push service no longer knows the subscription (404, 410): forget it.
    Gone,
    /// Try again later (429, 5xx, no answer), or give up after the last try.
    Failed(String),
}

/// Posts push messages.
pub struct PushSender {
    vapid: Vapid,
    timeout: Duration,
    allow_http_loopback: bool,
}

const DAY_SECS: i64 = 24 * 3600;

impl PushSender {
    pub fn new(vapid: Vapid, timeout: Duration, allow_http_loopback: bool) -> PushSender {
        PushSender {
            vapid,
            timeout,
            allow_http_loopback,
        }
    }

    /// Encrypt `note` for the subscription, sign, and post it.
    pub async fn send(&self, sub: &SubscriptionRow, note: &PushNote) -> PushOutcome {
        match self.try_send(sub, note).await {
            Ok(outcome) => outcome,
            Err(e) => PushOutcome::Failed(e),
        }
    }

    async fn try_send(
        &self,
        sub: &SubscriptionRow,
        note: &PushNote,
    ) -> Result<PushOutcome, String> {
        let endpoint = parse_endpoint(&sub.endpoint, self.allow_http_loopback)?;
        let address = resolve_public(&endpoint).await?;
        let ua_public = URL_SAFE_NO_PAD
            .decode(&sub.p256dh)
            .ok()
            .and_then(|b| p256::PublicKey::from_sec1_bytes(&b).ok())
            .ok_or("the subscription's p256dh key cannot be read")?;
        let auth: [u8; 16] = URL_SAFE_NO_PAD
            .decode(&sub.auth)
            .ok()
            .and_then(|a| a.try_into().ok())
            .ok_or("the subscription's auth secret cannot be read")?;
        let uri: http::Uri = endpoint.url.parse().map_err(|e| format!("{e}"))?;
        let ttl = note.ttl_secs.unwrap_or(DAY_SECS).clamp(0, 28 * DAY_SECS) as u64;
        let payload = serde_json::json!({"title": note.title, "body": note.body, "url": note.url});
        let request =
            web_push_native::WebPushBuilder::new(uri, ua_public, web_push_native::Auth::from(auth))
                .with_valid_duration(Duration::from_secs(ttl))
                .build(payload.to_string())
                .map_err(|e| format!("encryption: {e}"))?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .resolve(&endpoint.host, address)
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        let mut post = client
            .post(endpoint.url.as_str())
            .header("Authorization", self.vapid.authorization(&endpoint.url)?)
            .header("Urgency", "high");
        for (name, value) in request.headers() {
            post = post.header(name.as_str(), value.as_bytes());
        }
        let answer = post
            .body(request.into_body())
            .send()
            .await
            .map_err(|e| format!("push service: {e}"))?;
        let status = answer.status().as_u16();
        Ok(match status {
            200..=299 => PushOutcome::Delivered,
            404 | 410 => PushOutcome::Gone,
            _ => PushOutcome::Failed(format!("push service answered {status}")),
        })
    }
}

/// The endpoint's address, looked up and checked public (a test's `http://127.0.0.1` excepted).
async fn resolve_public(endpoint: &Endpoint) -> Result<SocketAddr, String> {
    let found: Vec<SocketAddr> = tokio::net::lookup_host((endpoint.host.as_str(), endpoint.port))
        .await
        .map_err(|e| format!("{} cannot be found: {e}", endpoint.host))?
        .collect();
    let first = found
        .first()
        .copied()
        .ok_or_else(|| format!("{} has no address", endpoint.host))?;
    if endpoint.loopback_for_tests {
        return Ok(first);
    }
    if found.iter().any(|a| !is_public(a.ip())) {
        return Err(format!(
            "{} points at a private, loopback or link-local address",
            endpoint.host
        ));
    }
    Ok(first)
}

/// Check an endpoint before keeping a subscription: its form, and (blocking) that its host's
/// addresses are all public.
pub fn check_endpoint(text: &str, allow_http_loopback: bool) -> Result<Endpoint, String> {
    use std::net::ToSocketAddrs;
    let endpoint = parse_endpoint(text, allow_http_loopback)?;
    if endpoint.loopback_for_tests {
        return Ok(endpoint);
    }
    let found: Vec<SocketAddr> = (endpoint.host.as_str(), endpoint.port)
        .to_socket_addrs()
        .map_err(|_| "names a host that cannot be found".to_string())?
        .collect();
    if found.is_empty() || found.iter().any(|a| !is_public(a.ip())) {
        return Err("must not point at a private, loopback or link-local address".into());
    }
    Ok(endpoint)
}
