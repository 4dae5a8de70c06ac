//! Attempts per client address, counted in this process over a sliding window: logins a minute,
//! sign-ups and password resets an hour. (Failed logins per account and address are counted in
//! the database, so they hold across processes.)

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
        let q = seen.entry(addr).or_default();
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
