//! Rate limits on sign-in, per client address and per account, so passwords cannot be
//! guessed at speed. In memory per app server: each server enforces its own share.

use governor::clock::DefaultClock;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

pub struct Limits {
    sign_in_by_address: Keyed<IpAddr>,
    sign_in_by_account: Keyed<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // 30 tries at once, then one every 2 s from one address.
            sign_in_by_address: RateLimiter::keyed(quota(30, Duration::from_secs(2))),
            // 10 tries at once, then one every 30 s for one account.
            sign_in_by_account: RateLimiter::keyed(quota(10, Duration::from_secs(30))),
        }
    }
}

fn quota(burst: u32, period: Duration) -> Quota {
    Quota::with_period(period)
        .expect("period is not zero")
        .allow_burst(NonZeroU32::new(burst).expect("burst is not zero"))
}

impl Limits {
    /// Counts one sign-in attempt; `false` means refuse it.
    pub fn allow_sign_in(&self, address: IpAddr, email: &str) -> bool {
        let by_address = self.sign_in_by_address.check_key(&address).is_ok();
        let by_account = self
            .sign_in_by_account
            .check_key(&email.to_lowercase())
            .is_ok();
        by_address && by_account
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_locked_after_its_burst() {
        let limits = Limits::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..10 {
            assert!(limits.allow_sign_in(ip, "a@x.vn"));
        }
        assert!(
            !limits.allow_sign_in(ip, "A@x.vn"),
            "case does not evade the limit"
        );
        assert!(
            limits.allow_sign_in(ip, "b@x.vn"),
            "other accounts are not affected"
        );
    }
}
