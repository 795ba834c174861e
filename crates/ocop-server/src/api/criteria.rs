//! `GET /api/v1/criteria-sets`: the 26 criteria sets and the sector and group each fixes.

use super::extract::ApiPath;
use crate::error::{not_found, ApiError};
use axum::Json;
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

impl From<&ocop_domain::criteria::CriteriaSetInfo> for CriteriaSetView {
    fn from(s: &ocop_domain::criteria::CriteriaSetInfo) -> Self {
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

/// The 26 criteria sets of Decision 26/2026/QĐ-TTg (public reference data).
#[utoipa::path(get, path = "/api/v1/criteria-sets", tag = "registry", responses((status = 200, body = Vec<CriteriaSetView>)))]
pub async fn list_criteria_sets() -> Json<Vec<CriteriaSetView>> {
    Json(
        ocop_domain::criteria::criteria_sets()
            .iter()
            .map(Into::into)
            .collect(),
    )
}

/// One criteria set.
#[utoipa::path(get, path = "/api/v1/criteria-sets/{n}", tag = "registry", params(("n" = i64, Path, description = "1–26")),
    responses((status = 200, body = CriteriaSetView), (status = 404, body = crate::error::Problem)))]
pub async fn get_criteria_set(ApiPath(n): ApiPath<i64>) -> Result<Json<CriteriaSetView>, ApiError> {
    let set = ocop_domain::criteria::criteria_set(n)
        .map_err(|_| ApiError(not_found(&format!("criteria set {n}"))))?;
    Ok(Json(set.into()))
}
