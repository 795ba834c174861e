//! Evidence files of Form 02 from the web: upload (a multipart form, so its CSRF token is one of
//! the fields) and download, through [`crate::evaluation::evidence`].

use super::caller;
use crate::app::AppState;
use crate::auth::WebUser;
use crate::error::WebError;
use crate::evaluation::evidence;
use crate::registry::documents::{download_file, read_upload};
use crate::web::documents::check_csrf;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn upload(
    State(state): State<AppState>,
    me: WebUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, WebError> {
    let upload = read_upload(form).await?;
    check_csrf(&state, &headers, upload.fields.get("csrf"))?;
    evidence::attach(&*state.store, &state.files, caller(&me), id, upload).await?;
    Ok(Redirect::to(&format!(
        "/dossiers/{id}/self-assessment?done=evidence#evidence"
    ))
    .into_response())
}

pub async fn download(
    State(state): State<AppState>,
    me: WebUser,
    Path((id, evidence_id)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let (e, bytes) =
        evidence::fetch(&*state.store, &state.files, &me.actor, id, evidence_id).await?;
    Ok(download_file(&e.file_name, &e.content_type, bytes))
}
