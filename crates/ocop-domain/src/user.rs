//! Parse-don't-validate types for the people who use the system.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A lower-cased e-mail address, the sign-in name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidInput {
    #[error("`{0}` is not an e-mail address: write it as name@example.vn")]
    Email(String),
    #[error("the name is empty or longer than 200 characters")]
    Name,
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password must have at most {MAX_PASSWORD_CHARS} characters")]
    PasswordTooLong,
}

impl FromStr for Email {
    type Err = InvalidInput;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        let bad = || InvalidInput::Email(s.trim().to_string());
        let (local, domain) = t.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && t.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !t
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if ok {
            Ok(Email(t))
        } else {
            Err(bad())
        }
    }
}

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidInput;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name, trimmed, 1–200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl FromStr for PersonName {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() || t.chars().count() > 200 || t.chars().any(char::is_control) {
            return Err(InvalidInput::Name);
        }
        Ok(PersonName(t.to_string()))
    }
}

impl PersonName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = InvalidInput;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> String {
        n.0
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A plain-text password on its way to the hasher. It never prints.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// A new password must follow the length policy (long pass-phrases beat symbol rules).
    pub fn new(s: &str) -> Result<Self, InvalidInput> {
        let n = s.chars().count();
        if n < MIN_PASSWORD_CHARS {
            Err(InvalidInput::PasswordTooShort)
        } else if n > MAX_PASSWORD_CHARS {
            Err(InvalidInput::PasswordTooLong)
        } else {
            Ok(Password(s.to_string()))
        }
    }

    /// A password typed at sign-in is checked as given; the policy applies only to new ones.
    pub fn attempt(s: &str) -> Self {
        Password(s.chars().take(MAX_PASSWORD_CHARS).collect())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            "  Lan@QuangNinh.gov.VN ".parse::<Email>().unwrap().as_str(),
            "lan@quangninh.gov.vn"
        );
        for bad in [
            "",
            "lan",
            "lan@",
            "@x.vn",
            "lan@localhost",
            "a b@x.vn",
            "a@b@c.vn",
            "a@.vn",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            " Nguyễn Văn An ".parse::<PersonName>().unwrap().as_str(),
            "Nguyễn Văn An"
        );
        assert!("   ".parse::<PersonName>().is_err());
        assert!("x".repeat(201).parse::<PersonName>().is_err());
    }

    #[test]
    fn password_policy_and_redaction() {
        assert_eq!(
            Password::new("short").unwrap_err(),
            InvalidInput::PasswordTooShort
        );
        assert!(Password::new("mật khẩu dài đủ").is_ok());
        let p = Password::new("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }
}
