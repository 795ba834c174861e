//! `/api/v1/products`: the register of products.

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{unprocessable, ApiError, Problem};
use crate::registry::products::{self as service, ProductInput};
use crate::registry::{merge_patch, reach};
use crate::users::Requester;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_store::{Product, ProductFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    /// Province-Commune-Sequence-Year, e.g. 22-06946-001-2026
    pub code: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub name: String,
    pub criteria_set: i32,
    /// The criteria set's sector and product group (Decision 26/2026/QĐ-TTg, Appendix I).
    pub sector: String,
    pub group: String,
    pub description: Option<String>,
    /// GTIN-14
    pub gtin: Option<String>,
    pub standard_code: Option<String>,
    pub standard_declared_on: Option<NaiveDate>,
    pub food_safety_certificate: Option<String>,
    pub food_safety_expires_on: Option<NaiveDate>,
    pub key_level: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Product> for ProductView {
    fn from(p: Product) -> Self {
        let set = ocop_domain::criteria::criteria_set(i64::from(p.criteria_set)).ok();
        ProductView {
            id: p.id,
            code: p.code,
            organization_id: p.organization_id,
            organization_name: p.organization_name,
            province_code: p.province_code,
            commune_code: p.commune_code,
            name: p.name,
            criteria_set: p.criteria_set,
            sector: set.map(|s| s.sector.clone()).unwrap_or_default(),
            group: set.map(|s| s.group.clone()).unwrap_or_default(),
            description: p.description,
            gtin: p.gtin,
            standard_code: p.standard_code,
            standard_declared_on: p.standard_declared_on,
            food_safety_certificate: p.food_safety_certificate,
            food_safety_expires_on: p.food_safety_expires_on,
            key_level: p.key_level.map(|k| k.as_str().to_string()),
            status: p.status.as_str().to_string(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Name words, matched ignoring case and diacritics ("ca phe" finds "Cà phê Đông Triều").
    pub q: Option<String>,
    /// 5-digit commune code.
    pub commune: Option<String>,
    pub organization_id: Option<i64>,
    /// A product group name as in Appendix I, e.g. "Chè" or "Gia vị".
    pub group: Option<String>,
    /// 1–26.
    pub criteria_set: Option<i64>,
    /// draft, active, suspended or discontinued.
    pub status: Option<String>,
    /// commune, province or national.
    pub key_level: Option<String>,
    /// 3, 4 or 5: products whose certificate valid today has this many stars.
    pub stars: Option<i32>,
    /// At most 500 (default 50).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

fn parse<T: std::str::FromStr>(
    v: &Option<String>,
    field: &'static str,
    code: &'static str,
) -> Result<Option<T>, Problem>
where
    T::Err: std::fmt::Display,
{
    crate::registry::parsed(v, field, code)
}

/// The filter for a query, narrowed to the caller's reach; `None` when nothing can match.
pub fn filter(
    actor: &ocop_domain::Actor,
    q: &ProductQuery,
) -> Result<Option<ProductFilter>, Problem> {
    let r = reach(actor)?;
    let mut criteria_sets = Vec::new();
    if let Some(g) = q.group.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let wanted = ocop_domain::text::fold(g);
        criteria_sets.extend(
            ocop_domain::criteria::criteria_sets()
                .iter()
                .filter(|s| ocop_domain::text::fold(&s.group) == wanted)
                .map(|s| i32::from(s.number)),
        );
        if criteria_sets.is_empty() {
            return Err(unprocessable(
                "group",
                "invalid_group",
                format!("`{g}` is not a product group: see GET /api/v1/criteria-sets"),
            ));
        }
    }
    if let Some(n) = q.criteria_set {
        let set = ocop_domain::criteria::criteria_set(n)
            .map_err(|e| unprocessable("criteria_set", "invalid_criteria_set", e.to_string()))?;
        if criteria_sets.is_empty() || criteria_sets.contains(&i32::from(set.number)) {
            criteria_sets = vec![i32::from(set.number)];
        } else {
            criteria_sets = vec![0];
        }
    }
    let Ok(commune) =
        crate::registry::narrow(r.commune, parse(&q.commune, "commune", "invalid_locality")?)
    else {
        return Ok(None);
    };
    if r.organization_id.is_some()
        && q.organization_id.is_some()
        && r.organization_id != q.organization_id
    {
        return Ok(None);
    }
    Ok(Some(ProductFilter {
        q: q.q.clone(),
        province: r.province,
        commune,
        organization_id: r.organization_id.or(q.organization_id),
        criteria_sets,
        status: parse(&q.status, "status", "invalid_status")?,
        key_level: parse(&q.key_level, "key_level", "invalid_key_level")?,
        stars: match q.stars {
            Some(n) if (1..=5).contains(&n) => Some(n),
            Some(n) => {
                return Err(unprocessable(
                    "stars",
                    "invalid_stars",
                    format!("{n} is not a star rating: use 1 to 5"),
                ))
            }
            None => None,
        },
        today: None,
        limit: q.limit.unwrap_or(50).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
    }))
}

fn requester(caller: &ApiUser) -> Requester<'_> {
    Requester::Actor(&caller.actor, &caller.user.email)
}

/// Lists and searches products within the caller's area.
#[utoipa::path(get, path = "/api/v1/products", tag = "registry", params(ProductQuery), security(("bearer" = [])),
    responses((status = 200, body = ProductPage), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn list_products(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> Result<Json<ProductPage>, ApiError> {
    let Some(f) = filter(&caller.actor, &q)? else {
        return Ok(Json(ProductPage {
            items: vec![],
            total: 0,
            limit: q.limit.unwrap_or(50),
            offset: q.offset.unwrap_or(0),
        }));
    };
    let page = state.store.products(&f).await?;
    Ok(Json(ProductPage {
        items: page.items.into_iter().map(Into::into).collect(),
        total: page.total,
        limit: f.limit,
        offset: f.offset,
    }))
}

/// Registers a product; its code is assigned from its commune and the current year.
#[utoipa::path(post, path = "/api/v1/products", tag = "registry", request_body = ProductInput, security(("bearer" = [])),
    responses((status = 201, body = ProductView), (status = 403, body = crate::error::Problem),
        (status = 409, description = "GTIN taken", body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_product(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<(StatusCode, Json<ProductView>), ApiError> {
    let p = service::create(&*state.store, requester(&caller), &input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProductView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_product(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProductView>, ApiError> {
    Ok(Json(
        service::visible(&*state.store, requester(&caller), id)
            .await?
            .into(),
    ))
}

/// Changes a product: send only the fields to change (`null` clears an optional one).
#[utoipa::path(patch, path = "/api/v1/products/{id}", tag = "registry", params(("id" = i64, Path)), request_body = ProductInput, security(("bearer" = [])),
    responses((status = 200, body = ProductView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_product(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<Json<ProductView>, ApiError> {
    let by = requester(&caller);
    let current = service::visible(&*state.store, by, id).await?;
    let input = merge_patch(&ProductInput::of(&current), patch)?;
    Ok(Json(
        service::update(&*state.store, by, id, &input).await?.into(),
    ))
}
