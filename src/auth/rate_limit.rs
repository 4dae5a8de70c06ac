//! Attempts per client address, counted in this process over a sliding window: logins a minute,
//! sign-ups and password resets an hour. (Failed logins per account and address are counted in
//! the database, so they hold across processes.)

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What one client is counted as: an IPv4 address as it is (also when written in IPv6), an
/// IPv6 address by its /64, the block one household or one phone is given and can move
/// about in freely.
pub fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(prefix))
            }
        },
    }
}

pub struct AddressLimiter {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl AddressLimiter {
    /// At most `limit` attempts from one address in any `window`.
    pub fn new(limit: u32, window: Duration) -> Self {
        AddressLimiter {
            limit,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Count one attempt; `Err(seconds)` when the address must wait that long first.
    pub fn attempt(&self, addr: IpAddr) -> Result<(), u64> {
        self.attempt_at(addr, Instant::now())
    }

    fn attempt_at(&self, addr: IpAddr, now: Instant) -> Result<(), u64> {
        let window = self.window;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let q = seen.entry(network(addr)).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() as u32 >= self.limit {
            let oldest = *q.front().unwrap_or(&now);
            let wait = window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        q.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        let l = AddressLimiter::new(2, Duration::from_secs(60));
        let t = Instant::now();
        let a = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(l.attempt_at(a("2001:db8:1:2::1"), t).is_ok());
        assert!(l.attempt_at(a("2001:db8:1:2::ffff"), t).is_ok());
        assert!(l.attempt_at(a("2001:db8:1:2:abcd::9"), t).is_err());
        assert!(l.attempt_at(a("2001:db8:1:3::1"), t).is_ok());
        assert_eq!(network(a("::ffff:10.0.0.1")), a("10.0.0.1"));
    }

    #[test]
    fn limits_then_recovers() {
        let l = AddressLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.attempt_at(a, t0).is_ok());
        }
        let wait = l.attempt_at(a, t0).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(
            l.attempt_at(b, t0).is_ok(),
            "other addresses are not affected"
        );
        assert!(l.attempt_at(a, t0 + Duration::from_secs(61)).is_ok());
    }
}
