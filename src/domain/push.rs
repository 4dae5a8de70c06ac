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

/// A person keeps at most this many subscriptions (phones and browsers); a new one past it
/// replaces the oldest, so that one email never fans out to hundreds of pushes.
pub const MAX_SUBSCRIPTIONS_PER_PERSON: i64 = 10;

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
/// (carrier-grade NAT), benchmarking, documentation, multicast, broadcast or unspecified, and,
/// for IPv6, not site-local or unique-local, and not an IPv4 address of those kinds carried
/// inside (IPv4-mapped, IPv4-compatible, NAT64, 6to4 and Teredo forms).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6) && embedded_v4(v6).into_iter().all(is_public_v4),
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
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let [first, second, ..] = ip.segments();
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        || (first == 0x2001 && second == 0x0db8)
        || (first == 0x2001 && (second & 0xfff0) == 0x0010)
        || (first == 0x2001 && second == 0x0002)
        || first == 0x0100 && ip.segments()[1..4] == [0, 0, 0])
}

/// The IPv4 addresses an IPv6 address carries, in the forms that reach them: IPv4-mapped
/// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96` and the local
/// `64:ff9b:1::/48`), 6to4 (`2002:aabb:ccdd::/16`) and Teredo (`2001:0::/32`, the client's
/// address inverted in the last 32 bits, the server's in bits 32 to 63).
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let seg = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from(((hi as u32) << 16) | lo as u32);
    let mut found = Vec::new();
    if let Some(mapped) = ip.to_ipv4_mapped() {
        found.push(mapped);
    }
    if seg[..6] == [0, 0, 0, 0, 0, 0] && !(seg[6] == 0 && seg[7] <= 1) {
        found.push(v4(seg[6], seg[7]));
    }
    if seg[0] == 0x0064 && seg[1] == 0xff9b {
        found.push(v4(seg[6], seg[7]));
    }
    if seg[0] == 0x2002 {
        found.push(v4(seg[1], seg[2]));
    }
    if seg[0] == 0x2001 && seg[1] == 0 {
        found.push(v4(seg[2], seg[3]));
        found.push(v4(!seg[6], !seg[7]));
    }
    found
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
    fn inner_addresses_in_any_ipv6_form_are_refused() {
        for bad in [
            "https://[::7f00:1]/push",
            "https://[::ffff:127.0.0.1]/push",
            "https://[::ffff:10.0.0.1]/push",
            "https://[64:ff9b::a9fe:a9fe]/push",
            "https://[64:ff9b:1::7f00:1]/push",
            "https://[2002:7f00:1::]/push",
            "https://[2002:c0a8:101::1]/push",
            "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/push",
            "https://[fec0::1]/push",
            "https://[fd00::1]/push",
            "https://[2001:db8::1]/push",
            "https://198.18.0.1/push",
            "https://198.19.255.1/push",
        ] {
            assert!(parse_endpoint(bad, false).is_err(), "{bad}");
        }
        for good in [
            "https://[2a00:1450:4009:81e::200a]/push",
            "https://[2002:0808:0808::1]/push",
            "https://[64:ff9b::808:808]/push",
            "https://142.250.187.206/push",
        ] {
            assert!(parse_endpoint(good, false).is_ok(), "{good}");
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
