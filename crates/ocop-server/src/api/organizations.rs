//! `/api/v1/organizations`: the register of economic organizations.

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{unprocessable, ApiError};
use crate::registry::organizations::{self as service, OrganizationInput};
use crate::registry::{merge_patch, reach};
use crate::users::Requester;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_store::{Organization, OrganizationFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: i64,
    pub name: String,
    /// enterprise, cooperative, cooperative_group, household or farm
    pub kind: String,
    pub commune_code: String,
    pub province_code: String,
    pub tax_code: Option<String>,
    pub address: Option<String>,
    pub representative: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub gln: Option<String>,
    pub food_safety_signed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationView {
    fn from(o: Organization) -> Self {
        OrganizationView {
            id: o.id,
            name: o.name,
            kind: o.kind.as_str().to_string(),
            commune_code: o.commune_code,
            province_code: o.province_code,
            tax_code: o.tax_code,
            address: o.address,
            representative: o.representative,
            phone: o.phone,
            email: o.email,
            gln: o.gln,
            food_safety_signed_on: o.food_safety_signed_on,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<OrganizationView>,
    /// How many match in all.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Name words, matched ignoring case and diacritics ("nuoc mam" finds "Nước mắm").
    pub q: Option<String>,
    /// 5-digit commune code.
    pub commune: Option<String>,
    pub kind: Option<String>,
    /// At most 500 (default 50).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The filter for a query, narrowed to the caller's reach; `None` when nothing can match.
pub fn filter(
    actor: &ocop_domain::Actor,
    q: &OrganizationQuery,
) -> Result<Option<OrganizationFilter>, crate::error::Problem> {
    let r = reach(actor)?;
    let commune = match q
        .commune
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(c) => Some(
            c.parse()
                .map_err(|e: ocop_domain::locality::BadLocalityCode| {
                    unprocessable("commune", "invalid_locality", e.to_string())
                })?,
        ),
        None => None,
    };
    let kind = match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(k) => Some(k.parse().map_err(
            |e: ocop_domain::organization::UnknownOrganizationKind| {
                unprocessable("kind", "invalid_kind", e.to_string())
            },
        )?),
        None => None,
    };
    let Ok(commune) = crate::registry::narrow(r.commune, commune) else {
        return Ok(None);
    };
    Ok(Some(OrganizationFilter {
        q: q.q.clone(),
        province: r.province,
        commune,
        id: r.organization_id,
        kind,
        limit: q.limit.unwrap_or(50).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
    }))
}

fn requester(caller: &ApiUser) -> Requester<'_> {
    Requester::Actor(&caller.actor, &caller.user.email)
}

/// Lists organizations within the caller's area.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "registry", params(OrganizationQuery), security(("bearer" = [])),
    responses((status = 200, body = OrganizationPage), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn list_organizations(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<OrganizationQuery>,
) -> Result<Json<OrganizationPage>, ApiError> {
    let Some(f) = filter(&caller.actor, &q)? else {
        return Ok(Json(OrganizationPage {
            items: vec![],
            total: 0,
            limit: q.limit.unwrap_or(50),
            offset: q.offset.unwrap_or(0),
        }));
    };
    let page = state.store.organizations(&f).await?;
    Ok(Json(OrganizationPage {
        items: page.items.into_iter().map(Into::into).collect(),
        total: page.total,
        limit: f.limit,
        offset: f.offset,
    }))
}

/// Registers an economic organization in a commune of the caller's area.
#[utoipa::path(post, path = "/api/v1/organizations", tag = "registry", request_body = OrganizationInput, security(("bearer" = [])),
    responses((status = 201, body = OrganizationView), (status = 403, body = crate::error::Problem),
        (status = 409, description = "tax code taken", body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_organization(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<OrganizationInput>,
) -> Result<(StatusCode, Json<OrganizationView>), ApiError> {
    let o = service::create(&*state.store, requester(&caller), &input).await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

/// One organization.
#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = OrganizationView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_organization(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OrganizationView>, ApiError> {
    Ok(Json(
        service::visible(&*state.store, requester(&caller), id)
            .await?
            .into(),
    ))
}

/// Changes an organization: send only the fields to change (`null` clears an optional one).
#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "registry", params(("id" = i64, Path)), request_body = OrganizationInput, security(("bearer" = [])),
    responses((status = 200, body = OrganizationView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_organization(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<Json<OrganizationView>, ApiError> {
    let by = requester(&caller);
    let current = service::visible(&*state.store, by, id).await?;
    let input = merge_patch(&OrganizationInput::of(&current), patch)?;
    Ok(Json(
        service::update(&*state.store, by, id, &input).await?.into(),
    ))
}
