//! The 26 OCOP criteria sets of Decision 26/2026/QĐ-TTg and how they classify products
//! (Phụ lục I: sector → group → set, with each set's lead ministry).
//!
//! The data ships with the product: `data/ocop-criteria-2026.json` is a copy of
//! shared/data/ocop-criteria-2026.json (its README there explains provenance and known oddities).
//!
//! The same file holds the scoring rubric ([`rubric`]), read in the same pass; [`scoring`]
//! turns council members' answers into a total and stars.

use serde::{Deserialize, Serialize};

pub mod answers;
pub mod rubric;
pub mod scoring;
#[cfg(test)]
mod scoring_tests;

pub use answers::{Answer, Answers, MemberSheet, Pick};
pub use rubric::{AnswerOption, Case, Choice, Criterion, Part, Rubric};
pub use scoring::{score, star_band, CriterionScore, RecognizedBy, Score, ScoreError, Unmet};
use std::sync::LazyLock;

/// One criteria set's classification, in the decision's Vietnamese wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriteriaSetInfo {
    /// 1 to 26, the "Bộ sản phẩm" number.
    pub number: u8,
    pub name: String,
    /// e.g. "SẢN PHẨM THỰC PHẨM".
    pub sector: String,
    /// The sector's Roman numeral, "I" to "VI".
    pub sector_code: String,
    /// One of the 17 product groups, e.g. "Gia vị".
    pub group: String,
    /// The lead ministries, separated by "; " where a set has several.
    pub managing_agency: String,
}

impl CriteriaSetInfo {
    pub fn managing_agencies(&self) -> impl Iterator<Item = &str> {
        self.managing_agency
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("criteria set {0} does not exist: use a number from 1 to 26")]
pub struct BadCriteriaSet(pub i64);

/// The file's shape, kept apart from the public types so the file can change without the API.
#[derive(Deserialize)]
struct File {
    star_bands: Vec<rubric::RawBand>,
    sets: Vec<rubric::RawSet>,
    checks: Vec<rubric::RawCheck>,
}

struct Shipped {
    sets: Vec<CriteriaSetInfo>,
    rubrics: Vec<Rubric>,
    /// (stars, least mean total), highest first.
    bands: Vec<(u8, u32)>,
}

static SHIPPED: LazyLock<Shipped> = LazyLock::new(|| {
    let file: File = serde_json::from_str(include_str!("../data/ocop-criteria-2026.json"))
        .expect("the shipped criteria file is valid (checked by a unit test)");
    let flags = |n: u8| {
        file.checks
            .iter()
            .filter(|c| c.set == n)
            .flat_map(|c| c.source_flags.iter().cloned())
            .collect()
    };
    let mut bands: Vec<(u8, u32)> = file
        .star_bands
        .iter()
        .map(|b| (b.stars, b.min_points))
        .collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.0));
    Shipped {
        rubrics: file
            .sets
            .iter()
            .map(|s| s.rubric(flags(s.number)))
            .collect(),
        sets: file
            .sets
            .into_iter()
            .map(|s| CriteriaSetInfo {
                number: s.number,
                name: s.name,
                sector: s.sector,
                sector_code: s.sector_code,
                group: s.group,
                managing_agency: s.managing_agency,
            })
            .collect(),
        bands,
    }
});

/// The decision's star bands as (stars, least mean total), highest first.
pub fn star_bands() -> &'static [(u8, u32)] {
    &SHIPPED.bands
}

/// The scoring rubric of set `n`.
pub fn rubric(n: i64) -> Result<&'static Rubric, BadCriteriaSet> {
    SHIPPED
        .rubrics
        .iter()
        .find(|r| i64::from(r.number) == n)
        .ok_or(BadCriteriaSet(n))
}

/// All 26 sets, ordered by number.
pub fn criteria_sets() -> &'static [CriteriaSetInfo] {
    &SHIPPED.sets
}

/// The set with this number. Takes `i64` so that a number straight from a form, a query string
/// or a database column can be checked without a lossy cast first.
pub fn criteria_set(n: i64) -> Result<&'static CriteriaSetInfo, BadCriteriaSet> {
    criteria_sets()
        .iter()
        .find(|s| i64::from(s.number) == n)
        .ok_or(BadCriteriaSet(n))
}

/// The distinct product groups in the decision's order (the order of their first set).
pub fn groups() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for s in criteria_sets() {
        if !out.contains(&s.group.as_str()) {
            out.push(&s.group);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_26_sets_in_order() {
        let sets = criteria_sets();
        assert_eq!(sets.len(), 26);
        for (i, s) in sets.iter().enumerate() {
            assert_eq!(usize::from(s.number), i + 1);
            for field in [
                &s.name,
                &s.sector,
                &s.sector_code,
                &s.group,
                &s.managing_agency,
            ] {
                assert!(!field.trim().is_empty(), "set {}", s.number);
            }
        }
    }

    #[test]
    fn known_sets_are_classified_as_in_the_decision() {
        let nine = criteria_set(9).unwrap();
        assert_eq!(nine.group, "Gia vị");
        assert_eq!(nine.name, "Tương, nước mắm, gia vị dạng lỏng khác");
        assert_eq!(nine.sector_code, "I");
        assert_eq!(criteria_set(13).unwrap().group, "Cà phê, ca cao");
        assert_eq!(criteria_set(26).unwrap().sector_code, "VI");
        let six: Vec<_> = criteria_set(6).unwrap().managing_agencies().collect();
        assert_eq!(six, ["Bộ Nông nghiệp và Môi trường", "Bộ Công Thương"]);
    }

    #[test]
    fn six_sectors_and_17_groups() {
        let g = groups();
        assert_eq!(g.len(), 17);
        assert_eq!(g[0], "Thực phẩm tươi sống");
        assert!(g.contains(&"Gia vị"));
        let mut sectors: Vec<_> = criteria_sets().iter().map(|s| &s.sector_code).collect();
        sectors.dedup();
        assert_eq!(sectors, ["I", "II", "III", "IV", "V", "VI"]);
    }

    #[test]
    fn other_numbers_are_refused_with_the_range() {
        for n in [0, 27, -1, i64::MIN, i64::MAX, 256, 265] {
            assert_eq!(criteria_set(n), Err(BadCriteriaSet(n)));
        }
        assert_eq!(
            BadCriteriaSet(27).to_string(),
            "criteria set 27 does not exist: use a number from 1 to 26"
        );
    }
}
