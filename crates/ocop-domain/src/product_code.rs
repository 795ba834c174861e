//! The OCOP product code of DESIGN §2: `Province-Commune-Sequence-Year`, e.g. "22-06946-001-2026".

use crate::locality::{LocalityCode, LocalityKind};
use crate::text::excerpt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The programme began in Quảng Ninh in 2013, so no code can carry an earlier year; the upper
/// bound catches typed-over years ("2206") without needing a clock.
pub const MIN_YEAR: i32 = 2013;
pub const MAX_YEAR: i32 = 2099;

/// Nine digits keep every sequence inside `u32` while leaving room no commune will ever need.
const MAX_SEQUENCE_DIGITS: usize = 9;

/// A product's OCOP code. The fields are private so that every value went through
/// [`ProductCode::new`] and its checks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProductCode {
    province: LocalityCode,
    commune: LocalityCode,
    sequence: u32,
    year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadProductCode {
    #[error("`{0}` is not an OCOP product code: write Province-Commune-Sequence-Year, e.g. 22-06946-001-2026 (2-digit province, 5-digit commune, sequence of at least 3 digits, 4-digit year)")]
    Format(String),
    #[error(
        "`{0}` is not a province code: the first part of a product code has 2 digits, e.g. 22"
    )]
    NotProvince(String),
    #[error(
        "`{0}` is not a commune code: the second part of a product code has 5 digits, e.g. 06946"
    )]
    NotCommune(String),
    #[error("the sequence number must be at least 1: number a commune's products from 001")]
    ZeroSequence,
    #[error("the year {0} is outside {MIN_YEAR}–{MAX_YEAR}: use the year the code was assigned")]
    Year(i32),
}

impl ProductCode {
    pub fn new(
        province: LocalityCode,
        commune: LocalityCode,
        sequence: u32,
        year: i32,
    ) -> Result<Self, BadProductCode> {
        if province.kind() != LocalityKind::Province {
            return Err(BadProductCode::NotProvince(province.to_string()));
        }
        if commune.kind() != LocalityKind::Commune {
            return Err(BadProductCode::NotCommune(commune.to_string()));
        }
        if sequence == 0 {
            return Err(BadProductCode::ZeroSequence);
        }
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(BadProductCode::Year(year));
        }
        Ok(ProductCode {
            province,
            commune,
            sequence,
            year,
        })
    }

    pub fn province(&self) -> &LocalityCode {
        &self.province
    }

    pub fn commune(&self) -> &LocalityCode {
        &self.commune
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    pub fn year(&self) -> i32 {
        self.year
    }
}

impl fmt::Display for ProductCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:03}-{}",
            self.province, self.commune, self.sequence, self.year
        )
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl FromStr for ProductCode {
    type Err = BadProductCode;

    /// Only the canonical form parses (what `Display` writes), so that one product never ends up
    /// under two spellings of its code.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || BadProductCode::Format(excerpt(t));
        let parts: Vec<&str> = t.split('-').take(5).collect();
        let [province, commune, sequence, year] = parts[..] else {
            return Err(bad());
        };
        let shape_ok = province.len() == 2
            && commune.len() == 5
            && (3..=MAX_SEQUENCE_DIGITS).contains(&sequence.len())
            && year.len() == 4
            && [province, commune, sequence, year].into_iter().all(digits)
            // "0001" would print back as "001".
            && (sequence.len() == 3 || !sequence.starts_with('0'));
        if !shape_ok {
            return Err(bad());
        }
        let province: LocalityCode = province
            .parse()
            .map_err(|_| BadProductCode::NotProvince(province.to_string()))?;
        let commune: LocalityCode = commune
            .parse()
            .map_err(|_| BadProductCode::NotCommune(commune.to_string()))?;
        let sequence: u32 = sequence.parse().map_err(|_| bad())?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        ProductCode::new(province, commune, sequence, year)
    }
}

impl TryFrom<String> for ProductCode {
    type Error = BadProductCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ProductCode> for String {
    fn from(c: ProductCode) -> String {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> ProductCode {
        s.parse().unwrap()
    }

    #[test]
    fn builds_and_displays() {
        let c = ProductCode::new(
            LocalityCode::province(22),
            LocalityCode::commune(6946),
            1,
            2026,
        )
        .unwrap();
        assert_eq!(c.to_string(), "22-06946-001-2026");
        assert_eq!(c.province().as_str(), "22");
        assert_eq!(c.commune().as_str(), "06946");
        assert_eq!((c.sequence(), c.year()), (1, 2026));
        assert_eq!(code("22-06946-001-2026"), c);
    }

    #[test]
    fn long_sequences_round_trip() {
        for s in [
            "22-07093-999-2025",
            "01-00004-1000-2019",
            "96-32248-123456789-2099",
        ] {
            assert_eq!(code(s).to_string(), s);
        }
        assert_eq!(code(" 22-06946-042-2026 ").to_string(), "22-06946-042-2026");
    }

    #[test]
    fn constructor_checks_each_part() {
        let p = LocalityCode::province(22);
        let c = LocalityCode::commune(6946);
        assert_eq!(
            ProductCode::new(c.clone(), c.clone(), 1, 2026),
            Err(BadProductCode::NotProvince("06946".into()))
        );
        assert_eq!(
            ProductCode::new(p.clone(), p.clone(), 1, 2026),
            Err(BadProductCode::NotCommune("22".into()))
        );
        assert_eq!(
            ProductCode::new(p.clone(), c.clone(), 0, 2026),
            Err(BadProductCode::ZeroSequence)
        );
        assert_eq!(
            ProductCode::new(p.clone(), c.clone(), 1, 2012),
            Err(BadProductCode::Year(2012))
        );
        assert_eq!(
            ProductCode::new(p, c, 1, 2206),
            Err(BadProductCode::Year(2206))
        );
    }

    #[test]
    fn parsing_is_strict() {
        for bad in [
            "",
            "22-06946-001",
            "22-06946-001-2026-1",
            "22/06946/001/2026",
            "2-06946-001-2026",
            "22-6946-001-2026",
            "22-06946-01-2026",
            "22-06946-0001-2026",
            "22-06946-001-26",
            "22-06946-00a-2026",
            "22-06946--2026",
            "22 -06946-001-2026",
            "22-06946-1234567890-2026",
            "２２-06946-001-2026",
        ] {
            assert!(
                matches!(bad.parse::<ProductCode>(), Err(BadProductCode::Format(_))),
                "{bad}"
            );
        }
        assert_eq!(
            "00-06946-001-2026".parse::<ProductCode>(),
            Err(BadProductCode::NotProvince("00".into()))
        );
        assert_eq!(
            "22-00000-001-2026".parse::<ProductCode>(),
            Err(BadProductCode::NotCommune("00000".into()))
        );
        assert_eq!(
            "22-06946-000-2026".parse::<ProductCode>(),
            Err(BadProductCode::ZeroSequence)
        );
        assert_eq!(
            "22-06946-001-1999".parse::<ProductCode>(),
            Err(BadProductCode::Year(1999))
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["---", "🍵-🍵-🍵-🍵", "Quảng Ninh-Đông Triều-001-2026"] {
            assert!(s.parse::<ProductCode>().is_err(), "{s}");
        }
        let err = "-".repeat(100_000).parse::<ProductCode>().unwrap_err();
        assert!(err.to_string().len() < 400);
    }

    #[test]
    fn serde_uses_the_string_form() {
        let c: ProductCode = serde_json::from_str("\"22-06946-001-2026\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"22-06946-001-2026\"");
        assert!(serde_json::from_str::<ProductCode>("\"22-06946-1-2026\"").is_err());
    }
}
