//! Web pages of the evaluation: the hub, dossiers (Form 01–03 and every step), council members'
//! score sheets, rounds and certificates (the public check, the PDF, revocation, expiry notices).
//!
//! Every rule and scope check lives in [`crate::evaluation`]; these handlers turn typed text into
//! its inputs and its answers into pages.

mod certificates;
mod criteria;
mod evidence;
mod form02;
mod hub;
mod list;
mod result;
mod rounds;
mod rubric;
mod sheet;
mod show;
mod steps;

use crate::app::AppState;
use crate::auth::WebUser;
use crate::error::{Problem, WebError};
use crate::evaluation::Caller;
use crate::i18n::Tr;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use ocop_domain::evaluation::{DossierKind, DossierState};

/// This part's pages, merged into the web router (with its error pages and CSRF checks).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/evaluation", get(hub::page))
        .route("/criteria", get(criteria::list))
        .route("/criteria/{n}", get(criteria::show))
        .route("/dossiers", get(list::list))
        .route("/dossiers/new", get(list::new_form).post(list::create))
        .route("/dossiers/{id}", get(show::show))
        .route("/dossiers/{id}/step/{step}", post(steps::step))
        .route(
            "/dossiers/{id}/self-assessment",
            get(form02::show).post(form02::save),
        )
        .route("/dossiers/{id}/sheet", get(sheet::show).post(sheet::save))
        .route(
            "/dossiers/{id}/evidence",
            post(evidence::upload).layer(DefaultBodyLimit::max(crate::api::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/dossiers/{id}/evidence/{evidence_id}",
            get(evidence::download),
        )
        .route("/rounds", get(rounds::list).post(rounds::create))
        .route("/rounds/{id}", get(rounds::show))
        .route("/rounds/{id}/ranking.{format}", get(rounds::ranking_sheet))
        .route("/certificates/expiring", get(certificates::expiring))
        .route("/certificates/{number}", get(certificates::check))
        .route("/certificates/{number}/pdf", get(certificates::pdf))
        .route("/certificates/{number}/revoke", post(certificates::revoke))
}

pub(crate) fn caller(me: &WebUser) -> Caller<'_> {
    Caller {
        actor: &me.actor,
        email: &me.user.email,
    }
}

pub(crate) fn state_label(tr: Tr, s: DossierState) -> &'static str {
    tr.t(&format!("dossier.state.{}", s.as_str()))
}

pub(crate) fn kind_label(tr: Tr, k: DossierKind) -> &'static str {
    tr.t(&format!("dossier.kind.{}", k.as_str()))
}

/// "★★★★" for four stars.
pub(crate) fn stars(n: i64) -> String {
    "★".repeat(n.clamp(0, 5) as usize)
}

/// A refusal explained beside the form that caused it.
pub(crate) struct Refusal {
    /// Which form: a step's name, `form02`, `sheet`, `round`, `revoke`, `new`.
    pub form: &'static str,
    pub message: String,
    /// The service's English detail, for support.
    pub detail: String,
    pub field: Option<&'static str>,
    /// The criterion the refusal names, when it names one.
    pub criterion: Option<String>,
    pub status: StatusCode,
}

/// Names the criterion a refused sheet or Form 02 points at: "Chưa trả lời tiêu chí 1.2 –
/// Nguồn nguyên liệu".
pub(crate) fn about_criterion(tr: Tr, e: &mut Refusal, r: &ocop_domain::criteria::Rubric) {
    if let Some(code) = &e.criterion {
        let what = if e.detail.contains("did not answer") {
            tr.t("sheet.missing")
        } else {
            tr.t("sheet.bad_answer")
        };
        e.message = format!("{what} {}", rubric::criterion_label(r, code));
    }
}

/// The visitor's words for a problem code: this part's own texts first (codes such as
/// `invalid_kind` mean something else in the register), then the shared ones.
pub(crate) fn problem_text(tr: Tr, code: &str) -> &'static str {
    tr.get(&format!("evaluation.problem.{code}"))
        .unwrap_or_else(|| tr.problem(code))
}

/// Bad input, a clash with the dossier's state or a step the viewer's role may not take is
/// explained beside the form, with what was typed kept; "not found" and server trouble become
/// the error page.
pub(crate) fn refusal(tr: Tr, form: &'static str, p: Problem) -> Result<Refusal, WebError> {
    if !matches!(p.status, 403 | 409 | 422) {
        return Err(WebError(p));
    }
    let criterion = criterion_in(&p.detail);
    // A field's own words first ("the evidence is due after today"), then the code's.
    let message = p
        .field
        .and_then(|f| tr.get(&format!("evaluation.problem.{}.{f}", p.code)))
        .unwrap_or_else(|| problem_text(tr, p.code));
    Ok(Refusal {
        form,
        message: message.to_string(),
        status: p.status(),
        criterion,
        field: p.field,
        detail: p.detail,
    })
}

/// The criterion code a service's message names ("… criterion 6.1.2: …").
pub(crate) fn criterion_in(detail: &str) -> Option<String> {
    let at = detail.find("criterion ")? + "criterion ".len();
    let code: String = detail[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let code = code.trim_end_matches('.').to_string();
    (!code.is_empty()).then_some(code)
}

pub(crate) use super::verify::wants_json;

/// `?done=…` after a redirect: which action just succeeded, for the page's notice.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

impl DoneQuery {
    /// The notice `{part}.done.{done}` in the viewer's language, if there is one.
    pub fn notice(&self, tr: Tr, part: &str) -> Option<&'static str> {
        tr.get(&format!("{part}.done.{}", self.done.as_deref()?))
    }
}

/// A page answered with the refusal's status (a 422 or 409 keeps the browser on the form).
pub(crate) fn with_status(mut response: Response, status: Option<StatusCode>) -> Response {
    if let Some(s) = status {
        *response.status_mut() = s;
    }
    response
}

/// The value of a field of a form read as pairs (forms with repeated or per-criterion names).
pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The keys this part builds at run time (the template test finds the literal ones).
#[cfg(test)]
pub(crate) fn texts_in_use() -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        DossierState::ALL
            .iter()
            .map(|s| format!("dossier.state.{}", s.as_str())),
    );
    keys.extend(
        DossierKind::ALL
            .iter()
            .map(|k| format!("dossier.kind.{}", k.as_str())),
    );
    keys.extend(
        ocop_domain::Role::ALL
            .iter()
            .map(|r| format!("evaluation.dossiers_hint.{}", r.as_str())),
    );
    for r in ["chair", "secretary", "member"] {
        keys.push(format!("round.role.{r}"));
    }
    for (k, _) in crate::evaluation::forms::COMMUNE_FIELDS {
        keys.push(format!("dossier.report.{k}"));
    }
    for s in [
        "created",
        "saved",
        "submit",
        "commune-check",
        "return",
        "assign",
        "consolidate",
        "forward",
        "recognize",
        "decline",
    ] {
        keys.push(format!("dossier.done.{s}"));
    }
    for s in ["valid", "expired", "revoked", "not_yet_valid"] {
        keys.push(format!("certificate.status.{s}"));
    }
    for k in [
        "sheet.done.saved",
        "sheet.done.submitted",
        "round.done.created",
        "certificate.done.revoked",
        "round.level.province",
        "round.level.central",
        "dossier.sheet.handed_in",
        "dossier.sheet.draft",
        "dossier.sheet.none",
        "evaluation.nav",
    ] {
        keys.push(k.to_string());
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_criterion_a_refusal_names_is_found() {
        assert_eq!(
            criterion_in("you did not answer criterion 1.2").as_deref(),
            Some("1.2")
        );
        assert_eq!(
            criterion_in("criterion 6.1.2: option 9 does not exist").as_deref(),
            Some("6.1.2")
        );
        assert_eq!(criterion_in("criterion 8.").as_deref(), Some("8"));
        assert_eq!(criterion_in("no criterion here"), None);
    }
}
