//! Provinces and communes after the 2025 reform (two levels, Decision 19/2025/QĐ-TTg codes).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalityKind {
    Province,
    Commune,
}

impl LocalityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LocalityKind::Province => "province",
            LocalityKind::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "province" => Some(LocalityKind::Province),
            "commune" => Some(LocalityKind::Commune),
            _ => None,
        }
    }
}

/// An official locality code in its canonical, zero-padded form: two digits for a province
/// ("22" is Quảng Ninh), five for a commune ("07093" is Phường Đông Triều). The width tells the
/// level, because province and commune numbers overlap ("04" is Cao Bằng, "00004" Phường Ba Đình).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalityCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a locality code: use 2 digits for a province (e.g. 22) or 5 for a commune (e.g. 07093)")]
pub struct BadLocalityCode(pub String);

impl LocalityCode {
    pub fn province(number: u32) -> Self {
        LocalityCode(format!("{number:02}"))
    }

    pub fn commune(number: u32) -> Self {
        LocalityCode(format!("{number:05}"))
    }

    pub fn kind(&self) -> LocalityKind {
        if self.0.len() <= 2 {
            LocalityKind::Province
        } else {
            LocalityKind::Commune
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LocalityCode {
    type Err = BadLocalityCode;

    /// One or two digits name a province, three to five a commune; both are padded.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || BadLocalityCode(s.to_string());
        if t.is_empty() || t.len() > 5 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: u32 = t.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        Ok(if t.len() <= 2 {
            LocalityCode::province(n)
        } else {
            LocalityCode::commune(n)
        })
    }
}

impl TryFrom<String> for LocalityCode {
    type Error = BadLocalityCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<LocalityCode> for String {
    fn from(c: LocalityCode) -> String {
        c.0
    }
}

impl fmt::Display for LocalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One province or commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locality {
    pub code: LocalityCode,
    pub name: String,
    pub kind: LocalityKind,
    /// The official type word in Vietnamese: "tỉnh", "thành phố trung ương", "xã", "phường", "đặc khu".
    pub division: String,
    /// The province of a commune; `None` for a province.
    pub parent: Option<LocalityCode>,
}

/// The country's provinces and communes as shipped with the product
/// (a copy of shared/data/localities-2025.json).
pub fn national_localities() -> Vec<Locality> {
    #[derive(Deserialize)]
    struct File {
        provinces: Vec<Province>,
    }
    #[derive(Deserialize)]
    struct Province {
        code: u32,
        name: String,
        #[serde(rename = "type")]
        division: String,
        communes: Vec<Commune>,
    }
    #[derive(Deserialize)]
    struct Commune {
        code: u32,
        name: String,
        #[serde(rename = "type")]
        division: String,
    }
    let file: File = serde_json::from_str(include_str!("../data/localities-2025.json"))
        .expect("the shipped localities file is valid JSON (checked by a unit test)");
    let mut out = Vec::with_capacity(3400);
    for p in file.provinces {
        let province = LocalityCode::province(p.code);
        for c in p.communes {
            out.push(Locality {
                code: LocalityCode::commune(c.code),
                name: c.name,
                kind: LocalityKind::Commune,
                division: c.division,
                parent: Some(province.clone()),
            });
        }
        out.push(Locality {
            code: province,
            name: p.name,
            kind: LocalityKind::Province,
            division: p.division,
            parent: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_pads_codes() {
        assert_eq!("22".parse::<LocalityCode>().unwrap().as_str(), "22");
        assert_eq!("1".parse::<LocalityCode>().unwrap().as_str(), "01");
        assert_eq!("7093".parse::<LocalityCode>().unwrap().as_str(), "07093");
        assert_eq!(
            "07093".parse::<LocalityCode>().unwrap().kind(),
            LocalityKind::Commune
        );
        assert_eq!(
            "22".parse::<LocalityCode>().unwrap().kind(),
            LocalityKind::Province
        );
        for bad in ["", "0", "abc", "123456", "-1", "2 2"] {
            assert!(bad.parse::<LocalityCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ships_every_province_and_commune() {
        let all = national_localities();
        let provinces = all
            .iter()
            .filter(|l| l.kind == LocalityKind::Province)
            .count();
        assert_eq!(provinces, 34);
        assert_eq!(all.len() - provinces, 3321);
        let codes: std::collections::HashSet<_> = all.iter().map(|l| &l.code).collect();
        assert_eq!(codes.len(), all.len(), "codes are unique");
        let dong_trieu = all.iter().find(|l| l.code.as_str() == "07093").unwrap();
        assert_eq!(dong_trieu.name, "Phường Đông Triều");
        assert_eq!(dong_trieu.parent.as_ref().unwrap().as_str(), "22");
    }
}
