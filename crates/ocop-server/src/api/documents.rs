//! Documents of organizations and products through the API.

use super::extract::ApiPath;
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::registry::documents::{self as service, read_upload};
use crate::users::Requester;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use ocop_domain::documents::DocumentOwner;
use ocop_store::Document;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    /// organization or product
    pub owner_kind: String,
    pub owner_id: i64,
    /// food_safety_commitment, standard, food_safety_certificate, photo or other
    pub purpose: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// Where to download it (with the same token).
    pub url: String,
}

impl From<Document> for DocumentView {
    fn from(d: Document) -> Self {
        DocumentView {
            url: format!("/api/v1/documents/{}", d.id),
            id: d.id,
            owner_kind: d.owner_kind.as_str().to_string(),
            owner_id: d.owner_id,
            purpose: d.purpose,
            file_name: d.file_name,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            created_at: d.created_at,
        }
    }
}

/// The multipart form of an upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// food_safety_commitment (organizations), standard or food_safety_certificate (products), photo, other
    purpose: String,
    /// PDF, JPEG, PNG or WebP, at most 10 MB
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

fn requester(caller: &ApiUser) -> Requester<'_> {
    Requester::Actor(&caller.actor, &caller.user.email)
}

async fn attach(
    state: &AppState,
    caller: &ApiUser,
    owner: DocumentOwner,
    id: i64,
    form: Multipart,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    let upload = read_upload(form).await?;
    let doc = service::attach(
        &*state.store,
        &state.files,
        requester(caller),
        owner,
        id,
        upload,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(doc.into())))
}

async fn list(
    state: &AppState,
    caller: &ApiUser,
    owner: DocumentOwner,
    id: i64,
) -> Result<Json<Vec<DocumentView>>, ApiError> {
    let docs = service::list(&*state.store, requester(caller), owner, id).await?;
    Ok(Json(docs.into_iter().map(Into::into).collect()))
}

/// Attaches a document to an organization.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/documents", tag = "registry", params(("id" = i64, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 201, body = DocumentView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn attach_to_organization(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    attach(&state, &caller, DocumentOwner::Organization, id, form).await
}

/// The documents of an organization.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/documents", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<DocumentView>), (status = 404, body = crate::error::Problem)))]
pub async fn organization_documents(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DocumentView>>, ApiError> {
    list(&state, &caller, DocumentOwner::Organization, id).await
}

/// Attaches a document to a product.
#[utoipa::path(post, path = "/api/v1/products/{id}/documents", tag = "registry", params(("id" = i64, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 201, body = DocumentView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn attach_to_product(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    attach(&state, &caller, DocumentOwner::Product, id, form).await
}

/// The documents of a product.
#[utoipa::path(get, path = "/api/v1/products/{id}/documents", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<DocumentView>), (status = 404, body = crate::error::Problem)))]
pub async fn product_documents(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DocumentView>>, ApiError> {
    list(&state, &caller, DocumentOwner::Product, id).await
}

/// Downloads a document, if the caller may see the record it belongs to.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = crate::error::Problem)))]
pub async fn download_document(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (doc, bytes) = service::fetch(&*state.store, &state.files, requester(&caller), id).await?;
    Ok(service::download(&doc, bytes))
}
