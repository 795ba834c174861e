//! Uploading documents from a record's page, and downloading them.

use crate::app::AppState;
use crate::auth::WebUser;
use crate::error::{Problem, WebError};
use crate::registry::documents::{self as service, read_upload};
use crate::users::Requester;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::documents::DocumentOwner;

fn requester(me: &WebUser) -> Requester<'_> {
    Requester::Actor(&me.actor, &me.user.email)
}

/// Multipart forms cannot go through `CsrfForm`: the token is one of the multipart fields.
pub fn check_csrf(
    state: &AppState,
    headers: &HeaderMap,
    token: Option<&String>,
) -> Result<(), WebError> {
    let ok = match (crate::auth::csrf::binding(headers), token) {
        (Some(b), Some(t)) => state.secrets.csrf_matches(&b, t),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(WebError(Problem::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "this form has expired: reload the page and try again",
        )))
    }
}

async fn upload(
    state: AppState,
    me: WebUser,
    headers: HeaderMap,
    owner: DocumentOwner,
    id: i64,
    form: Multipart,
) -> Result<Response, WebError> {
    let upload = read_upload(form).await?;
    check_csrf(&state, &headers, upload.fields.get("csrf"))?;
    service::attach(
        &*state.store,
        &state.files,
        requester(&me),
        owner,
        id,
        upload,
    )
    .await?;
    let page = match owner {
        DocumentOwner::Organization => format!("/registry/organizations/{id}?uploaded=1"),
        DocumentOwner::Product => format!("/registry/products/{id}?uploaded=1"),
    };
    Ok(Redirect::to(&page).into_response())
}

pub async fn upload_for_organization(
    State(state): State<AppState>,
    me: WebUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, WebError> {
    upload(state, me, headers, DocumentOwner::Organization, id, form).await
}

pub async fn upload_for_product(
    State(state): State<AppState>,
    me: WebUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<Response, WebError> {
    upload(state, me, headers, DocumentOwner::Product, id, form).await
}

pub async fn download(
    State(state): State<AppState>,
    me: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (doc, bytes) = service::fetch(&*state.store, &state.files, requester(&me), id).await?;
    Ok(service::download(&doc, bytes))
}
