//! Spreadsheet exports and imports from the web UI.

use super::{render, Nav};
use crate::api::organizations::OrganizationQuery;
use crate::api::products::ProductQuery;
use crate::api::sheets::{organizations_sheet, products_sheet};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{Problem, WebError};
use crate::files::Area;
use crate::i18n::{Lang, Tr};
use crate::registry::documents::read_upload;
use crate::registry::imports::{self, ImportKind, ImportReport};
use crate::users::Requester;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ocop_domain::access::Capability;
use serde::Deserialize;

pub async fn organizations_xlsx(
    State(state): State<AppState>,
    me: WebUser,
    Query(q): Query<OrganizationQuery>,
) -> Result<Response, WebError> {
    Ok(organizations_sheet(&state, &me.actor, q, Some("xlsx")).await?)
}

pub async fn organizations_csv(
    State(state): State<AppState>,
    me: WebUser,
    Query(q): Query<OrganizationQuery>,
) -> Result<Response, WebError> {
    Ok(organizations_sheet(&state, &me.actor, q, Some("csv")).await?)
}

pub async fn products_xlsx(
    State(state): State<AppState>,
    me: WebUser,
    Query(q): Query<ProductQuery>,
) -> Result<Response, WebError> {
    Ok(products_sheet(&state, &me.actor, q, Some("xlsx")).await?)
}

pub async fn products_csv(
    State(state): State<AppState>,
    me: WebUser,
    Query(q): Query<ProductQuery>,
) -> Result<Response, WebError> {
    Ok(products_sheet(&state, &me.actor, q, Some("csv")).await?)
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    tr: Tr,
    nav: Nav,
    report: Option<ImportReport>,
    /// A sheet-level problem (not an .xlsx, no header row…), translated.
    error: Option<String>,
}

impl ImportPage {
    fn kind(&self) -> &'static str {
        self.report.as_ref().map(|r| r.kind.as_str()).unwrap_or("")
    }
}

fn page(
    me: &WebUser,
    lang: Lang,
    report: Option<ImportReport>,
    error: Option<String>,
) -> ImportPage {
    ImportPage {
        tr: Tr(lang),
        nav: Nav::for_user(me, "/registry/import"),
        report,
        error,
    }
}

fn require_edit(me: &WebUser) -> Result<(), WebError> {
    if me.actor.may(Capability::EditRegistry) {
        Ok(())
    } else {
        Err(WebError(crate::error::forbidden(
            "your role may read the register but not change it",
        )))
    }
}

pub async fn form(me: WebUser, lang: Lang) -> Result<Response, WebError> {
    require_edit(&me)?;
    Ok(render(&page(&me, lang, None, None)))
}

/// The report of a run, or the page again with the problem of the file explained.
fn answer(
    me: &WebUser,
    lang: Lang,
    result: Result<ImportReport, Problem>,
) -> Result<Response, WebError> {
    match result {
        Ok(report) => Ok(render(&page(me, lang, Some(report), None))),
        Err(p) if p.status == 422 => {
            let tr = Tr(lang);
            let mut r = render(&page(
                me,
                lang,
                None,
                Some(format!("{} ({})", tr.problem(p.code), p.detail)),
            ));
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(p) => Err(WebError(p)),
    }
}

/// Checks an uploaded sheet (a dry run) and keeps it for the commit.
pub async fn check(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, WebError> {
    require_edit(&me)?;
    let upload = read_upload(form).await?;
    super::documents::check_csrf(&state, &headers, upload.fields.get("csrf"))?;
    let kind = ImportKind::parse(upload.fields.get("kind").map(String::as_str).unwrap_or(""))?;
    let Some((_, bytes)) = upload.file else {
        return answer(
            &me,
            lang,
            Err(crate::error::unprocessable(
                "file",
                "file_empty",
                "choose a file",
            )),
        );
    };
    state
        .files
        .put(Area::Imports, bytes.clone())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "cannot keep an import file");
            WebError(crate::error::internal())
        })?;
    let by = Requester::Actor(&me.actor, &me.user.email);
    answer(
        &me,
        lang,
        imports::run(&*state.store, by, kind, &bytes, false).await,
    )
}

#[derive(Deserialize)]
pub struct CommitForm {
    kind: String,
    file: String,
}

/// Writes a checked sheet: every row, or none.
pub async fn commit(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(f): CsrfForm<CommitForm>,
) -> Result<Response, WebError> {
    require_edit(&me)?;
    let kind = ImportKind::parse(&f.kind)?;
    let bytes = state.files.get(Area::Imports, &f.file).await.map_err(|_| {
        WebError(crate::error::unprocessable(
            "file",
            "file_empty",
            "the checked file is gone: upload it again",
        ))
    })?;
    let by = Requester::Actor(&me.actor, &me.user.email);
    answer(
        &me,
        lang,
        imports::run(&*state.store, by, kind, &bytes, true).await,
    )
}
