//! The scoring rubric of each criteria set (Phụ lục II): parts, criteria, answer options with
//! points and star-minimum markers, stop rules and disqualification conditions.
//!
//! The transcript the data comes from has a few oddities (an option worth 13 points on a
//! 3-point criterion, blank points cells, criteria without listed options). They are kept as
//! the source has them and shown to admins (`source_flags`, `Option::points` = `None`); the
//! scoring counts them by the rule in [`AnswerOption::counted`], never by silently editing data.

use serde::{Deserialize, Serialize};

/// A criteria set's full rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rubric {
    pub number: u8,
    pub parts: Vec<Part>,
    /// "Hồ sơ bị loại khi …", split into conditions.
    pub disqualified_if: Vec<String>,
    pub general_notes: Vec<String>,
    /// Oddities the extraction found in the source, verbatim, for admins to see.
    pub source_flags: Vec<String>,
}

/// Part A (40 points), B (25) or C (35).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub code: String,
    pub name: String,
    pub max_points: u32,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// "1.1", "6.1.1", or "7" where a numbered heading carries options itself.
    pub code: String,
    pub section: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsection: Option<String>,
    pub name: String,
    pub max_points: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Attached rules (Ghi chú / Chú ý / Yêu cầu …), verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub choice: Choice,
    /// A 0 here stops the evaluation (set 16, 6.1–6.4).
    pub stop_if_zero: bool,
    /// The note stops or excludes ("không đánh giá các bước tiếp theo", "bị loại"): an evaluator
    /// records whether it applies.
    pub has_stop_rule: bool,
}

/// How a criterion is answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Choice {
    /// Pick one option.
    Options { options: Vec<AnswerOption> },
    /// Pick one case, then one of its options (set 26).
    Cases { cases: Vec<Case> },
    /// The source lists no options: the evaluator gives points from 0 to the maximum.
    Points,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub name: String,
    pub options: Vec<AnswerOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerOption {
    pub text: String,
    /// `None` where the source's points cell is blank.
    pub points: Option<u32>,
    /// `***`, `****`, `*****`: the least a 3, 4 or 5-star product must reach on this criterion.
    pub min_for_stars: Option<u8>,
}

impl AnswerOption {
    /// The points this option counts for on a criterion worth `max`: a blank cell counts 0 and
    /// an option above the criterion's maximum (a source typo) counts the maximum, so no sheet
    /// exceeds 100. Both cases are listed in the set's `source_flags`.
    pub fn counted(&self, max: u32) -> u32 {
        self.points.unwrap_or(0).min(max)
    }
}

impl Criterion {
    /// The options a case-less criterion offers, or those of one case.
    pub fn options(&self, case: Option<usize>) -> Option<&[AnswerOption]> {
        match (&self.choice, case) {
            (Choice::Options { options }, None) => Some(options),
            (Choice::Cases { cases }, Some(c)) => cases.get(c).map(|c| c.options.as_slice()),
            _ => None,
        }
    }
}

impl Rubric {
    /// All criteria in the order of the score sheet.
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.parts.iter().flat_map(|p| p.criteria.iter())
    }

    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria().find(|c| c.code == code)
    }

    pub fn max_points(&self) -> u32 {
        self.parts.iter().map(|p| p.max_points).sum()
    }
}

// ---- the file's shape ----

#[derive(Deserialize)]
pub(super) struct RawSet {
    pub number: u8,
    pub name: String,
    pub sector: String,
    pub sector_code: String,
    pub group: String,
    pub managing_agency: String,
    #[serde(default)]
    disqualified_if: Vec<String>,
    #[serde(default)]
    general_notes: Vec<String>,
    parts: Vec<RawPart>,
}

#[derive(Deserialize)]
struct RawPart {
    code: String,
    name: String,
    max_points: u32,
    criteria: Vec<RawCriterion>,
}

#[derive(Deserialize)]
struct RawCriterion {
    code: String,
    section: String,
    subsection: Option<String>,
    name: String,
    max_points: u32,
    description: Option<String>,
    note: Option<String>,
    #[serde(default)]
    options: Vec<RawOption>,
    cases: Option<Vec<String>>,
    #[serde(default)]
    stop_if_zero: bool,
    #[serde(default)]
    has_stop_rule: bool,
}

#[derive(Deserialize)]
struct RawOption {
    text: String,
    points: Option<u32>,
    min_for_stars: Option<u8>,
    case: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawCheck {
    pub set: u8,
    #[serde(default)]
    pub source_flags: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct RawBand {
    pub stars: u8,
    pub min_points: u32,
}

impl RawSet {
    pub(super) fn rubric(&self, flags: Vec<String>) -> Rubric {
        Rubric {
            number: self.number,
            parts: self.parts.iter().map(RawPart::part).collect(),
            disqualified_if: self.disqualified_if.clone(),
            general_notes: self.general_notes.clone(),
            source_flags: flags,
        }
    }
}

impl RawPart {
    fn part(&self) -> Part {
        Part {
            code: self.code.clone(),
            name: self.name.clone(),
            max_points: self.max_points,
            criteria: self.criteria.iter().map(RawCriterion::criterion).collect(),
        }
    }
}

impl RawCriterion {
    fn criterion(&self) -> Criterion {
        let option = |o: &RawOption| AnswerOption {
            text: o.text.clone(),
            points: o.points,
            min_for_stars: o.min_for_stars,
        };
        let choice = match &self.cases {
            Some(names) => Choice::Cases {
                cases: names
                    .iter()
                    .map(|name| Case {
                        name: name.clone(),
                        options: self
                            .options
                            .iter()
                            .filter(|o| o.case.as_deref() == Some(name))
                            .map(option)
                            .collect(),
                    })
                    .collect(),
            },
            None if self.options.is_empty() => Choice::Points,
            None => Choice::Options {
                options: self.options.iter().map(option).collect(),
            },
        };
        Criterion {
            code: self.code.clone(),
            section: self.section.clone(),
            subsection: self.subsection.clone(),
            name: self.name.clone(),
            max_points: self.max_points,
            description: self.description.clone(),
            note: self.note.clone(),
            choice,
            stop_if_zero: self.stop_if_zero,
            has_stop_rule: self.has_stop_rule,
        }
    }
}
