//! Request rate limits: a token bucket per client address.
//!
//! Each client may send `rate` requests per second on average and bursts of
//! twice that; a request finding the bucket empty is refused with 429 at
//! once rather than queued, so a flood costs the server almost nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// The buckets of every client seen recently.
pub struct RateLimiter {
    /// Requests per second per client; 0 turns the limit off.
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Clients above this many are forgotten (idle ones first would be nicer,
/// but clearing all of them only grants each a fresh burst).
const MAX_CLIENTS: usize = 10_000;

impl RateLimiter {
    pub fn new(rate: u32) -> RateLimiter {
        RateLimiter {
            rate: f64::from(rate),
            burst: f64::from(rate) * 2.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client`; false when it has none left.
    pub fn allow(&self, client: IpAddr) -> bool {
        self.allow_at(client, Instant::now())
    }

    pub fn allow_at(&self, client: IpAddr, now: Instant) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        // A poisoned lock only means another request panicked mid-update;
        // the counts are still usable.
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > MAX_CLIENTS {
            buckets.clear();
        }
        let (tokens, last) = buckets.entry(client).or_insert((self.burst, now));
        let elapsed = now.saturating_duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * self.rate).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn refuses_past_the_burst_and_refills() {
        let l = RateLimiter::new(2);
        let ip: IpAddr = [127, 0, 0, 1].into();
        let t = Instant::now();
        assert!((0..4).all(|_| l.allow_at(ip, t)));
        assert!(!l.allow_at(ip, t));
        assert!(l.allow_at(ip, t + Duration::from_millis(600)));
        let other: IpAddr = [127, 0, 0, 2].into();
        assert!(l.allow_at(other, t));
    }

    #[test]
    fn zero_rate_is_unlimited() {
        let l = RateLimiter::new(0);
        let ip: IpAddr = [127, 0, 0, 1].into();
        assert!((0..10_000).all(|_| l.allow(ip)));
    }
}
