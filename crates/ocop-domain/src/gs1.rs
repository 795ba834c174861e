//! GS1 identification keys: the GTIN on a product's barcode and the GLN of a place or party.

use crate::text::excerpt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The GS1 mod-10 check digit for `body` (the key without its check digit), or `None` when `body`
/// is empty or holds anything but ASCII digits.
///
/// Weights alternate 3, 1 starting from the rightmost digit, so the result does not depend on
/// left zero-padding: a GTIN-13 and its 14-digit form share their check digit.
pub fn check_digit(body: &str) -> Option<u8> {
    if body.is_empty() {
        return None;
    }
    let mut sum: u32 = 0;
    for (i, b) in body.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let weight = if i % 2 == 0 { 3 } else { 1 };
        // Reducing as we go keeps the sum small for arbitrarily long input.
        sum = (sum + u32::from(b - b'0') * weight) % 10;
    }
    Some(((10 - sum) % 10) as u8)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadGs1Key {
    #[error("the {key} is empty: type the digits printed under the barcode")]
    Empty { key: &'static str },
    #[error("{key} `{input}` contains `{found}`, which is not a digit: type only the digits under the barcode (spaces and hyphens are ignored)")]
    NotDigits {
        key: &'static str,
        input: String,
        found: char,
    },
    #[error("{key} `{input}` has {digits} digits but a {key} has {allowed}: check that no digit is missing or repeated")]
    Length {
        key: &'static str,
        input: String,
        digits: usize,
        allowed: &'static str,
    },
    #[error("{key} {digits} has check digit {found} but it should be {expected}: check the number on the barcode")]
    CheckDigit {
        key: &'static str,
        digits: String,
        found: u8,
        expected: u8,
    },
    #[error("{key} {digits} is all zeros: use the number GS1 Vietnam assigned to you")]
    AllZeros { key: &'static str, digits: String },
}

/// Strips the separators people copy from printed labels, then checks digits, length and check digit.
fn parse_key(
    key: &'static str,
    s: &str,
    lengths: &[usize],
    allowed: &'static str,
) -> Result<String, BadGs1Key> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        return Err(BadGs1Key::Empty { key });
    }
    if let Some(found) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(BadGs1Key::NotDigits {
            key,
            input: excerpt(s.trim()),
            found,
        });
    }
    if !lengths.contains(&digits.len()) {
        return Err(BadGs1Key::Length {
            key,
            input: excerpt(s.trim()),
            digits: digits.len(),
            allowed,
        });
    }
    if digits.bytes().all(|b| b == b'0') {
        return Err(BadGs1Key::AllZeros { key, digits });
    }
    let (body, last) = digits.split_at(digits.len() - 1);
    let found = last.as_bytes()[0] - b'0';
    let expected = check_digit(body).expect("body is a non-empty run of ASCII digits");
    if found != expected {
        return Err(BadGs1Key::CheckDigit {
            key,
            digits,
            found,
            expected,
        });
    }
    Ok(digits)
}

/// A Global Trade Item Number, kept in its 14-digit form (GTIN-14) because GS1 Digital Link URIs
/// and EPCIS use that form, and because one item must compare equal however its barcode was typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gtin(String);

impl Gtin {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_gtin14(&self) -> &str {
        &self.0
    }
}

impl FromStr for Gtin {
    type Err = BadGs1Key;

    /// Accepts GTIN-8 (EAN-8), GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = parse_key("GTIN", s, &[8, 12, 13, 14], "8, 12, 13 or 14")?;
        Ok(Gtin(format!("{digits:0>14}")))
    }
}

impl TryFrom<String> for Gtin {
    type Error = BadGs1Key;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Gtin> for String {
    fn from(g: Gtin) -> String {
        g.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Global Location Number: 13 digits naming a party or a place (a farm, a factory, a warehouse),
/// as EPCIS events record where things happened.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gln(String);

impl Gln {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Gln {
    type Err = BadGs1Key;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_key("GLN", s, &[13], "13").map(Gln)
    }
}

impl TryFrom<String> for Gln {
    type Error = BadGs1Key;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Gln> for String {
    fn from(g: Gln) -> String {
        g.0
    }
}

impl fmt::Display for Gln {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent, longhand computation of the check digit to test against.
    fn longhand(body: &str) -> u8 {
        let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let mut sum = 0;
        for (i, d) in digits.iter().rev().enumerate() {
            sum += if i % 2 == 0 { 3 * d } else { *d };
        }
        let next_ten = sum.div_ceil(10) * 10;
        (next_ten - sum) as u8
    }

    #[test]
    fn check_digits_match_the_longhand_rule() {
        for body in [
            "893458801222",
            "400638133393",
            "03600029145",
            "9638507",
            "1234567890123",
            "893604526000",
            "0",
            "99999999999999999",
        ] {
            assert_eq!(check_digit(body), Some(longhand(body)), "{body}");
        }
        // Published examples: EAN-13 4006381333931, UPC-A 036000291452, EAN-8 96385074.
        assert_eq!(check_digit("400638133393"), Some(1));
        assert_eq!(check_digit("03600029145"), Some(2));
        assert_eq!(check_digit("9638507"), Some(4));
        assert_eq!(check_digit("893458801222"), Some(8));
    }

    #[test]
    fn check_digit_refuses_non_digits() {
        for body in ["", "12a4", "١٢٣", "12 3", "-1"] {
            assert_eq!(check_digit(body), None, "{body}");
        }
        assert!(check_digit(&"7".repeat(1_000_000)).is_some());
    }

    #[test]
    fn gtins_of_every_length_become_gtin14() {
        let cases = [
            ("96385074", "00000096385074"),
            ("036000291452", "00036000291452"),
            ("8934588012228", "08934588012228"),
            ("893 4588 01222-8", "08934588012228"),
            ("12345678901231", "12345678901231"),
        ];
        for (input, gtin14) in cases {
            let g: Gtin = input.parse().unwrap();
            assert_eq!(g.as_gtin14(), gtin14);
            assert_eq!(g.to_string(), gtin14);
            assert_eq!(g.as_str().parse::<Gtin>().unwrap(), g);
        }
        assert_eq!(
            "4006381333931".parse::<Gtin>().unwrap(),
            "04006381333931".parse::<Gtin>().unwrap()
        );
    }

    #[test]
    fn bad_gtins_say_what_is_wrong() {
        let err = "8935001234567".parse::<Gtin>().unwrap_err();
        assert_eq!(
            err,
            BadGs1Key::CheckDigit {
                key: "GTIN",
                digits: "8935001234567".into(),
                found: 7,
                expected: 2
            }
        );
        assert_eq!(
            err.to_string(),
            "GTIN 8935001234567 has check digit 7 but it should be 2: check the number on the barcode"
        );
        assert!(matches!(
            "893458801222X".parse::<Gtin>(),
            Err(BadGs1Key::NotDigits { found: 'X', .. })
        ));
        assert!(matches!(
            "89345880122".parse::<Gtin>(),
            Err(BadGs1Key::Length { digits: 11, .. })
        ));
        assert!(matches!(
            "0000000000000".parse::<Gtin>(),
            Err(BadGs1Key::AllZeros { .. })
        ));
        assert_eq!(" - ".parse::<Gtin>(), Err(BadGs1Key::Empty { key: "GTIN" }));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "８９３４５８８０１２２２８",
            "cà phê",
            "🍵",
            "+8934588012228",
        ] {
            assert!(s.parse::<Gtin>().is_err(), "{s}");
            assert!(s.parse::<Gln>().is_err(), "{s}");
        }
        let long = "1".repeat(100_000);
        let err = long.parse::<Gtin>().unwrap_err();
        assert!(err.to_string().len() < 300);
    }

    #[test]
    fn glns_have_13_digits_and_a_check_digit() {
        let body = "893604526000";
        let gln = format!("{body}{}", longhand(body));
        assert_eq!(gln.parse::<Gln>().unwrap().as_str(), gln);
        assert!(matches!(
            "8936045260001".parse::<Gln>(),
            Err(BadGs1Key::CheckDigit { expected: 5, .. })
        ));
        assert!(matches!(
            "08934588012228".parse::<Gln>(),
            Err(BadGs1Key::Length { digits: 14, .. })
        ));
    }

    #[test]
    fn serde_round_trips_through_strings() {
        let g: Gtin = serde_json::from_str("\"8934588012228\"").unwrap();
        assert_eq!(serde_json::to_string(&g).unwrap(), "\"08934588012228\"");
        assert!(serde_json::from_str::<Gtin>("\"8934588012229\"").is_err());
        let l: Gln = serde_json::from_str("\"8936045260005\"").unwrap();
        assert_eq!(serde_json::to_string(&l).unwrap(), "\"8936045260005\"");
    }
}
