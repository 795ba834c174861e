//! The Vietnamese tax code (mã số thuế) of an economic organization.

use crate::text::excerpt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A tax code: 10 digits for the organization, or those 10 digits, a hyphen and 3 more for one of
/// its branches ("5700100256-001"). Household businesses and individuals use their 12-digit
/// personal identification number as tax code since 1 July 2025 (Circular 86/2024/TT-BTC), and
/// households are one of OCOP's organization kinds. Leading zeros matter, so it is text.
/// Spaces between the digits, as in "5702 111 222", are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadTaxCode {
    #[error("the tax code is empty: type the 10-digit mã số thuế from the business registration")]
    Empty,
    #[error("`{0}` is not a tax code: write 10 digits (e.g. 5700100256), 10 digits, a hyphen and 3 digits for a branch (e.g. 5700100256-001), or a household's 12-digit personal number")]
    Format(String),
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

impl TaxCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code of the organization itself, which a branch code starts with.
    pub fn head_office(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    pub fn is_branch(&self) -> bool {
        self.0.contains('-')
    }
}

impl FromStr for TaxCode {
    type Err = BadTaxCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() {
            return Err(BadTaxCode::Empty);
        }
        // Offices group the digits as they read them aloud ("5702 111 222", "5700100256 - 001").
        let packed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        let ok = match packed.split_once('-') {
            None => all_digits(&packed, 10) || all_digits(&packed, 12),
            Some((head, branch)) => all_digits(head, 10) && all_digits(branch, 3),
        };
        if ok {
            Ok(TaxCode(packed))
        } else {
            Err(BadTaxCode::Format(excerpt(t)))
        }
    }
}

impl TryFrom<String> for TaxCode {
    type Error = BadTaxCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TaxCode> for String {
    fn from(t: TaxCode) -> String {
        t.0
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_organizations_and_branches() {
        let org: TaxCode = " 5700100256 ".parse().unwrap();
        assert_eq!(org.as_str(), "5700100256");
        assert!(!org.is_branch());
        let branch: TaxCode = "0100109106-001".parse().unwrap();
        assert_eq!(branch.to_string(), "0100109106-001");
        assert!(branch.is_branch());
        assert_eq!(branch.head_office(), "0100109106");
        let household: TaxCode = "022089001234".parse().unwrap();
        assert!(!household.is_branch());
        assert_eq!(household.head_office(), "022089001234");
    }

    #[test]
    fn reads_codes_written_in_groups() {
        let read = |s: &str| s.parse::<TaxCode>().unwrap().to_string();
        assert_eq!(read("5702 111 222"), "5702111222");
        assert_eq!(read("57001 00256"), "5700100256");
        assert_eq!(read("0100 109 106 - 001"), "0100109106-001");
        assert_eq!(read("0100109106 -001"), "0100109106-001");
        assert_eq!(read("022 089 001 234"), "022089001234");
        // The no-break space Excel and Word put between groups.
        assert_eq!(read("5702\u{a0}111\u{a0}222"), "5702111222");
        let grouped: TaxCode = "0100 109 106-001".parse().unwrap();
        assert!(grouped.is_branch());
        assert_eq!(grouped.head_office(), "0100109106");
    }

    #[test]
    fn rejects_other_shapes() {
        assert_eq!("  ".parse::<TaxCode>(), Err(BadTaxCode::Empty));
        for bad in [
            "570010025",
            "57001002567",
            "5700100256001",
            "57001002560",
            "5700100256-01",
            "5700100256-0001",
            "5700100256-",
            "-001",
            "5700100256-001-002",
            "5700100256 001",
            "5702-111-222",
            "5702.111.222",
            "570010025a",
            "５７００１００２５６",
            "mã số thuế",
        ] {
            assert!(
                matches!(bad.parse::<TaxCode>(), Err(BadTaxCode::Format(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let err = "9".repeat(100_000).parse::<TaxCode>().unwrap_err();
        assert!(err.to_string().len() < 300);
        assert!("🍵🍵🍵🍵🍵".parse::<TaxCode>().is_err());
    }

    #[test]
    fn serde_uses_the_string_form() {
        let t: TaxCode = serde_json::from_str("\"5700100256-001\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"5700100256-001\"");
        assert!(serde_json::from_str::<TaxCode>("\"123\"").is_err());
    }
}
