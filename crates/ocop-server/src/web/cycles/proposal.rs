//! `/ideas/{id}` and `/plans/{id}`: one proposal with its state (and the reason when it was
//! returned or rejected), screening by officers and offices, resubmission when returned, and
//! for accepted plans the support given (training, advice, loans).

use super::common::{caller, parse_dong, refusal, state_class, state_label, Id, Refusal};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, Problem, WebError};
use crate::evaluation::cycles::{self, SupportInput};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::registry_common::{choices, commune_name, Choice};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::cycle::{Decision, ProposalKind, ProposalStep, SupportKind};
use ocop_store::{Cycle, Proposal};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ScreenForm {
    decision: String,
    reason: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ResubmitForm {
    title: String,
    summary: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SupportForm {
    kind: String,
    description: String,
    amount_vnd: String,
    given_on: String,
}

impl SupportForm {
    fn input(&self) -> Result<SupportInput, Problem> {
        let given_on = crate::registry::date(&Some(self.given_on.clone()), "given_on")?
            .ok_or_else(|| unprocessable("given_on", "required", "given_on is required"))?;
        Ok(SupportInput {
            kind: self.kind.trim().to_string(),
            description: self.description.clone(),
            amount_vnd: parse_dong(&self.amount_vnd, "amount_vnd")?,
            given_on,
        })
    }
}

pub struct SupportRow {
    pub day: String,
    pub kind: &'static str,
    pub description: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct ProposalPage {
    tr: Tr,
    nav: Nav,
    p: Proposal,
    cycle: Cycle,
    kind_label: &'static str,
    state_label: &'static str,
    state_class: &'static str,
    commune: String,
    created: String,
    updated: String,
    decided: String,
    /// For a plan: the idea it carries out.
    idea: Option<(i64, String)>,
    /// For an idea: the plans that carry it out.
    plans: Vec<(i64, String, &'static str, &'static str)>,
    can_screen: bool,
    can_resubmit: bool,
    can_plan: bool,
    can_support: bool,
    /// The screening's reason still stands (a return or a rejection).
    shows_reason: bool,
    returned: bool,
    /// An accepted plan lists the support it received.
    shows_support: bool,
    support: Vec<SupportRow>,
    support_total: String,
    kinds: Vec<Choice>,
    screen_form: ScreenForm,
    resubmit_form: ResubmitForm,
    support_form: SupportForm,
    error: Option<Refusal>,
    notice: Option<&'static str>,
}

impl ProposalPage {
    fn error_in(&self, form: &str) -> Option<&Refusal> {
        self.error.as_ref().filter(|e| e.form == form)
    }

    fn invalid(&self, form: &str, field: &str) -> bool {
        self.error_in(form).and_then(|e| e.field) == Some(field)
    }
}

async fn page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    kind: ProposalKind,
    id: i64,
) -> Result<ProposalPage, WebError> {
    let store = &*state.store;
    let p = cycles::proposal(store, &me.actor, kind, id).await?;
    let cycle = cycles::cycle(store, &me.actor, p.cycle_id).await?;
    let idea = match p.idea_id {
        Some(i) => cycles::proposal(store, &me.actor, ProposalKind::Idea, i)
            .await
            .ok()
            .map(|i| (i.id, i.title)),
        None => None,
    };
    let plans = if kind == ProposalKind::Idea {
        cycles::proposals(store, &me.actor, ProposalKind::Plan, None, None)
            .await?
            .into_iter()
            .filter(|x| x.idea_id == Some(id))
            .map(|x| {
                let (label, class) = (state_label(tr, x.state), state_class(x.state));
                (x.id, x.title, label, class)
            })
            .collect()
    } else {
        Vec::new()
    };
    let role = me.actor.role;
    // The forms shown are the steps the cycle's rules allow this viewer now.
    let may = |step| p.state.allows(kind, step, role);
    let given = if kind == ProposalKind::Plan {
        store.supports(id).await?
    } else {
        Vec::new()
    };
    let total: i64 = given.iter().filter_map(|s| s.amount_vnd).sum();
    let support = given
        .into_iter()
        .map(|s| SupportRow {
            day: present::date(s.given_on),
            kind: tr
                .get(&format!("proposal.support.{}", s.kind))
                .unwrap_or("?"),
            description: s.description,
            amount: s.amount_vnd.map(present::dong).unwrap_or_default(),
        })
        .collect();
    Ok(ProposalPage {
        tr,
        nav: Nav::for_user(me, &format!("/{kind}s/{id}")),
        kind_label: tr.t(&format!("proposal.kind.{kind}")),
        state_label: state_label(tr, p.state),
        state_class: state_class(p.state),
        commune: commune_name(state, &p.commune_code).await?,
        created: present::day_of(p.created_at),
        updated: present::day_of(p.updated_at),
        // A resubmitted proposal waits again: its earlier decision no longer stands.
        decided: match p.decided_at {
            Some(t) if p.state.decided() => present::day_of(t),
            _ => String::new(),
        },
        idea,
        plans,
        can_screen: may(ProposalStep::Screen(Decision::Accept)),
        can_resubmit: may(ProposalStep::Resubmit),
        can_plan: kind == ProposalKind::Idea
            && ocop_domain::cycle::plan_may_follow(p.state).is_ok()
            && ProposalStep::Submit.taken_by(role).is_ok(),
        can_support: may(ProposalStep::Support),
        shows_reason: p.state.has_reason(),
        returned: p.state == ocop_domain::cycle::ProposalState::Returned,
        shows_support: kind == ProposalKind::Plan
            && p.state == ocop_domain::cycle::ProposalState::Accepted,
        support,
        support_total: present::dong(total),
        kinds: choices(
            SupportKind::ALL
                .iter()
                .map(|k| (k.as_str(), tr.t(&format!("proposal.support.{k}")))),
            "",
        ),
        screen_form: ScreenForm::default(),
        resubmit_form: ResubmitForm {
            title: p.title.clone(),
            summary: p.summary.clone(),
        },
        support_form: SupportForm {
            given_on: present::today_in_vietnam().to_string(),
            ..Default::default()
        },
        error: None,
        notice: None,
        cycle,
        p,
    })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
}

async fn show(
    state: AppState,
    me: WebUser,
    tr: Tr,
    kind: ProposalKind,
    id: i64,
    q: ShowQuery,
) -> Result<Response, WebError> {
    let mut page = page(&state, &me, tr, kind, id).await?;
    page.notice = match q.done.as_deref() {
        Some(d @ ("submitted" | "screened" | "resubmitted" | "supported")) => {
            Some(tr.t(&format!("proposal.done.{d}")))
        }
        _ => None,
    };
    Ok(render(&page))
}

pub async fn show_idea(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Id(id): Id,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    show(state, me, Tr(lang), ProposalKind::Idea, id, q).await
}

pub async fn show_plan(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Id(id): Id,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    show(state, me, Tr(lang), ProposalKind::Plan, id, q).await
}

/// The page again with the refusal beside its form and what was typed kept.
async fn refused(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    kind: ProposalKind,
    id: i64,
    error: Refusal,
    keep: impl FnOnce(&mut ProposalPage),
) -> Result<Response, WebError> {
    let mut page = page(state, me, tr, kind, id).await?;
    keep(&mut page);
    let status = error.status;
    page.error = Some(error);
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

fn done(kind: ProposalKind, id: i64, what: &str) -> Response {
    Redirect::to(&format!("/{kind}s/{id}?done={what}")).into_response()
}

async fn screen(
    state: AppState,
    me: WebUser,
    tr: Tr,
    kind: ProposalKind,
    id: i64,
    form: ScreenForm,
) -> Result<Response, WebError> {
    let decision = form.decision.trim();
    match cycles::screen(
        &*state.store,
        caller(&me),
        kind,
        id,
        decision,
        Some(&form.reason),
    )
    .await
    {
        Ok(_) => Ok(done(kind, id, "screened")),
        Err(problem) => {
            let error = refusal(tr, "screen", problem)?;
            refused(&state, &me, tr, kind, id, error, |p| p.screen_form = form).await
        }
    }
}

async fn resubmit(
    state: AppState,
    me: WebUser,
    tr: Tr,
    kind: ProposalKind,
    id: i64,
    form: ResubmitForm,
) -> Result<Response, WebError> {
    let by = caller(&me);
    match cycles::resubmit(&*state.store, by, kind, id, &form.title, &form.summary).await {
        Ok(_) => Ok(done(kind, id, "resubmitted")),
        Err(problem) => {
            let error = refusal(tr, "resubmit", problem)?;
            refused(&state, &me, tr, kind, id, error, |p| p.resubmit_form = form).await
        }
    }
}

macro_rules! handlers {
    ($kind:expr, $screen:ident, $resubmit:ident) => {
        pub async fn $screen(
            State(state): State<AppState>,
            me: WebUser,
            lang: Lang,
            Id(id): Id,
            CsrfForm(form): CsrfForm<ScreenForm>,
        ) -> Result<Response, WebError> {
            screen(state, me, Tr(lang), $kind, id, form).await
        }

        pub async fn $resubmit(
            State(state): State<AppState>,
            me: WebUser,
            lang: Lang,
            Id(id): Id,
            CsrfForm(form): CsrfForm<ResubmitForm>,
        ) -> Result<Response, WebError> {
            resubmit(state, me, Tr(lang), $kind, id, form).await
        }
    };
}

handlers!(ProposalKind::Idea, screen_idea, resubmit_idea);
handlers!(ProposalKind::Plan, screen_plan, resubmit_plan);

pub async fn add_support(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Id(id): Id,
    CsrfForm(form): CsrfForm<SupportForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let result = match form.input() {
        Ok(input) => cycles::support(&*state.store, caller(&me), id, &input).await,
        Err(p) => Err(p),
    };
    match result {
        Ok(_) => Ok(done(ProposalKind::Plan, id, "supported")),
        Err(problem) => {
            let error = refusal(tr, "support", problem)?;
            refused(&state, &me, tr, ProposalKind::Plan, id, error, |p| {
                for c in &mut p.kinds {
                    c.selected = c.value == form.kind.trim();
                }
                p.support_form = form;
            })
            .await
        }
    }
}
