//! Deriving codes and PINs from serials, and serials back from codes (DESIGN §4).
//!
//! `k_perm` comes from the lowest kid and never rotates (so a public number always maps back
//! to one serial); `k_tag` and `k_pin` come from the batch's kid.

use crate::code::{StampCode, MAX_SERIAL};
use crate::keys::{KeyRing, StampKey};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

const ROUNDS: u8 = 4;
const HALF_MASK: u32 = 0xF_FFFF;

/// A keyed HMAC whose key schedule is done once; each use clones the prepared state.
#[derive(Clone)]
struct Prf(HmacSha256);

impl Prf {
    fn derive(secret: &[u8], label: &[u8]) -> Self {
        let mut m = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
        m.update(label);
        let sub = m.finalize().into_bytes();
        Prf(HmacSha256::new_from_slice(&sub).expect("HMAC takes any key length"))
    }

    fn first_bytes<const N: usize>(&self, message: &[u8]) -> [u8; N] {
        let mut m = self.0.clone();
        m.update(message);
        let out = m.finalize().into_bytes();
        let mut first = [0u8; N];
        first.copy_from_slice(&out[..N]);
        first
    }
}

/// The 40-bit Feistel permutation that hides serials in public numbers.
#[derive(Clone)]
struct Permutation(Prf);

impl Permutation {
    fn round(&self, i: u8, half: u32) -> u32 {
        let mut msg = [0u8; 5];
        msg[0] = i;
        msg[1..].copy_from_slice(&half.to_be_bytes());
        u32::from_be_bytes(self.0.first_bytes::<4>(&msg)) & HALF_MASK
    }

    fn forward(&self, serial: u64) -> u64 {
        let (mut l, mut r) = ((serial >> 20) as u32 & HALF_MASK, serial as u32 & HALF_MASK);
        for i in 0..ROUNDS {
            (l, r) = (r, l ^ self.round(i, r));
        }
        (u64::from(l) << 20) | u64::from(r)
    }

    fn backward(&self, public: u64) -> u64 {
        let (mut l, mut r) = ((public >> 20) as u32 & HALF_MASK, public as u32 & HALF_MASK);
        for i in (0..ROUNDS).rev() {
            (l, r) = (r ^ self.round(i, l), l);
        }
        (u64::from(l) << 20) | u64::from(r)
    }
}

/// The keys of one kid, for tags and PINs.
#[derive(Clone)]
struct BatchKeys {
    kid: u32,
    tag: Prf,
    pin: Prf,
}

impl BatchKeys {
    fn of(key: &StampKey) -> Self {
        BatchKeys {
            kid: key.kid,
            tag: Prf::derive(key.secret(), b"ocop/v1/tag"),
            pin: Prf::derive(key.secret(), b"ocop/v1/pin"),
        }
    }

    fn tag(&self, serial: u64) -> u64 {
        let b = self.tag.first_bytes::<5>(&serial.to_be_bytes());
        let mut wide = [0u8; 8];
        wide[3..].copy_from_slice(&b);
        u64::from_be_bytes(wide)
    }

    fn pin(&self, serial: u64) -> Pin {
        let b = self.pin.first_bytes::<8>(&serial.to_be_bytes());
        Pin((u64::from_be_bytes(b) % 100_000_000) as u32)
    }
}

/// The eight-digit PIN printed under the scratch-off layer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Pin(u32);

impl Pin {
    /// Compares a PIN a shopper typed (spaces and hyphens ignored) in constant time.
    pub fn matches(&self, typed: &str) -> bool {
        let digits: Vec<u8> = typed
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'-'))
            .collect();
        let expected = self.to_digits();
        digits.len() == expected.len() && bool::from(digits.as_slice().ct_eq(&expected))
    }

    pub fn to_digits(&self) -> [u8; 8] {
        let mut out = [b'0'; 8];
        let mut v = self.0;
        for c in out.iter_mut().rev() {
            *c = b'0' + (v % 10) as u8;
            v /= 10;
        }
        out
    }
}

impl fmt::Display for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

impl fmt::Debug for Pin {
    // A PIN is a secret of the stamp; keep it out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(********)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeriveError {
    #[error("serial {0} is outside the 40-bit range 0..=1099511627775")]
    SerialRange(u64),
    #[error("key id {0} is not in the key file: was the key file replaced or a key removed?")]
    UnknownKid(u32),
}

/// Everything a key ring lets us compute: codes and PINs for serials, serials for codes.
#[derive(Clone)]
pub struct CodeBook {
    perm: Permutation,
    kids: Vec<BatchKeys>,
}

impl CodeBook {
    pub fn new(ring: &KeyRing) -> Self {
        CodeBook {
            perm: Permutation(Prf::derive(
                ring.permutation_key().secret(),
                b"ocop/v1/perm",
            )),
            kids: ring.keys().iter().map(BatchKeys::of).collect(),
        }
    }

    fn kid(&self, kid: u32) -> Result<&BatchKeys, DeriveError> {
        self.kids
            .iter()
            .find(|k| k.kid == kid)
            .ok_or(DeriveError::UnknownKid(kid))
    }

    fn in_range(serial: u64) -> Result<u64, DeriveError> {
        if serial > MAX_SERIAL {
            Err(DeriveError::SerialRange(serial))
        } else {
            Ok(serial)
        }
    }

    /// A batch's view: the code and PIN of each of its serials.
    pub fn signer(&self, kid: u32) -> Result<Signer<'_>, DeriveError> {
        Ok(Signer {
            perm: &self.perm,
            keys: self.kid(kid)?,
        })
    }

    pub fn code(&self, kid: u32, serial: u64) -> Result<StampCode, DeriveError> {
        self.signer(kid)?.code(serial)
    }

    pub fn pin(&self, kid: u32, serial: u64) -> Result<Pin, DeriveError> {
        self.signer(kid)?.pin(serial)
    }

    /// The serial a code claims to be. Any code maps to some serial; only the tag says
    /// whether the code was issued by us (`tag_matches`).
    pub fn serial_of(&self, code: &StampCode) -> u64 {
        self.perm.backward(code.public())
    }

    /// Constant-time tag check for the serial under the batch's kid.
    pub fn tag_matches(&self, kid: u32, serial: u64, code: &StampCode) -> bool {
        match self.kid(kid) {
            Ok(k) => {
                let expected = k.tag(serial).to_be_bytes();
                bool::from(expected.ct_eq(&code.tag().to_be_bytes()))
            }
            Err(_) => false,
        }
    }

    /// For offline checks without the database: the kids whose tag this code carries.
    pub fn kids_matching(&self, code: &StampCode) -> Vec<u32> {
        let serial = self.serial_of(code);
        self.kids
            .iter()
            .filter(|k| self.tag_matches(k.kid, serial, code))
            .map(|k| k.kid)
            .collect()
    }
}

/// Codes and PINs under one kid, borrowed from a [`CodeBook`].
#[derive(Clone, Copy)]
pub struct Signer<'a> {
    perm: &'a Permutation,
    keys: &'a BatchKeys,
}

impl Signer<'_> {
    pub fn kid(&self) -> u32 {
        self.keys.kid
    }

    pub fn code(&self, serial: u64) -> Result<StampCode, DeriveError> {
        let serial = CodeBook::in_range(serial)?;
        Ok(StampCode::new(
            self.perm.forward(serial),
            self.keys.tag(serial),
        ))
    }

    pub fn pin(&self, serial: u64) -> Result<Pin, DeriveError> {
        Ok(self.keys.pin(CodeBook::in_range(serial)?))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    pub(crate) fn vector_book() -> CodeBook {
        let mut secret = [0u8; 32];
        for (i, b) in secret.iter_mut().enumerate() {
            *b = i as u8;
        }
        let ring = KeyRing::first(secret, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        CodeBook::new(&ring)
    }

    /// DESIGN §4's test vectors: printed stamps depend on these never changing.
    #[test]
    fn design_test_vectors() {
        let book = vector_book();
        for (serial, code, pin) in [
            (1u64, "6KFKS7G07T753H27", "32312692"),
            (2, "RZ9RYFR7P77KCFFW", "66285518"),
            (1000, "S2DXDMFGH58G4995", "60920889"),
            (1_099_511_627_775, "X5ZWQ06G3894QH3E", "68807567"),
        ] {
            let c = book.code(1, serial).unwrap();
            assert_eq!(c.to_string(), code, "code of serial {serial}");
            assert_eq!(book.pin(1, serial).unwrap().to_string(), pin);
            assert_eq!(book.serial_of(&c), serial);
            assert!(book.tag_matches(1, serial, &c));
            assert_eq!(book.kids_matching(&c), vec![1]);
        }
    }

    #[test]
    fn serials_beyond_40_bits_and_unknown_kids_are_refused() {
        let book = vector_book();
        assert_eq!(
            book.code(1, MAX_SERIAL + 1),
            Err(DeriveError::SerialRange(MAX_SERIAL + 1))
        );
        assert!(matches!(book.code(2, 1), Err(DeriveError::UnknownKid(2))));
        assert!(!book.tag_matches(2, 1, &book.code(1, 1).unwrap()));
    }

    #[test]
    fn rotation_keeps_old_codes_and_the_permutation() {
        let mut secret = [0u8; 32];
        for (i, b) in secret.iter_mut().enumerate() {
            *b = i as u8;
        }
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut ring = KeyRing::first(secret, now);
        let kid = ring.rotate([7u8; 32], now);
        let book = CodeBook::new(&ring);
        let old = book.code(1, 1).unwrap();
        assert_eq!(old.to_string(), "6KFKS7G07T753H27");
        let new = book.code(kid, 1).unwrap();
        assert_eq!(new.public(), old.public(), "k_perm never rotates");
        assert_ne!(new.tag(), old.tag());
        assert!(!book.tag_matches(1, 1, &new));
        assert_eq!(book.kids_matching(&new), vec![kid]);
    }

    #[test]
    fn pins_compare_as_typed() {
        let pin = vector_book().pin(1, 1).unwrap();
        assert!(pin.matches("32312692"));
        assert!(pin.matches("3231 2692"));
        assert!(!pin.matches("32312693"));
        assert!(!pin.matches("3231269"));
        assert!(!pin.matches(""));
        assert_eq!(format!("{pin:?}"), "Pin(********)");
    }
}
