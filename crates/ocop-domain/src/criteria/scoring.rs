//! From council members' answers to a result (DESIGN §2 "Stars"):
//! - each member's total is the sum of the points of the options they chose;
//! - the result is the mean of the members' totals, placed in a star band (≥90 → 5★, ≥70 → 4★,
//!   ≥50 → 3★, ≥30 → 2★, else 1★);
//! - a star level is reached only if every minimum marker at that level and below is met, where
//!   "met" means the members' mean points on that criterion reach the marked option's points;
//! - a stop rule (a 0 on a `stop_if_zero` criterion, or a member recording that the note's
//!   stop condition applies) ends the evaluation at that criterion: later criteria need no
//!   answers and the product is not ranked; so is a disqualified dossier;
//! - ≥3★ is recognized, 5★ only by the central council.
//!
//! Means are compared in integers (sum against threshold × members) so that a band edge is
//! never missed by floating-point rounding.

use super::answers::{Answer, Answers, Pick};
use super::rubric::{Choice, Criterion, Rubric};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("{0}")]
    Shape(String),
    #[error(
        "no council member's answers: give {{\"members\":[{{…}}]}} with one object per member"
    )]
    NoMembers,
    #[error("member {member}, criterion {criterion}: {why}")]
    BadAnswer {
        member: usize,
        criterion: String,
        why: String,
    },
    #[error("member {member}: set {set} has no criterion \"{criterion}\"")]
    UnknownCriterion {
        member: usize,
        set: u8,
        criterion: String,
    },
    #[error("member {member} did not answer criterion {criterion}")]
    Missing { member: usize, criterion: String },
    #[error("criterion {criterion}: the members chose different cases; agree on one case first")]
    CasesDisagree { criterion: String },
    #[error("set {set} has {count} disqualification conditions: {index} is not one of them (count from 0)")]
    UnknownCondition { set: u8, index: usize, count: usize },
}

/// A minimum marker the product does not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmet {
    pub criterion: String,
    /// The star level the marker belongs to (3, 4 or 5).
    pub level: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecognizedBy {
    Province,
    Central,
}

/// One criterion's points across members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionScore {
    pub code: String,
    pub part: String,
    pub points: Vec<u32>,
    /// Mean over members, truncated to two decimals.
    pub mean: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Mean of the members' totals, truncated (not rounded) to two decimals so that it never
    /// shows a band it did not reach.
    pub total: f64,
    pub band_stars: u8,
    /// `None` when the evaluation stopped or the dossier is disqualified: not ranked.
    pub stars: Option<u8>,
    pub unmet_minimums: Vec<Unmet>,
    pub stopped: bool,
    pub stop_criterion: Option<String>,
    /// The set's disqualification conditions the council found, verbatim.
    pub disqualified: Vec<String>,
    pub recognizable: bool,
    pub recognized_by: Option<RecognizedBy>,
    pub member_totals: Vec<u32>,
    /// Mean points per part ("A", "B", "C").
    pub parts: Vec<(String, f64)>,
    pub criteria: Vec<CriterionScore>,
    /// Source oddities that this score's answers touched (see the rubric's `source_flags`).
    pub notes: Vec<String>,
}

/// The star band of a mean total, ignoring minimum markers.
pub fn star_band(mean: f64) -> u8 {
    super::star_bands()
        .iter()
        .find(|(_, least)| mean >= f64::from(*least))
        .map_or(1, |(stars, _)| *stars)
}

/// `sum / n` truncated to two decimals, computed in integers.
fn mean_of(sum: u64, n: u64) -> f64 {
    ((sum * 100) / n) as f64 / 100.0
}

/// The points a member's answer gives, checked against the criterion; and the case it chose.
fn points_of(
    c: &Criterion,
    a: &Answer,
    member: usize,
    notes: &mut Vec<String>,
) -> Result<(u32, Option<usize>), ScoreError> {
    let bad = |why: String| ScoreError::BadAnswer {
        member,
        criterion: c.code.clone(),
        why,
    };
    if a.stop && !(c.has_stop_rule || c.stop_if_zero) {
        return Err(bad(
            "this criterion has no stop rule; remove \"stop\"".into()
        ));
    }
    let (options, case, i) = match (&c.choice, a.pick) {
        (Choice::Options { options }, Pick::Option(i)) => (options, None, i),
        (Choice::Cases { cases }, Pick::CaseOption { case, option }) => {
            let chosen = cases.get(case).ok_or_else(|| {
                bad(format!(
                    "case {case} does not exist: choose a case from 0 to {}",
                    cases.len() - 1
                ))
            })?;
            (&chosen.options, Some(case), option)
        }
        (Choice::Points, Pick::Points(p)) if p <= c.max_points => return Ok((p, None)),
        (Choice::Points, Pick::Points(p)) => {
            return Err(bad(format!(
                "{p} points is more than the criterion's {}",
                c.max_points
            )))
        }
        (Choice::Options { options }, _) => {
            return Err(bad(format!(
                "give the number of an option, from 0 to {}",
                options.len() - 1
            )))
        }
        (Choice::Cases { cases }, _) => {
            return Err(bad(format!(
                "this criterion has {} cases: give {{\"case\":0,\"option\":1}}",
                cases.len()
            )))
        }
        (Choice::Points, _) => {
            return Err(bad(format!(
                "the source lists no options here: give {{\"points\":N}} with N from 0 to {}",
                c.max_points
            )))
        }
    };
    let o = options.get(i).ok_or_else(|| {
        bad(format!(
            "option {i} does not exist: choose from 0 to {}",
            options.len() - 1
        ))
    })?;
    let counted = o.counted(c.max_points);
    if o.points != Some(counted) {
        let note = format!(
            "criterion {}: option \"{}\" reads {} in the source; counted as {counted}",
            c.code,
            o.text,
            o.points
                .map_or("a blank cell".to_string(), |p| format!("{p} points")),
        );
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    Ok((counted, case))
}

/// Scores a dossier on set `r` from its council members' answers.
pub fn score(r: &Rubric, answers: &Answers) -> Result<Score, ScoreError> {
    let members = &answers.members;
    if members.is_empty() {
        return Err(ScoreError::NoMembers);
    }
    for (m, sheet) in members.iter().enumerate() {
        if let Some(code) = sheet.keys().find(|code| r.criterion(code).is_none()) {
            return Err(ScoreError::UnknownCriterion {
                member: m + 1,
                set: r.number,
                criterion: code.clone(),
            });
        }
    }
    let mut disqualified = Vec::new();
    for &i in &answers.disqualified_if {
        let text = r
            .disqualified_if
            .get(i)
            .ok_or(ScoreError::UnknownCondition {
                set: r.number,
                index: i,
                count: r.disqualified_if.len(),
            })?;
        if !disqualified.contains(text) {
            disqualified.push(text.clone());
        }
    }

    let n = members.len() as u64;
    let mut notes = Vec::new();
    let mut criteria = Vec::new();
    let mut unmet: Vec<Unmet> = Vec::new();
    let mut stop_criterion = None;
    'parts: for part in &r.parts {
        for c in &part.criteria {
            let mut points = Vec::with_capacity(members.len());
            let mut case = None;
            let mut stops = false;
            for (m, sheet) in members.iter().enumerate() {
                let a = sheet.get(&c.code).ok_or_else(|| ScoreError::Missing {
                    member: m + 1,
                    criterion: c.code.clone(),
                })?;
                let (p, chosen) = points_of(c, a, m + 1, &mut notes)?;
                if m > 0 && chosen != case {
                    return Err(ScoreError::CasesDisagree {
                        criterion: c.code.clone(),
                    });
                }
                case = chosen;
                stops |= a.stop || (c.stop_if_zero && p == 0);
                points.push(p);
            }
            let sum: u64 = points.iter().map(|&p| u64::from(p)).sum();
            for (level, least) in markers(c, case) {
                if sum < u64::from(least) * n
                    && !unmet
                        .iter()
                        .any(|u| u.criterion == c.code && u.level == level)
                {
                    unmet.push(Unmet {
                        criterion: c.code.clone(),
                        level,
                    });
                }
            }
            criteria.push(CriterionScore {
                code: c.code.clone(),
                part: part.code.clone(),
                mean: mean_of(sum, n),
                points,
            });
            if stops {
                stop_criterion = Some(c.code.clone());
                break 'parts;
            }
        }
    }

    let member_totals: Vec<u32> = (0..members.len())
        .map(|m| criteria.iter().map(|c| c.points[m]).sum())
        .collect();
    let sum: u64 = member_totals.iter().map(|&t| u64::from(t)).sum();
    let band_stars = band_of_sum(sum, n);
    unmet.retain(|u| u.level <= band_stars);
    unmet.sort_by(|a, b| a.level.cmp(&b.level).then(a.criterion.cmp(&b.criterion)));
    let ranked = stop_criterion.is_none() && disqualified.is_empty();
    let stars = ranked.then(|| {
        let capped = unmet
            .iter()
            .map(|u| u.level - 1)
            .min()
            .unwrap_or(band_stars);
        band_stars.min(capped).max(1)
    });
    let recognizable = stars.is_some_and(|s| s >= 3);
    let parts = r
        .parts
        .iter()
        .map(|p| {
            let s: u64 = criteria
                .iter()
                .filter(|c| c.part == p.code)
                .flat_map(|c| c.points.iter().map(|&x| u64::from(x)))
                .sum();
            (p.code.clone(), mean_of(s, n))
        })
        .collect();
    Ok(Score {
        total: mean_of(sum, n),
        band_stars,
        stars,
        unmet_minimums: unmet,
        stopped: stop_criterion.is_some(),
        stop_criterion,
        disqualified,
        recognizable,
        recognized_by: match stars {
            Some(5) => Some(RecognizedBy::Central),
            Some(3 | 4) => Some(RecognizedBy::Province),
            _ => None,
        },
        member_totals,
        parts,
        criteria,
        notes,
    })
}

/// The band of a mean given as a sum over `n` members, compared in integers.
fn band_of_sum(sum: u64, n: u64) -> u8 {
    super::star_bands()
        .iter()
        .find(|(_, least)| sum >= u64::from(*least) * n)
        .map_or(1, |(stars, _)| *stars)
}

/// The minimum markers on a criterion (for a case criterion, those of the chosen case) as
/// (level, least points), the lowest points per level.
fn markers(c: &Criterion, case: Option<usize>) -> Vec<(u8, u32)> {
    let mut out: Vec<(u8, u32)> = Vec::new();
    for o in c.options(case).unwrap_or_default() {
        if let Some(level) = o.min_for_stars {
            let least = o.counted(c.max_points);
            match out.iter_mut().find(|(l, _)| *l == level) {
                Some(m) => m.1 = m.1.min(least),
                None => out.push((level, least)),
            }
        }
    }
    out
}
