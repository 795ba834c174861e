//! A council's (or anyone's) answers scored on a set, as the CLI, the API and a dossier's
//! consolidation report it: one view and one path from JSON to result.

use ocop_domain::criteria::{self, Answers, Score, ScoreError};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct UnmetView {
    pub criterion: String,
    pub level: u8,
}

#[derive(Serialize, ToSchema)]
pub struct CriterionScoreView {
    pub code: String,
    pub part: String,
    /// Each member's points, in the members' order.
    pub points: Vec<u32>,
    pub mean: f64,
}

/// A council's result on one dossier (DESIGN §2 "Stars").
#[derive(Serialize, ToSchema)]
pub struct ScoreView {
    /// Mean of the members' totals, truncated to two decimals.
    pub total: f64,
    /// The band the total reaches, before minimum markers.
    pub band_stars: u8,
    /// Null when the evaluation stopped or the dossier is disqualified.
    pub stars: Option<u8>,
    pub unmet_minimums: Vec<UnmetView>,
    pub stopped: bool,
    pub stop_criterion: Option<String>,
    pub disqualified: Vec<String>,
    pub recognizable: bool,
    /// "province" (3–4★), "central" (5★) or null.
    pub recognized_by: Option<String>,
    pub member_totals: Vec<u32>,
    pub parts: BTreeMap<String, f64>,
    pub criteria: Vec<CriterionScoreView>,
    /// Source oddities the answers touched and how they were counted.
    pub notes: Vec<String>,
}

impl From<Score> for ScoreView {
    fn from(s: Score) -> ScoreView {
        ScoreView {
            total: s.total,
            band_stars: s.band_stars,
            stars: s.stars,
            unmet_minimums: s
                .unmet_minimums
                .into_iter()
                .map(|u| UnmetView {
                    criterion: u.criterion,
                    level: u.level,
                })
                .collect(),
            stopped: s.stopped,
            stop_criterion: s.stop_criterion,
            disqualified: s.disqualified,
            recognizable: s.recognizable,
            recognized_by: s.recognized_by.map(|r| {
                match r {
                    criteria::RecognizedBy::Province => "province",
                    criteria::RecognizedBy::Central => "central",
                }
                .to_string()
            }),
            member_totals: s.member_totals,
            parts: s.parts.into_iter().collect(),
            criteria: s
                .criteria
                .into_iter()
                .map(|c| CriterionScoreView {
                    code: c.code,
                    part: c.part,
                    points: c.points,
                    mean: c.mean,
                })
                .collect(),
            notes: s.notes,
        }
    }
}

/// Reads answers JSON and scores it on set `n`: the one path for the CLI and the API.
pub fn score_answers(n: i64, answers: &serde_json::Value) -> Result<ScoreView, ScoreError> {
    let r = criteria::rubric(n).map_err(|e| ScoreError::Shape(e.to_string()))?;
    let answers = Answers::from_json(answers)?;
    Ok(criteria::score(r, &answers)?.into())
}
