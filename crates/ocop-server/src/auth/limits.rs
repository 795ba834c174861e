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
    /// Verification and PIN checks per network prefix; `None` when turned off.
    public_by_network: Option<Keyed<IpAddr>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // 30 tries at once, then one every 2 s from one address.
            sign_in_by_address: RateLimiter::keyed(quota(30, Duration::from_secs(2))),
            // 10 tries at once, then one every 30 s for one account.
            sign_in_by_account: RateLimiter::keyed(quota(10, Duration::from_secs(30))),
            public_by_network: None,
        }
    }
}

fn quota(burst: u32, period: Duration) -> Quota {
    Quota::with_period(period)
        .expect("period is not zero")
        .allow_burst(NonZeroU32::new(burst).expect("burst is not zero"))
}

impl Limits {
    /// The default sign-in limits, and `per_minute` public checks per network (0 = unlimited).
    pub fn new(per_minute: u32) -> Self {
        Limits {
            public_by_network: NonZeroU32::new(per_minute)
                .map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            ..Limits::default()
        }
    }

    /// Counts one verification or PIN check from the client's network; `false` means refuse.
    /// Keyed by /24 (IPv4) or /48 (IPv6) so one household or one shop's Wi-Fi shares a budget
    /// and an attacker cannot multiply it by taking more addresses of one network.
    pub fn allow_public(&self, address: IpAddr) -> bool {
        match &self.public_by_network {
            None => true,
            Some(l) => l.check_key(&network_of(address)).is_ok(),
        }
    }

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

/// The network of an address: its /24 (IPv4, also when mapped into IPv6) or its /48 (IPv6).
pub fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            IpAddr::from([o[0], o[1], o[2], 0])
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network_of(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                IpAddr::from([s[0], s[1], s[2], 0, 0, 0, 0, 0])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_checks_are_limited_per_network() {
        let limits = Limits::new(3);
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let b: IpAddr = "203.0.113.99".parse().unwrap();
        let c: IpAddr = "198.51.100.1".parse().unwrap();
        assert!(limits.allow_public(a));
        assert!(limits.allow_public(b));
        assert!(limits.allow_public(a));
        assert!(!limits.allow_public(b), "one network shares the budget");
        assert!(limits.allow_public(c));
        let off = Limits::new(0);
        assert!((0..1000).all(|_| off.allow_public(a)));
    }

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
