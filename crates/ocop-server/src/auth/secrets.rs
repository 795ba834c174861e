//! Server-side secrets derived from the key file, so every app server behind a load balancer
//! agrees on them without another file to distribute.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use ocop_stamp::KeyRing;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

pub struct Secrets {
    csrf: [u8; 32],
    place: [u8; 32],
}

impl Secrets {
    pub fn derive(keys: &KeyRing) -> Secrets {
        Secrets {
            csrf: hmac(keys.permutation_key().secret(), b"ocop/v1/csrf"),
            place: hmac(keys.permutation_key().secret(), b"ocop/v1/place"),
        }
    }

    /// The CSRF token for a session (or pre-session) token: an HMAC, so nothing is stored.
    pub fn csrf_token(&self, binding: &str) -> String {
        B64.encode(hmac(&self.csrf, binding.as_bytes()))
    }

    /// Where a scan came from, without keeping who: a keyed hash of the client's network prefix
    /// (/24 for IPv4, /48 for IPv6), 16 hex characters. Same network, same place; the address
    /// itself is never stored.
    pub fn place_of(&self, ip: std::net::IpAddr) -> String {
        let prefix = network_prefix(ip);
        let mac = hmac(&self.place, prefix.as_bytes());
        mac[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn csrf_matches(&self, binding: &str, presented: &str) -> bool {
        let Ok(presented) = B64.decode(presented.trim()) else {
            return false;
        };
        let mut mac = HmacSha256::new_from_slice(&self.csrf).expect("HMAC takes any key length");
        mac.update(binding.as_bytes());
        mac.verify_slice(&presented).is_ok()
    }
}

/// The network a client address belongs to, as text: `203.0.113.0/24`, `2001:db8:1::/48`.
pub fn network_prefix(ip: std::net::IpAddr) -> String {
    let net = crate::auth::limits::network_of(ip);
    format!("{net}/{}", if net.is_ipv4() { 24 } else { 48 })
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// A new random token (256 bits), URL-safe, with a prefix that says what it is.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    format!("{prefix}{}", B64.encode(bytes))
}

/// What the database keeps of a session or API token: its SHA-256. Tokens carry 256 random
/// bits, so a plain hash suffices (no salt or slow hash needed).
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    B64.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn csrf_tokens_bind_to_their_session() {
        let s = Secrets::derive(&KeyRing::first([7; 32], Utc::now()));
        let t = s.csrf_token("session-a");
        assert!(s.csrf_matches("session-a", &t));
        assert!(!s.csrf_matches("session-b", &t));
        assert!(!s.csrf_matches("session-a", "not base64 !"));
        assert!(!s.csrf_matches("session-a", ""));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token("ocop_");
        assert!(a.starts_with("ocop_") && a.len() > 40);
        assert_ne!(a, new_token("ocop_"));
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
