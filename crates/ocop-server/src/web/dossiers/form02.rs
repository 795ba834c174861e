//! `/dossiers/{id}/self-assessment`: Form 02, the producer's self-assessment on every
//! criterion of the product's set with its evidence. Partial saves are allowed while the dossier
//! is a draft or returned; "save and submit" files it, and a missing answer is named.

use super::rubric::{self, answered, PartView, TypedSheet};
use super::{about_criterion, caller, refusal, with_status, DoneQuery, Refusal};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, Problem, WebError};
use crate::evaluation::dossiers::{self, Seen, StepInput};
use crate::i18n::{Lang, Tr};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::criteria::Rubric;
use ocop_store::Dossier;

#[derive(Template)]
#[template(path = "dossier_form02.html")]
struct Form02Page {
    tr: Tr,
    nav: Nav,
    d: Dossier,
    parts: Vec<PartView>,
    /// The included criteria list: no inputs when read-only; evidence, not stop rules.
    readonly: bool,
    evidence: bool,
    stops: bool,
    answered: usize,
    total: usize,
    provisional: u32,
    error: Option<Refusal>,
    notice: Option<&'static str>,
    /// Files attached as evidence, and the criteria one may be attached to (code, label).
    files: Vec<ocop_store::Evidence>,
    criteria: Vec<(String, String)>,
}

fn rubric_of(d: &Dossier) -> Result<&'static Rubric, WebError> {
    ocop_domain::criteria::rubric(i64::from(d.criteria_set)).map_err(|e| {
        WebError(unprocessable(
            "criteria_set",
            "invalid_criteria_set",
            e.to_string(),
        ))
    })
}

/// As the service: the producer and the offices that reach the product change its forms, and
/// only while it is a draft or returned.
fn editable(me: &WebUser, seen: &Seen) -> bool {
    seen.dossier.state.editable() && seen.forms_by(&me.actor)
}

fn page(
    me: &WebUser,
    tr: Tr,
    seen: Seen,
    typed: &TypedSheet,
    error: Option<Refusal>,
) -> Result<Form02Page, WebError> {
    let r = rubric_of(&seen.dossier)?;
    let invalid = error.as_ref().and_then(|e| e.criterion.clone());
    Ok(Form02Page {
        tr,
        nav: Nav::for_user(
            me,
            &format!("/dossiers/{}/self-assessment", seen.dossier.id),
        ),
        parts: rubric::parts(tr, r, typed, invalid.as_deref()),
        readonly: !editable(me, &seen),
        evidence: true,
        stops: false,
        answered: answered(r, typed),
        total: r.criteria().count(),
        provisional: rubric::provisional_total(r, typed),
        criteria: r
            .criteria()
            .map(|c| (c.code.clone(), rubric::criterion_label(r, &c.code)))
            .collect(),
        files: Vec::new(),
        d: seen.dossier,
        error,
        notice: None,
    })
}

/// The page with the dossier's evidence files listed.
async fn with_files(state: &AppState, mut p: Form02Page) -> Result<Form02Page, WebError> {
    p.files = state.store.evidence(p.d.id).await?;
    Ok(p)
}

pub async fn show(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let seen = dossiers::seen(&*state.store, &me.actor, id).await?;
    let form = &seen.dossier.self_assessment;
    let typed = rubric::typed_from_json(form.get("answers"), form.get("evidence"));
    let mut p = with_files(&state, page(&me, tr, seen, &typed, None)?).await?;
    p.notice = q.notice(tr, "dossier");
    Ok(render(&p))
}

/// Saves Form 02 and, when asked, files the dossier.
async fn save_and_maybe_submit(
    state: &AppState,
    me: &WebUser,
    id: i64,
    r: &Rubric,
    typed: &TypedSheet,
    submit: bool,
) -> Result<(), Problem> {
    let form = serde_json::json!({
        "answers": rubric::answers_json(r, typed)?,
        "evidence": rubric::evidence_json(r, typed),
    });
    dossiers::update_form(&*state.store, caller(me), id, form).await?;
    if submit {
        let today = crate::present::today_in_vietnam();
        dossiers::step(&*state.store, caller(me), id, StepInput::Submit, today).await?;
    }
    Ok(())
}

pub async fn save(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let seen = dossiers::seen(&*state.store, &me.actor, id).await?;
    let r = rubric_of(&seen.dossier)?;
    let typed = rubric::typed_from_pairs(&pairs);
    let submit = super::field(&pairs, "then") == "submit";
    match save_and_maybe_submit(&state, &me, id, r, &typed, submit).await {
        Ok(()) if submit => {
            Ok(Redirect::to(&format!("/dossiers/{id}?done=submit")).into_response())
        }
        Ok(()) => {
            Ok(Redirect::to(&format!("/dossiers/{id}/self-assessment?done=saved")).into_response())
        }
        Err(p) => {
            let mut error = refusal(tr, "form02", p)?;
            about_criterion(tr, &mut error, r);
            let status = error.status;
            // The page shows the dossier as it now is (a save may have gone through before a
            // refused submission), with the answers as typed.
            let seen = dossiers::seen(&*state.store, &me.actor, id).await?;
            let page = with_files(&state, page(&me, tr, seen, &typed, Some(error))?).await?;
            Ok(with_status(render(&page), Some(status)))
        }
    }
}
