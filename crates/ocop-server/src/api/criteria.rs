//! The 26 criteria sets: their classification, their rubric, and scoring answers on them
//! (`POST /api/v1/criteria-sets/{n}/score`, the same as `ocop criteria score`).

use super::extract::{ApiJson, ApiPath};
use crate::error::{not_found, unprocessable, ApiError};
pub use crate::evaluation::score::{score_answers, CriterionScoreView, ScoreView, UnmetView};
use axum::Json;
use ocop_domain::criteria::{self, Rubric};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CriteriaSetView {
    pub number: u8,
    pub name: String,
    pub sector: String,
    pub sector_code: String,
    pub group: String,
    pub managing_agency: String,
}

impl From<&criteria::CriteriaSetInfo> for CriteriaSetView {
    fn from(s: &criteria::CriteriaSetInfo) -> Self {
        CriteriaSetView {
            number: s.number,
            name: s.name.clone(),
            sector: s.sector.clone(),
            sector_code: s.sector_code.clone(),
            group: s.group.clone(),
            managing_agency: s.managing_agency.clone(),
        }
    }
}

/// A set with its whole rubric, as the score sheet shows it.
#[derive(Serialize, ToSchema)]
pub struct CriteriaSetDetail {
    #[serde(flatten)]
    pub set: CriteriaSetView,
    /// Parts A, B, C with their criteria; each criterion's `choice` is `options`, `cases`
    /// (choose a case, then an option) or `points` (the source lists no options). An option's
    /// `points` is null where the source's cell is blank; `min_for_stars` is its star marker.
    #[schema(value_type = Vec<Object>)]
    pub parts: Vec<criteria::Part>,
    pub disqualified_if: Vec<String>,
    pub general_notes: Vec<String>,
    /// Oddities in the source transcript, kept as the source has them.
    pub source_flags: Vec<String>,
}

impl CriteriaSetDetail {
    fn of(info: &criteria::CriteriaSetInfo, r: &Rubric) -> CriteriaSetDetail {
        CriteriaSetDetail {
            set: info.into(),
            parts: r.parts.clone(),
            disqualified_if: r.disqualified_if.clone(),
            general_notes: r.general_notes.clone(),
            source_flags: r.source_flags.clone(),
        }
    }
}

/// The 26 criteria sets of Decision 26/2026/QĐ-TTg (public reference data).
#[utoipa::path(get, path = "/api/v1/criteria-sets", tag = "registry", responses((status = 200, body = Vec<CriteriaSetView>)))]
pub async fn list_criteria_sets() -> Json<Vec<CriteriaSetView>> {
    Json(criteria::criteria_sets().iter().map(Into::into).collect())
}

/// One criteria set with its full rubric.
#[utoipa::path(get, path = "/api/v1/criteria-sets/{n}", tag = "registry", params(("n" = i64, Path, description = "1–26")),
    responses((status = 200, body = CriteriaSetDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get_criteria_set(
    ApiPath(n): ApiPath<i64>,
) -> Result<Json<CriteriaSetDetail>, ApiError> {
    let missing = || ApiError(not_found(&format!("criteria set {n}")));
    let info = criteria::criteria_set(n).map_err(|_| missing())?;
    let r = criteria::rubric(n).map_err(|_| missing())?;
    Ok(Json(CriteriaSetDetail::of(info, r)))
}

/// Scores council members' answers on a set: `{"members":[{"1.1":2, "8":{"case":0,"option":1},
/// "2.4":{"points":1}, "6.1":{"option":0,"stop":true}}], "disqualified_if":[0]}` (0-based
/// option and condition numbers). Pure computation: nothing is stored.
#[utoipa::path(post, path = "/api/v1/criteria-sets/{n}/score", tag = "evaluation", params(("n" = i64, Path, description = "1–26")),
    request_body(content = Object, description = "members' answers"),
    responses((status = 200, body = ScoreView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn score_on_set(
    ApiPath(n): ApiPath<i64>,
    ApiJson(answers): ApiJson<serde_json::Value>,
) -> Result<Json<ScoreView>, ApiError> {
    criteria::criteria_set(n).map_err(|_| ApiError(not_found(&format!("criteria set {n}"))))?;
    score_answers(n, &answers)
        .map(Json)
        .map_err(|e| ApiError(unprocessable("answers", "invalid_answers", e.to_string())))
}
