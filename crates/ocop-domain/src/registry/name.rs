//! Names of organizations and products as they appear on labels, certificates and the catalog.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Long enough for full cooperative names ("Hợp tác xã Nông nghiệp và Dịch vụ Tổng hợp …") and
/// product names with their variety and packaging, short enough to fit a certificate line.
pub const MAX_NAME_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadName {
    #[error("the {what} is empty: write the name as it appears on the label or the registration")]
    Empty { what: &'static str },
    #[error("the {what} has {chars} characters but may have at most {MAX_NAME_CHARS}: shorten it to the registered name")]
    TooLong { what: &'static str, chars: usize },
    #[error("the {what} contains a line break or another control character: write it on one line")]
    ControlCharacter { what: &'static str },
}

fn parse_name(s: &str, what: &'static str) -> Result<String, BadName> {
    let t = s.trim();
    if t.is_empty() {
        return Err(BadName::Empty { what });
    }
    let chars = t.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(BadName::TooLong { what, chars });
    }
    if t.chars().any(char::is_control) {
        return Err(BadName::ControlCharacter { what });
    }
    Ok(t.to_string())
}

/// Two names share every rule and differ only in what the error message calls them.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = BadName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_name(s, $what).map($name)
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadName;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(n: $name) -> String {
                n.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(
    /// The registered name of an economic organization, trimmed, 1–300 characters, one line.
    OrganizationName,
    "organization name"
);

name_type!(
    /// A product's name as on its label, trimmed, 1–300 characters, one line.
    ProductName,
    "product name"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed() {
        assert_eq!(
            "  HTX Chè Đường Hoa  "
                .parse::<OrganizationName>()
                .unwrap()
                .as_str(),
            "HTX Chè Đường Hoa"
        );
        let p: ProductName = "Nước mắm Cái Rồng 40 độ đạm".parse().unwrap();
        assert_eq!(p.to_string(), "Nước mắm Cái Rồng 40 độ đạm");
        assert!("ữ".repeat(300).parse::<ProductName>().is_ok());
    }

    #[test]
    fn rejects_with_the_reason() {
        assert_eq!(
            " \t ".parse::<ProductName>(),
            Err(BadName::Empty {
                what: "product name"
            })
        );
        assert_eq!(
            "ữ".repeat(301).parse::<OrganizationName>(),
            Err(BadName::TooLong {
                what: "organization name",
                chars: 301
            })
        );
        assert_eq!(
            "Miến\u{0007}dong".parse::<ProductName>(),
            Err(BadName::ControlCharacter {
                what: "product name"
            })
        );
        assert!("Miến\ndong".parse::<ProductName>().is_err());
        assert!(BadName::Empty {
            what: "organization name"
        }
        .to_string()
        .starts_with("the organization name is empty"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert!("🍵".parse::<ProductName>().is_ok());
        assert!("\u{0301}".parse::<ProductName>().is_ok());
        assert!("x".repeat(1_000_000).parse::<ProductName>().is_err());
    }

    #[test]
    fn serde_uses_the_string_form() {
        let n: OrganizationName = serde_json::from_str("\" HTX Chè \"").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"HTX Chè\"");
        assert!(serde_json::from_str::<ProductName>("\"\"").is_err());
    }
}
