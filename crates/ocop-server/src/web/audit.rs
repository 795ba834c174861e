//! `/admin/audit`: who changed what and when, newest first.

use super::{render, Nav};
use crate::app::AppState;
use crate::auth::WebUser;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use ocop_store::AuditRecord;
use serde::Deserialize;

const PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    tr: Tr,
    nav: Nav,
    entries: Vec<AuditRecord>,
    older: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let filter = crate::api::audit::scoped_filter(&me.actor, q.before, PAGE)?;
    let entries = state.store.audit_log(&filter).await?;
    let older = if entries.len() as i64 == PAGE {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(render(&AuditPage {
        tr: Tr(lang),
        nav: Nav::for_user(&me, "/admin/audit"),
        entries,
        older,
    }))
}
