//! Where the service may post Web Push messages: only to `https://` push services on public
//! addresses, so that a subscription cannot make the server call into its own network. A plain
//! `http://127.0.0.1` endpoint is allowed only when the settings say so (tests).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// A push endpoint that passed the rules that need no lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub host: String,
    pub port: u16,
    /// A plain `http://127.0.0.1` endpoint, allowed for tests: its address is not looked up.
    pub loopback_for_tests: bool,
}

/// Check an endpoint's form: `https://` with a host (or, when `allow_http_loopback`,
/// `http://127.0.0.1`), no user or password, at most 2,000 characters.
pub fn parse_endpoint(text: &str, allow_http_loopback: bool) -> Result<Endpoint, String> {
    if text.len() > 2000 {
        return Err("must be at most 2000 characters".into());
    }
    let url = reqwest::Url::parse(text).map_err(|_| "must be a web address".to_string())?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user name or password".into());
    }
    let host = url
        .host_str()
        .ok_or_else(|| "must name a host".to_string())?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| "must be an https:// address".to_string())?;
    let loopback_for_tests = allow_http_loopback && url.scheme() == "http" && host == "127.0.0.1";
    if url.scheme() != "https" && !loopback_for_tests {
        return Err("must be an https:// address".into());
    }
    if !loopback_for_tests {
        if let Ok(ip) = host.parse::<IpAddr>() {
            if !is_public(ip) {
                return Err("must not point at a private, loopback or link-local address".into());
            }
        }
    }
    Ok(Endpoint {
        url: url.to_string(),
        host,
        port,
        loopback_for_tests,
    })
}

/// Whether an address is on the public internet: not loopback, private, link-local, shared
/// (carrier-grade NAT), documentation, multicast, broadcast or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || ip.is_unspecified()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0)
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// What a push message says: no address, phone or surname; `url` is a page of the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushNote {
    pub title: String,
    pub body: String,
    pub url: String,
    /// How long the push service should keep trying to deliver it, in seconds (an offer: until it
    /// ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_secs: Option<i64>,
}

impl PushNote {
    /// For an email without a note of its own: it says only that there is news.
    pub fn generic() -> PushNote {
        PushNote {
            title: "Neighbourly".into(),
            body: "There is news for you from Neighbourly: please see your email.".into(),
            url: "/app/".into(),
            ttl_secs: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_to_public_places() {
        assert!(parse_endpoint("https://fcm.googleapis.com/fcm/send/abc", false).is_ok());
        for bad in [
            "http://push.example.org/x",
            "https://127.0.0.1/x",
            "https://10.0.0.5/x",
            "https://192.168.1.1/x",
            "https://172.16.0.1/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/x",
            "https://[fe80::1]/x",
            "https://[fd00::1]/x",
            "https://[::ffff:127.0.0.1]/x",
            "https://100.64.0.1/x",
            "https://0.0.0.0/x",
            "https://user:pass@push.example.org/x",
            "ftp://push.example.org/x",
            "not a url",
        ] {
            assert!(parse_endpoint(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn plain_loopback_only_when_allowed() {
        assert!(parse_endpoint("http://127.0.0.1:9000/push/1", false).is_err());
        let e = parse_endpoint("http://127.0.0.1:9000/push/1", true).unwrap();
        assert!(e.loopback_for_tests);
        assert_eq!(e.port, 9000);
        assert!(parse_endpoint("http://localhost:9000/push/1", true).is_err());
        assert!(parse_endpoint("http://10.0.0.1:9000/push/1", true).is_err());
    }
}
