//! Spreadsheet imports and exports of the register through the API.

use super::extract::{ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::registry::imports::{self, ImportKind, ImportReport};
use crate::registry::sheets::{organizations_table, products_table};
use crate::users::Requester;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// xlsx (default) or csv (UTF-8 with BOM)
    pub format: Option<String>,
}

/// Renders a table as an attachment in the asked format.
pub fn sheet_response(
    table: &ocop_sheets::Table,
    base_name: &str,
    format: Option<&str>,
) -> Result<Response, Problem> {
    let (bytes, kind, ext) = match format.unwrap_or("xlsx") {
        "csv" => (
            ocop_sheets::write_csv(table),
            "text/csv; charset=utf-8",
            "csv",
        ),
        "xlsx" => (
            ocop_sheets::write_xlsx(base_name, table).map_err(|e| {
                tracing::error!(error = %e, "export failed");
                crate::error::internal()
            })?,
            XLSX,
            "xlsx",
        ),
        other => {
            return Err(crate::error::unprocessable(
                "format",
                "invalid_format",
                format!("`{other}` is not an export format: use xlsx or csv"),
            ))
        }
    };
    let date = chrono::Utc::now().format("%Y-%m-%d");
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{base_name}-{date}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

const EXPORT_ROWS: i64 = 100_000;

/// Organizations matching the filters as XLSX or CSV (at most 100,000 rows).
#[utoipa::path(get, path = "/api/v1/organizations/export", tag = "registry", params(super::organizations::OrganizationQuery, FormatQuery), security(("bearer" = [])),
    responses((status = 200, description = "the sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn export_organizations(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<super::organizations::OrganizationQuery>,
    ApiQuery(f): ApiQuery<FormatQuery>,
) -> Result<Response, ApiError> {
    Ok(organizations_sheet(&state, &caller.actor, q, f.format.as_deref()).await?)
}

pub async fn organizations_sheet(
    state: &AppState,
    actor: &ocop_domain::Actor,
    mut q: super::organizations::OrganizationQuery,
    format: Option<&str>,
) -> Result<Response, Problem> {
    q.limit = Some(EXPORT_ROWS);
    q.offset = Some(0);
    let items = match super::organizations::filter(actor, &q)? {
        Some(mut f) => {
            f.limit = EXPORT_ROWS;
            state.store.organizations(&f).await?.items
        }
        None => Vec::new(),
    };
    sheet_response(&organizations_table(&items), "to-chuc-kinh-te", format)
}

/// Products matching the filters as XLSX or CSV (at most 100,000 rows).
#[utoipa::path(get, path = "/api/v1/products/export", tag = "registry", params(super::products::ProductQuery, FormatQuery), security(("bearer" = [])),
    responses((status = 200, description = "the sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn export_products(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<super::products::ProductQuery>,
    ApiQuery(f): ApiQuery<FormatQuery>,
) -> Result<Response, ApiError> {
    Ok(products_sheet(&state, &caller.actor, q, f.format.as_deref()).await?)
}

pub async fn products_sheet(
    state: &AppState,
    actor: &ocop_domain::Actor,
    mut q: super::products::ProductQuery,
    format: Option<&str>,
) -> Result<Response, Problem> {
    q.limit = Some(EXPORT_ROWS);
    q.offset = Some(0);
    let items = match super::products::filter(actor, &q)? {
        Some(mut f) => {
            f.limit = EXPORT_ROWS;
            state.store.products(&f).await?.items
        }
        None => Vec::new(),
    };
    sheet_response(&products_table(&items), "san-pham-ocop", format)
}

/// The import template: the columns, an example row, and a guide sheet.
#[utoipa::path(get, path = "/api/v1/imports/{kind}/template", tag = "registry", params(("kind" = String, Path, description = "organizations or products")),
    responses((status = 200, description = "the template", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = crate::error::Problem)))]
pub async fn import_template(ApiPath(kind): ApiPath<String>) -> Result<Response, ApiError> {
    let kind = ImportKind::parse(&kind)?;
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"mau-nhap-{}.xlsx\"", kind.as_str()),
            ),
        ],
        kind.template()?,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// false (default): only check and report; true: write every row, or none if any is bad.
    pub commit: Option<bool>,
}

/// Imports an XLSX sheet (the request body). Without `commit=true` it is a dry run that lists
/// every bad row; with it, all rows are written in one transaction, or none (422 with the rows).
#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "registry", params(("kind" = String, Path, description = "organizations or products"), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), security(("bearer" = [])),
    responses((status = 200, description = "dry run", body = ImportReport), (status = 201, description = "committed", body = ImportReport),
        (status = 403, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, description = "a bad file, or bad rows on commit", body = crate::error::Problem)))]
pub async fn import(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Body,
) -> Result<(StatusCode, Json<ImportReport>), ApiError> {
    let kind = ImportKind::parse(&kind)?;
    let commit = q.commit.unwrap_or(false);
    let by = Requester::Actor(&caller.actor, &caller.user.email);
    // The body is read (and later unpacked) only for a role that may import at all.
    crate::registry::require_edit(by)?;
    let body = axum::body::to_bytes(body, super::UPLOAD_BODY_LIMIT)
        .await
        .map_err(|_| {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                "the sheet could not be read whole: send at most 10 MB",
            )
            .with_field("file")
        })?;
    let report = imports::run(&*state.store, by, kind, &body, commit).await?;
    if commit && !report.committed {
        let mut p = crate::error::unprocessable(
            "file",
            "import_rejected",
            format!(
                "{} of {} rows have errors: nothing was imported",
                report.errors.len(),
                report.rows
            ),
        );
        p.errors = serde_json::to_value(&report.errors).ok().map(Box::new);
        return Err(ApiError(p));
    }
    Ok((
        if commit {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(report),
    ))
}
