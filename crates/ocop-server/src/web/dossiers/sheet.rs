//! `/dossiers/{id}/sheet`: a council member's score sheet, made for a phone. Every criterion
//! by part with large tap targets, the star-minimum markers, notes and stop rules; "save draft"
//! and "hand in" (the sheet is then locked and shown read-only). Only the members of the
//! dossier's council reach it.

use super::rubric::{self, answered, PartView, TypedSheet};
use super::{about_criterion, caller, field, refusal, with_status, DoneQuery, Refusal};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{forbidden, unprocessable, WebError};
use crate::evaluation::dossiers::{self, Seen};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::criteria::Rubric;
use ocop_domain::evaluation::DossierState;
use ocop_store::{Dossier, ScoreSheet};

#[derive(Template)]
#[template(path = "sheet.html")]
struct SheetPage {
    tr: Tr,
    nav: Nav,
    d: Dossier,
    set_label: String,
    seat: &'static str,
    parts: Vec<PartView>,
    readonly: bool,
    evidence: bool,
    stops: bool,
    /// When the sheet was handed in (dd/mm/yyyy), for the locked view.
    handed_in: Option<String>,
    /// The dossier is not (or no longer) in its round: nothing can be saved.
    closed: bool,
    conditions: Vec<String>,
    notes: String,
    answered: usize,
    total: usize,
    provisional: u32,
    error: Option<Refusal>,
    notice: Option<&'static str>,
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

/// The dossier as a council member sees it, with their own sheet; others are refused as the
/// service refuses them.
async fn seated(
    state: &AppState,
    me: &WebUser,
    id: i64,
) -> Result<(Seen, Option<ScoreSheet>), WebError> {
    let seen = dossiers::seen(&*state.store, &me.actor, id).await?;
    if seen.seat.is_none() {
        return Err(WebError(forbidden(
            "only the members of the dossier's council fill its score sheets",
        )));
    }
    let mine = dossiers::sheets(&*state.store, &me.actor, &seen)
        .await?
        .into_iter()
        .find(|s| s.user_id == me.actor.user_id);
    Ok((seen, mine))
}

fn page(
    me: &WebUser,
    tr: Tr,
    seen: Seen,
    sheet: Option<&ScoreSheet>,
    typed: &TypedSheet,
    notes: String,
    error: Option<Refusal>,
) -> Result<SheetPage, WebError> {
    let r = rubric_of(&seen.dossier)?;
    let handed_in = sheet.and_then(|s| s.submitted_at).map(present::day_of);
    let closed = seen.dossier.state != DossierState::InRound;
    let invalid = error.as_ref().and_then(|e| e.criterion.clone());
    Ok(SheetPage {
        tr,
        nav: Nav::for_user(me, &format!("/dossiers/{}/sheet", seen.dossier.id)),
        set_label: ocop_domain::criteria::criteria_set(i64::from(seen.dossier.criteria_set))
            .map(|s| format!("{}. {}", s.number, s.name))
            .unwrap_or_default(),
        seat: seen
            .seat
            .map(|s| tr.t(&format!("round.role.{}", s.as_str())))
            .unwrap_or(""),
        parts: rubric::parts(tr, r, typed, invalid.as_deref()),
        readonly: handed_in.is_some() || closed,
        evidence: false,
        stops: true,
        handed_in,
        closed,
        conditions: r.disqualified_if.clone(),
        notes,
        answered: answered(r, typed),
        total: r.criteria().count(),
        provisional: rubric::provisional_total(r, typed),
        d: seen.dossier,
        error,
        notice: None,
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let (seen, mine) = seated(&state, &me, id).await?;
    let typed = rubric::typed_from_json(mine.as_ref().map(|s| &s.answers), None);
    let notes = mine
        .as_ref()
        .and_then(|s| s.notes.clone())
        .unwrap_or_default();
    let mut p = page(&me, tr, seen, mine.as_ref(), &typed, notes, None)?;
    p.notice = q.notice(tr, "sheet");
    Ok(render(&p))
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
    let notes = field(&pairs, "notes").to_string();
    let submit = field(&pairs, "action") == "submit";
    let result = match rubric::answers_json(r, &typed) {
        Ok(answers) => {
            dossiers::save_sheet(
                &*state.store,
                caller(&me),
                id,
                answers,
                Some(notes.clone()),
                submit,
            )
            .await
        }
        Err(p) => Err(p),
    };
    let problem = match result {
        Ok(_) => {
            let done = if submit { "submitted" } else { "saved" };
            return Ok(Redirect::to(&format!("/dossiers/{id}/sheet?done={done}")).into_response());
        }
        Err(p) => p,
    };
    let mut error = refusal(tr, "sheet", problem)?;
    about_criterion(tr, &mut error, r);
    let status = error.status;
    let (seen, mine) = seated(&state, &me, id).await?;
    // A sheet handed in meanwhile stays as handed in; otherwise what was typed is kept.
    let page = match mine.as_ref().filter(|s| s.submitted_at.is_some()) {
        Some(s) => {
            let saved = rubric::typed_from_json(Some(&s.answers), None);
            let notes = s.notes.clone().unwrap_or_default();
            page(&me, tr, seen, Some(s), &saved, notes, Some(error))?
        }
        None => page(&me, tr, seen, mine.as_ref(), &typed, notes, Some(error))?,
    };
    Ok(with_status(render(&page), Some(status)))
}
