//! Argon2id password hashing, always off the async threads (it takes tens of milliseconds).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use ocop_domain::Password;

/// Hashes a new password with a fresh random salt.
pub async fn hash(password: Password) -> Result<String, crate::error::Problem> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| crate::error::internal())?;
        let salt = SaltString::encode_b64(&salt).map_err(|_| crate::error::internal())?;
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| crate::error::internal())
    })
    .await
    .map_err(|_| crate::error::internal())?
}

/// Checks a password against a stored hash. With no stored hash (unknown user) it still does
/// the work of one check, so response times do not reveal which e-mails exist.
pub async fn verify(password: Password, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let target = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let Ok(parsed) = PasswordHash::new(&target) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.expose().as_bytes(), &parsed)
            .is_ok();
        ok && target != DUMMY_HASH
    })
    .await
    .unwrap_or(false)
}

/// A valid Argon2id hash of a random string nobody knows; used only to spend equal time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Zb1XG0Kf9c0l7nVNmJmGQ0xD8HkJ0m0I4c0Lr8yQ1E";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let p = Password::new("correct horse battery").unwrap();
        let h1 = hash(p.clone()).await.unwrap();
        let h2 = hash(p.clone()).await.unwrap();
        assert!(h1.starts_with("$argon2id$"));
        assert_ne!(h1, h2);
        assert!(verify(p, Some(h1.clone())).await);
        assert!(!verify(Password::attempt("wrong horse battery"), Some(h1)).await);
        assert!(!verify(Password::attempt("anything"), None).await);
    }

    #[test]
    fn the_dummy_hash_is_real_work() {
        // If it did not parse, unknown e-mails would answer faster than wrong passwords.
        let parsed = PasswordHash::new(DUMMY_HASH).expect("the dummy hash parses");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(parsed.hash.is_some());
    }
}
