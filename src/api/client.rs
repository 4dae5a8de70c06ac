//! Who is calling, by network address: the peer, or, when the peer is one of
//! `auth.trusted_proxies`, the last address in `X-Forwarded-For` that is not a trusted proxy.
//! The per-address limits on logins, sign-ups and password resets count by it.

use std::net::IpAddr;

use actix_web::HttpRequest;

use crate::auth::rate_limit::AddressLimiter;
use crate::error::{AppError, AppResult};

/// The client's address, as far as this service can tell.
pub fn address(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return Some(ip),
            // Something unreadable: believe no further back than the last proxy we trust.
            Err(_) => return Some(peer),
        }
    }
    Some(peer)
}

/// Count one attempt from this client against `limiter`: a 429 with `Retry-After` when it has
/// used its share.
pub fn limit(req: &HttpRequest, trusted: &[IpAddr], limiter: &AddressLimiter) -> AppResult<()> {
    match address(req, trusted) {
        Some(ip) => limiter
            .attempt(ip)
            .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn req(peer: &str, forwarded: Option<&str>) -> HttpRequest {
        let mut r = TestRequest::default().peer_addr(format!("{peer}:4000").parse().unwrap());
        if let Some(f) = forwarded {
            r = r.insert_header(("x-forwarded-for", f));
        }
        r.to_http_request()
    }

    #[test]
    fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            address(&req("203.0.113.5", Some("198.51.100.1")), &[proxy]),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(
            address(&req("10.0.0.2", Some("198.51.100.1")), &[proxy]),
            Some(ip("198.51.100.1"))
        );
        // A client's own made-up entries come before the proxy's and are not believed.
        assert_eq!(
            address(&req("10.0.0.2", Some("1.2.3.4, 198.51.100.1")), &[proxy]),
            Some(ip("198.51.100.1"))
        );
        assert_eq!(
            address(&req("10.0.0.2", Some("garbage")), &[proxy]),
            Some(proxy)
        );
        assert_eq!(address(&req("10.0.0.2", None), &[proxy]), Some(proxy));
    }
}
