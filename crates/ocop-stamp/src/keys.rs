//! The key file: `{"keys":[{"kid":1,"secret":"<base64 of 32 bytes>","created_at":"..."}]}`.
//!
//! Reading and writing the file is the caller's job; this module parses, checks and serializes.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const SECRET_LEN: usize = 32;

/// One stamp key. Its secret never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct StampKey {
    pub kid: u32,
    secret: [u8; SECRET_LEN],
    pub created_at: DateTime<Utc>,
}

impl StampKey {
    pub fn new(kid: u32, secret: [u8; SECRET_LEN], created_at: DateTime<Utc>) -> Self {
        StampKey {
            kid,
            secret,
            created_at,
        }
    }

    pub fn secret(&self) -> &[u8; SECRET_LEN] {
        &self.secret
    }
}

impl fmt::Debug for StampKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StampKey")
            .field("kid", &self.kid)
            .field("secret", &"***")
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// All keys, lowest kid first. The lowest kid's key also fixes the serial permutation forever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRing {
    keys: Vec<StampKey>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyRingError {
    #[error("the key file is not valid JSON of the form {{\"keys\":[{{\"kid\":1,\"secret\":\"…\",\"created_at\":\"…\"}}]}}: {0}")]
    Syntax(#[from] serde_json::Error),
    #[error("the key file holds no keys")]
    Empty,
    #[error("key {0}: the secret is not base64 of exactly 32 bytes")]
    BadSecret(u32),
    #[error("key id {0} appears twice")]
    DuplicateKid(u32),
    #[error("key id 0 is not allowed: key ids start at 1")]
    ZeroKid,
}

#[derive(Serialize, Deserialize)]
struct FileForm {
    keys: Vec<KeyForm>,
}

#[derive(Serialize, Deserialize)]
struct KeyForm {
    kid: u32,
    secret: String,
    created_at: DateTime<Utc>,
}

impl KeyRing {
    /// A ring with a single first key (kid 1).
    pub fn first(secret: [u8; SECRET_LEN], now: DateTime<Utc>) -> Self {
        KeyRing {
            keys: vec![StampKey::new(1, secret, now)],
        }
    }

    pub fn from_json(text: &str) -> Result<Self, KeyRingError> {
        let form: FileForm = serde_json::from_str(text)?;
        let mut keys = Vec::with_capacity(form.keys.len());
        for k in form.keys {
            if k.kid == 0 {
                return Err(KeyRingError::ZeroKid);
            }
            let bytes = B64
                .decode(k.secret.trim())
                .map_err(|_| KeyRingError::BadSecret(k.kid))?;
            let secret: [u8; SECRET_LEN] = bytes
                .try_into()
                .map_err(|_| KeyRingError::BadSecret(k.kid))?;
            keys.push(StampKey::new(k.kid, secret, k.created_at));
        }
        keys.sort_by_key(|k| k.kid);
        if keys.is_empty() {
            return Err(KeyRingError::Empty);
        }
        if let Some(w) = keys.windows(2).find(|w| w[0].kid == w[1].kid) {
            return Err(KeyRingError::DuplicateKid(w[0].kid));
        }
        Ok(KeyRing { keys })
    }

    pub fn to_json(&self) -> String {
        let form = FileForm {
            keys: self
                .keys
                .iter()
                .map(|k| KeyForm {
                    kid: k.kid,
                    secret: B64.encode(k.secret),
                    created_at: k.created_at,
                })
                .collect(),
        };
        serde_json::to_string_pretty(&form).expect("key ring serializes")
    }

    pub fn keys(&self) -> &[StampKey] {
        &self.keys
    }

    /// The key whose `k_perm` fixes the serial permutation (the lowest kid).
    pub fn permutation_key(&self) -> &StampKey {
        &self.keys[0]
    }

    /// The key new batches are issued under (the highest kid).
    pub fn current(&self) -> &StampKey {
        self.keys.last().expect("a key ring is never empty")
    }

    pub fn get(&self, kid: u32) -> Option<&StampKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// Adds a key with the next kid for new batches; old keys stay so old stamps keep verifying.
    pub fn rotate(&mut self, secret: [u8; SECRET_LEN], now: DateTime<Utc>) -> u32 {
        let kid = self.current().kid + 1;
        self.keys.push(StampKey::new(kid, secret, now));
        kid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(seed: u8) -> [u8; 32] {
        std::array::from_fn(|i| seed.wrapping_add(i as u8))
    }

    #[test]
    fn round_trips_through_json_and_hides_secrets() {
        let now = Utc::now();
        let mut ring = KeyRing::first(secret(0), now);
        assert_eq!(ring.rotate(secret(9), now), 2);
        let text = ring.to_json();
        let back = KeyRing::from_json(&text).unwrap();
        assert_eq!(back, ring);
        assert_eq!(back.permutation_key().kid, 1);
        assert_eq!(back.current().kid, 2);
        assert!(!format!("{:?}", back).contains(&B64.encode(secret(0))));
    }

    #[test]
    fn rejects_bad_files_with_reasons() {
        assert!(matches!(
            KeyRing::from_json("nope"),
            Err(KeyRingError::Syntax(_))
        ));
        assert!(matches!(
            KeyRing::from_json(r#"{"keys":[]}"#),
            Err(KeyRingError::Empty)
        ));
        let short = r#"{"keys":[{"kid":1,"secret":"AAAA","created_at":"2026-01-01T00:00:00Z"}]}"#;
        assert!(matches!(
            KeyRing::from_json(short),
            Err(KeyRingError::BadSecret(1))
        ));
        let s = B64.encode(secret(1));
        let dup = format!(
            r#"{{"keys":[{{"kid":1,"secret":"{s}","created_at":"2026-01-01T00:00:00Z"}},{{"kid":1,"secret":"{s}","created_at":"2026-01-01T00:00:00Z"}}]}}"#
        );
        assert!(matches!(
            KeyRing::from_json(&dup),
            Err(KeyRingError::DuplicateKid(1))
        ));
    }
}
