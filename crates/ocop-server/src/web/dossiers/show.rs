//! `/dossiers/{id}`: a dossier's facts, forms, council and result, and the steps the viewer
//! may take, each a small form; the domain's rules decide which steps are offered.

use super::result::ResultView;
use super::rubric::{answered, typed_from_json};
use super::steps::StepTyped;
use super::{kind_label, state_label, DoneQuery, Refusal};
use crate::app::AppState;
use crate::auth::WebUser;
use crate::error::WebError;
use crate::evaluation::dossiers::{self, Seen};
use crate::evaluation::forms::COMMUNE_FIELDS;
use crate::evaluation::rounds;
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::registry_common::{choices, Choice};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ocop_domain::evaluation::{CouncilRole, DossierState, Step};
use ocop_domain::Role;
use ocop_store::Dossier;

/// The steps offered on the page.
#[derive(Default)]
pub struct Actions {
    pub submit: bool,
    pub commune_check: bool,
    pub return_: bool,
    pub assign: bool,
    pub consolidate: bool,
    pub forward: bool,
    pub recognize: bool,
    pub decline: bool,
}

impl Actions {
    pub fn any(&self) -> bool {
        self.submit
            || self.commune_check
            || self.return_
            || self.assign
            || self.consolidate
            || self.forward
            || self.recognize
            || self.decline
    }
}

pub struct Seat {
    pub name: String,
    pub role: &'static str,
    /// "handed in", "draft", "not started"; empty when the viewer may not see others' sheets.
    pub sheet: &'static str,
    pub done: bool,
}

pub struct RoundRef {
    pub id: i64,
    pub name: String,
}

pub struct Certificate {
    pub number: String,
    /// The number as a path segment.
    pub link: String,
    pub stars: String,
    pub valid: bool,
}

#[derive(Template)]
#[template(path = "dossier.html")]
pub struct DossierPage {
    pub tr: Tr,
    pub nav: Nav,
    pub d: Dossier,
    pub set_label: String,
    pub kind: &'static str,
    pub state_label: &'static str,
    pub submitted_on: String,
    pub commune_due: String,
    pub overdue: bool,
    pub return_due: String,
    pub form02_answered: usize,
    pub form02_total: usize,
    pub form02_editable: bool,
    /// Form 03 as recorded: (label, text).
    pub report: Vec<(&'static str, String)>,
    pub round: Option<RoundRef>,
    /// The viewer may open the round's page (offices and its council).
    pub round_link: bool,
    pub seats: Vec<Seat>,
    pub progress: String,
    /// The viewer sits on the council and the dossier is in its round.
    pub sheet_link: bool,
    pub result: Option<ResultView>,
    pub certificate: Option<Certificate>,
    pub actions: Actions,
    pub rounds: Vec<Choice>,
    /// The set's disqualification conditions: (index, text, ticked).
    pub conditions: Vec<(usize, String, bool)>,
    /// Form 03's fields for the commune check: (key, label, typed).
    pub commune_fields: Vec<(&'static str, &'static str, String)>,
    pub typed: StepTyped,
    pub stars_after: String,
    pub error: Option<Refusal>,
    pub notice: Option<&'static str>,
    /// Each audited step: when (Vietnam's time), who, what.
    pub history: Vec<(String, String, String)>,
    /// Back with its producer: the reason and due date show.
    pub returned: bool,
}

impl DossierPage {
    pub fn error_in(&self, form: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.form == form)
    }

    pub fn invalid(&self, form: &str, field: &str) -> bool {
        self.error
            .as_ref()
            .is_some_and(|e| e.form == form && e.field == Some(field))
    }
}

/// Whether the domain's rules let this viewer take `step` now.
fn allowed(d: &Dossier, role: Role, step: Step) -> bool {
    let stars = d.stars.and_then(|s| u8::try_from(s).ok());
    d.state.after(step, role, stars, d.round_is_central).is_ok()
}

fn actions(me: &WebUser, seen: &Seen) -> Actions {
    let d = &seen.dossier;
    let role = me.actor.role;
    // The producer and the offices move dossiers, council seats do not.
    let acting = seen.moved_by(&me.actor);
    let may = |step| acting && allowed(d, role, step);
    let stars = d.stars.and_then(|s| u8::try_from(s).ok()).unwrap_or(0);
    Actions {
        submit: may(Step::Submit),
        commune_check: may(Step::CommuneCheck),
        return_: may(Step::Return),
        assign: may(Step::Assign { central: false }) || may(Step::Assign { central: true }),
        consolidate: allowed(d, role, Step::Consolidate)
            && (acting || seen.seat == Some(CouncilRole::Secretary)),
        forward: may(Step::Forward),
        recognize: may(Step::Recognize { stars }),
        decline: may(Step::Decline),
    }
}

pub async fn page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    seen: Seen,
    typed: StepTyped,
) -> Result<DossierPage, WebError> {
    let store = &*state.store;
    let actions = actions(me, &seen);
    let (done, size) = dossiers::progress(store, &seen).await?;
    let history = dossiers::history(store, &seen)
        .await?
        .into_iter()
        .map(|(e, who)| {
            let at = present::moment(e.at);
            let what = tr
                .get(&format!("dossier.history.{}", e.action))
                .map_or_else(|| e.action.clone(), str::to_string);
            (at, who, what)
        })
        .collect();
    let sheets = dossiers::sheets(store, &me.actor, &seen).await?;
    let sees_all = seen.sees_all_sheets(&me.actor);
    let d = &seen.dossier;
    let today = present::today_in_vietnam();
    let rubric = ocop_domain::criteria::rubric(i64::from(d.criteria_set)).ok();
    let form02 = typed_from_json(d.self_assessment.get("answers"), None);
    let seats = seen
        .round
        .iter()
        .flat_map(|r| r.members.iter())
        .map(|s| {
            let sheet = sheets.iter().find(|x| x.user_id == s.user_id);
            let (text, done) = match sheet {
                _ if !sees_all && s.user_id != me.actor.user_id => ("", false),
                Some(x) if x.submitted_at.is_some() => ("dossier.sheet.handed_in", true),
                Some(_) => ("dossier.sheet.draft", false),
                None => ("dossier.sheet.none", false),
            };
            Seat {
                name: s.name.clone(),
                role: tr.t(&format!("round.role.{}", s.role.as_str())),
                sheet: if text.is_empty() { "" } else { tr.t(text) },
                done,
            }
        })
        .collect();
    let names: Vec<String> = sheets
        .iter()
        .filter(|s| s.submitted_at.is_some())
        .map(|s| s.user_name.clone())
        .collect();
    let certificate = match d.certificate_id {
        Some(id) => store.certificate(id).await?.map(|c| Certificate {
            valid: c.shows_stars(today),
            stars: super::stars(i64::from(c.stars)),
            link: super::certificates::segment(&c.number),
            number: c.number,
        }),
        None => None,
    };
    let rounds = if actions.assign {
        let central = allowed(d, me.actor.role, Step::Assign { central: true });
        rounds::list(store, &me.actor)
            .await?
            .into_iter()
            .filter(|r| {
                r.is_central() == central
                    && (central || r.province_code.as_deref() == Some(d.province_code.as_str()))
            })
            .map(|r| {
                (
                    r.id.to_string(),
                    format!("{} ({})", r.name, present::date(r.held_by)),
                )
            })
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let report = d
        .commune_report
        .as_ref()
        .map(|r| {
            COMMUNE_FIELDS
                .iter()
                .map(|(k, _)| *k)
                .chain(["notes"])
                .filter_map(|k| {
                    let text = r.get(k).and_then(|v| v.as_str()).unwrap_or("");
                    (!text.is_empty())
                        .then(|| (tr.t(&format!("dossier.report.{k}")), text.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(DossierPage {
        history,
        returned: seen.dossier.state == DossierState::Returned,
        tr,
        nav: Nav::for_user(me, &format!("/dossiers/{}", d.id)),
        set_label: ocop_domain::criteria::criteria_set(i64::from(d.criteria_set))
            .map(|s| format!("{}. {}", s.number, s.name))
            .unwrap_or_default(),
        kind: kind_label(tr, d.kind),
        state_label: state_label(tr, d.state),
        submitted_on: present::maybe_date(d.submitted_on),
        commune_due: present::maybe_date(d.commune_due_on),
        overdue: d.state == DossierState::Submitted
            && d.commune_due_on.is_some_and(|due| due < today),
        return_due: present::maybe_date(d.return_due_on),
        form02_answered: rubric.map(|r| answered(r, &form02)).unwrap_or(0),
        form02_total: rubric.map(|r| r.criteria().count()).unwrap_or(0),
        form02_editable: actions.submit,
        report,
        round: seen.round.as_ref().map(|r| RoundRef {
            id: r.id,
            name: r.name.clone(),
        }),
        round_link: ocop_domain::evaluation::runs_rounds(me.actor.role) || seen.seat.is_some(),
        seats,
        progress: if size > 0 {
            format!(
                "{done} {} {size} {}",
                tr.t("dossier.progress_of"),
                tr.t("dossier.progress_members")
            )
        } else {
            String::new()
        },
        sheet_link: seen.seat.is_some() && d.state == DossierState::InRound,
        result: d
            .result
            .as_ref()
            .map(|j| ResultView::of(tr, j, rubric, &names)),
        certificate,
        rounds: choices(rounds, &typed.round_id),
        conditions: rubric
            .map(|r| {
                r.disqualified_if
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (i, t.clone(), typed.conditions.contains(&i)))
                    .collect()
            })
            .unwrap_or_default(),
        commune_fields: COMMUNE_FIELDS
            .iter()
            .map(|(k, _)| {
                let label = tr.t(&format!("dossier.report.{k}"));
                (*k, label, typed.report.get(*k).cloned().unwrap_or_default())
            })
            .collect(),
        stars_after: d.stars.map(i64::from).map(super::stars).unwrap_or_default(),
        typed,
        actions,
        error: None,
        notice: None,
        d: seen.dossier,
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
    let seen = dossiers::seen(&*state.store, &me.actor, id).await?;
    let mut p = page(&state, &me, tr, seen, StepTyped::fresh()).await?;
    p.notice = q.notice(tr, "dossier");
    Ok(render(&p))
}
