//! The public catalog of OCOP products: small pages, no JavaScript, photos served by us.

use super::{render, Nav};
use crate::app::AppState;
use crate::error::{not_found, WebError};
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ocop_store::{CatalogEntry, CatalogFilter, OwnerKind};
use serde::Deserialize;

const PAGE: i64 = 24;

#[derive(Deserialize, Default)]
pub struct CatalogQuery {
    q: Option<String>,
    /// Only products whose certificate is valid.
    certified: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    tr: Tr,
    nav: Nav,
    q: String,
    certified: bool,
    items: Vec<CatalogEntry>,
    total: i64,
    page: i64,
    pages: i64,
}

impl CatalogPage {
    fn link(&self, page: i64) -> String {
        let q: String = url::form_urlencoded::byte_serialize(self.q.as_bytes()).collect();
        format!(
            "/catalog?q={q}{}&page={page}",
            if self.certified { "&certified=1" } else { "" }
        )
    }

    fn star_text(&self, n: &i32) -> String {
        "★".repeat((*n).clamp(0, 5) as usize)
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    Query(q): Query<CatalogQuery>,
) -> Result<Response, WebError> {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let certified = q.certified.is_some();
    let filter = CatalogFilter {
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        certified_only: certified,
        limit: PAGE,
        offset: (page - 1) * PAGE,
        ..CatalogFilter::default()
    };
    let found = state.store.catalog(&filter).await?;
    let mut response = render(&CatalogPage {
        tr: Tr(lang),
        nav: Nav::anonymous("/catalog"),
        q: q.q.unwrap_or_default(),
        certified,
        pages: (found.total + PAGE - 1) / PAGE,
        total: found.total,
        items: found.items,
        page,
    });
    // Shared caches may keep the public catalog briefly; stars still vanish within a minute.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=60"),
    );
    Ok(response)
}

/// A product photo, public only while the product is in the catalog.
pub async fn photo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let doc = state
        .store
        .document(id)
        .await?
        .ok_or_else(|| not_found("photo"))?;
    if doc.owner_kind != OwnerKind::Product
        || doc.purpose != "photo"
        || !doc.content_type.starts_with("image/")
    {
        return Err(WebError(not_found("photo")));
    }
    let product = state
        .store
        .product(doc.owner_id)
        .await?
        .ok_or_else(|| not_found("photo"))?;
    if product.status != ocop_domain::registry::ProductStatus::Active {
        return Err(WebError(not_found("photo")));
    }
    let bytes = state
        .files
        .get(crate::files::Area::Documents, &doc.sha256)
        .await
        .map_err(|_| WebError(not_found("photo")))?;
    Ok((
        [
            (header::CONTENT_TYPE, doc.content_type),
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
        ],
        bytes,
    )
        .into_response())
}
