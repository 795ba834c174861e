//! `GET /api/v1/localities`: provinces and communes (public reference data).

use super::extract::{ApiPath, ApiQuery};
use crate::app::AppState;
use crate::error::{not_found, unprocessable, ApiError};
use axum::extract::State;
use axum::Json;
use ocop_domain::{Locality, LocalityCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct LocalityView {
    /// 2 digits for a province, 5 for a commune.
    pub code: String,
    pub name: String,
    /// `province` or `commune`
    pub kind: String,
    /// The official type word: tỉnh, thành phố trung ương, xã, phường, đặc khu.
    pub division: String,
    pub parent_code: Option<String>,
}

impl From<Locality> for LocalityView {
    fn from(l: Locality) -> Self {
        LocalityView {
            code: l.code.to_string(),
            name: l.name,
            kind: l.kind.as_str().to_string(),
            division: l.division,
            parent_code: l.parent.map(|p| p.to_string()),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocalityQuery {
    /// A province code: list its communes. Without it, the 34 provinces are listed.
    pub parent: Option<String>,
}

fn code(s: &str, field: &'static str) -> Result<LocalityCode, ApiError> {
    s.parse()
        .map_err(|e: ocop_domain::locality::BadLocalityCode| {
            ApiError(unprocessable(field, "invalid_locality", e.to_string()))
        })
}

/// Lists provinces, or the communes of one province.
#[utoipa::path(get, path = "/api/v1/localities", tag = "localities", params(LocalityQuery),
    responses((status = 200, body = Vec<LocalityView>), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn list_localities(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LocalityQuery>,
) -> Result<Json<Vec<LocalityView>>, ApiError> {
    let parent = match q.parent.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => {
            let c = code(p, "parent")?;
            if state.store.locality(&c).await?.is_none() {
                return Err(ApiError(not_found(&format!("locality {c}"))));
            }
            Some(c)
        }
        None => None,
    };
    let list = state.store.localities(parent.as_ref()).await?;
    Ok(Json(list.into_iter().map(LocalityView::from).collect()))
}

/// One province or commune.
#[utoipa::path(get, path = "/api/v1/localities/{code}", tag = "localities",
    params(("code" = String, Path, description = "2-digit province or 5-digit commune code")),
    responses((status = 200, body = LocalityView), (status = 404, body = crate::error::Problem)))]
pub async fn get_locality(
    State(state): State<AppState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Json<LocalityView>, ApiError> {
    let c = code(&raw, "code")?;
    let l = state
        .store
        .locality(&c)
        .await?
        .ok_or_else(|| ApiError(not_found(&format!("locality {c}"))))?;
    Ok(Json(l.into()))
}
