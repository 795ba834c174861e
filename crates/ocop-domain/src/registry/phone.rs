//! Vietnamese phone numbers as people write them on business cards and labels.

use crate::text::excerpt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A Vietnamese phone number in its national form: a leading 0 and digits only ("0912345678").
/// Mobile numbers have 10 digits and start 03, 05, 07, 08 or 09; landlines start with a 02x area
/// code and have 11 digits (10 before the 2017 renumbering).
///
/// Besides the national form and +84 / 0084, it reads the two shapes that spreadsheets make of
/// them: a number typed into a numeric cell loses its leading 0 ("912345678"), and "+84…" typed
/// into one loses its + ("84912345678", which no national number can be: without the 0 they
/// have 9 or 10 digits). Whatever is read must then be a mobile or landline number in full.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadPhoneNumber {
    #[error("the phone number is empty: write it as 0912 345 678 or +84 912 345 678")]
    Empty,
    #[error("phone number `{input}` contains `{found}`: use only digits, a leading +84, and spaces, dots or hyphens between groups")]
    NotDigits { input: String, found: char },
    #[error("`{0}` is not a Vietnamese phone number: after the leading 0 (or +84) comes a mobile prefix (3, 5, 7, 8, 9) or a landline area code (2x)")]
    Prefix(String),
    #[error("phone number {number} has {digits} digits: a mobile number has 10 (e.g. 0912 345 678) and a landline 10 or 11 (e.g. 0203 3845 678), counting the leading 0")]
    Length { number: String, digits: usize },
}

impl PhoneNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The E.164 form ("+84912345678"), which SMS gateways expect.
    pub fn e164(&self) -> String {
        format!("+84{}", &self.0[1..])
    }
}

impl FromStr for PhoneNumber {
    type Err = BadPhoneNumber;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() {
            return Err(BadPhoneNumber::Empty);
        }
        let packed: String = t
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '(' | ')'))
            .collect();
        let all_digits = packed.bytes().all(|b| b.is_ascii_digit());
        let country = packed
            .strip_prefix("+84")
            .or_else(|| packed.strip_prefix("0084"))
            // +84 typed into a numeric cell: Excel takes the + for a sign.
            .or_else(|| {
                packed
                    .strip_prefix("84")
                    .filter(|_| all_digits && packed.len() >= 11)
            });
        let national = match country {
            // "+84 0912 …" is a common slip; the 0 is the trunk prefix the +84 replaces.
            Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
            // A numeric cell drops the trunk 0 ("912345678"); so do some people typing.
            None if all_digits && !packed.starts_with('0') => format!("0{packed}"),
            None => packed,
        };
        if let Some(found) = national.chars().find(|c| !c.is_ascii_digit()) {
            return Err(BadPhoneNumber::NotDigits {
                input: excerpt(t),
                found,
            });
        }
        let digits = national.len();
        let length_ok = match national.as_bytes() {
            [b'0', b'2', ..] => (10..=11).contains(&digits),
            [b'0', b'3' | b'5' | b'7' | b'8' | b'9', ..] => digits == 10,
            _ => return Err(BadPhoneNumber::Prefix(excerpt(t))),
        };
        if !length_ok {
            return Err(BadPhoneNumber::Length {
                number: excerpt(t),
                digits,
            });
        }
        Ok(PhoneNumber(national))
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = BadPhoneNumber;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> String {
        p.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn national(s: &str) -> String {
        s.parse::<PhoneNumber>().unwrap().as_str().to_string()
    }

    #[test]
    fn normalizes_common_spellings() {
        assert_eq!(national("+84 912 345 678"), "0912345678");
        assert_eq!(national("0912.345.678"), "0912345678");
        assert_eq!(national("0203 3845 678"), "02033845678");
        assert_eq!(national("(+84) 912-345-678"), "0912345678");
        assert_eq!(national("+84 0912 345 678"), "0912345678");
        assert_eq!(national("0084912345678"), "0912345678");
        assert_eq!(national("024 3825 4321"), "02438254321");
        assert_eq!(national("0203 384 567"), "0203384567");
        assert_eq!(national(" 0388 123 456 "), "0388123456");
        assert_eq!(
            "0912 345 678".parse::<PhoneNumber>().unwrap().e164(),
            "+84912345678"
        );
    }

    #[test]
    fn reads_what_spreadsheets_make_of_numbers() {
        // A numeric cell drops the leading 0: Excel shows 912345679 for 0912 345 679.
        assert_eq!(national("912345679"), "0912345679");
        assert_eq!(national("388123456"), "0388123456");
        assert_eq!(national("565123456"), "0565123456");
        assert_eq!(national("702123456"), "0702123456");
        assert_eq!(
            national("843123456"),
            "0843123456",
            "08 4… is a mobile, not +84"
        );
        assert_eq!(national("2033845678"), "02033845678");
        assert_eq!(national("2438254321"), "02438254321");
        assert_eq!(national("203384567"), "0203384567");
        // People drop it too, with the usual grouping.
        assert_eq!(national("912 345 679"), "0912345679");
        assert_eq!(national("91.234.5679"), "0912345679");
        // +84 in a numeric cell loses its +.
        assert_eq!(national("84912345678"), "0912345678");
        assert_eq!(national("84 912 345 678"), "0912345678");
        assert_eq!(national("842033845678"), "02033845678");
        assert_eq!(national("840912345678"), "0912345678");
    }

    #[test]
    fn rejects_with_the_reason() {
        assert_eq!("".parse::<PhoneNumber>(), Err(BadPhoneNumber::Empty));
        assert!(matches!(
            "0912 345 67x".parse::<PhoneNumber>(),
            Err(BadPhoneNumber::NotDigits { found: 'x', .. })
        ));
        assert!(matches!(
            "+1 202 555 0100".parse::<PhoneNumber>(),
            Err(BadPhoneNumber::NotDigits { found: '+', .. })
        ));
        for bad in [
            "0112345678",
            "0612345678",
            "1900 1234",
            "612345678",
            "112345678",
            "412345678",
            "84412345678",
            "12",
        ] {
            assert!(
                matches!(bad.parse::<PhoneNumber>(), Err(BadPhoneNumber::Prefix(_))),
                "{bad}"
            );
        }
        for bad in [
            "091234567",
            "09123456789",
            "020338456",
            "020338456789",
            "+84",
            "91234567",
            "9123456789",
            "20338456",
            "20338456789",
            "8491234567",
            "849123456789",
            "84",
        ] {
            assert!(
                matches!(
                    bad.parse::<PhoneNumber>(),
                    Err(BadPhoneNumber::Length { .. } | BadPhoneNumber::Prefix(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            "016 8123 4567".parse::<PhoneNumber>(),
            Err(BadPhoneNumber::Prefix(_))
        ));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "+",
            "0",
            "-",
            "()",
            "điện thoại",
            "０９１２３４５６７８",
            "🍵",
        ] {
            assert!(s.parse::<PhoneNumber>().is_err(), "{s}");
        }
        let err = "0".repeat(100_000).parse::<PhoneNumber>().unwrap_err();
        assert!(err.to_string().len() < 300);
    }

    #[test]
    fn serde_uses_the_national_form() {
        let p: PhoneNumber = serde_json::from_str("\"+84 912 345 678\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"0912345678\"");
    }
}
