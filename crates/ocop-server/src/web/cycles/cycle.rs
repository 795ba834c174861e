//! `/cycles/{id}`: one cycle's ideas and plans (filtered by state, counted per state) and the
//! forms to submit a product idea or a business plan.

use super::common::{
    caller, phase_text, refusal, state_class, state_label, timeline, Id, Refusal, Step,
};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, Problem, WebError};
use crate::evaluation::cycles::{self, ProposalInput};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::registry_common::{choices, commune_name, Choice};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::cycle::{ProposalKind, ProposalState, ProposalStep};
use ocop_store::{Cycle, Proposal, ProposalCount};
use serde::Deserialize;

/// An idea or plan form, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProposalForm {
    pub organization_id: String,
    pub idea_id: String,
    pub title: String,
    pub summary: String,
}

/// A number chosen in a select; empty is none.
fn chosen(v: &str, field: &'static str) -> Result<Option<i64>, Problem> {
    match v.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| {
            unprocessable(
                field,
                "unknown_reference",
                format!("{field} `{s}` is not an id"),
            )
        }),
    }
}

impl ProposalForm {
    fn input(&self, kind: ProposalKind) -> Result<ProposalInput, Problem> {
        Ok(ProposalInput {
            organization_id: chosen(&self.organization_id, "organization_id")?,
            idea_id: if kind == ProposalKind::Plan {
                chosen(&self.idea_id, "idea_id")?
            } else {
                None
            },
            title: self.title.clone(),
            summary: self.summary.clone(),
        })
    }
}

/// An idea or plan in a list.
pub struct Row {
    pub href: String,
    pub title: String,
    pub organization: String,
    pub state_label: &'static str,
    pub state_class: &'static str,
    pub updated: String,
    pub reason: String,
    pub idea_href: Option<String>,
}

impl Row {
    fn of(tr: Tr, p: &Proposal) -> Row {
        Row {
            href: format!("/{}s/{}", p.kind, p.id),
            title: p.title.clone(),
            organization: p.organization_name.clone(),
            state_label: state_label(tr, p.state),
            state_class: state_class(p.state),
            updated: present::day_of(p.updated_at),
            reason: match p.state.has_reason() {
                true => p.reason.clone().unwrap_or_default(),
                false => String::new(),
            },
            idea_href: p.idea_id.map(|i| format!("/ideas/{i}")),
        }
    }
}

/// One kind's counts per state, in [`ProposalState::ALL`] order.
pub struct Counts {
    pub label: &'static str,
    pub by_state: Vec<usize>,
    pub total: usize,
}

/// The database's count of one kind (or every kind) in one state (or every state).
fn count_of(
    all: &[ProposalCount],
    kind: Option<ProposalKind>,
    state: Option<ProposalState>,
) -> usize {
    all.iter()
        .filter(|c| kind.is_none_or(|k| c.kind == k) && state.is_none_or(|s| c.state == s))
        .map(|c| usize::try_from(c.count).unwrap_or(0))
        .sum()
}

fn counts(label: &'static str, kind: ProposalKind, all: &[ProposalCount]) -> Counts {
    let by_state: Vec<usize> = ProposalState::ALL
        .iter()
        .map(|s| count_of(all, Some(kind), Some(*s)))
        .collect();
    Counts {
        label,
        total: by_state.iter().sum(),
        by_state,
    }
}

/// A state filter link.
pub struct Tab {
    pub href: String,
    pub label: &'static str,
    pub count: usize,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "cycle.html")]
struct CyclePage {
    tr: Tr,
    nav: Nav,
    cycle: Cycle,
    province: String,
    phase: String,
    steps: Vec<Step>,
    counts: Vec<Counts>,
    state_labels: Vec<&'static str>,
    tabs: Vec<Tab>,
    /// A list shows its newest 1,000 of more.
    truncated: bool,
    ideas: Vec<Row>,
    plans: Vec<Row>,
    can_submit: bool,
    /// A producer submits for its own organization, named here.
    own_organization: Option<String>,
    organizations: Vec<Choice>,
    accepted_ideas: Vec<Choice>,
    idea_form: ProposalForm,
    plan_form: ProposalForm,
    error: Option<Refusal>,
    notice: Option<&'static str>,
}

impl CyclePage {
    fn error_in(&self, form: &str) -> Option<&Refusal> {
        self.error.as_ref().filter(|e| e.form == form)
    }

    fn invalid(&self, form: &str, field: &str) -> bool {
        self.error_in(form).and_then(|e| e.field) == Some(field)
    }
}

#[derive(Deserialize, Default)]
pub struct CycleQuery {
    state: Option<String>,
    /// Prefills the plan form with this accepted idea.
    idea: Option<String>,
    opened: Option<String>,
}

async fn page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    id: i64,
    filter: Option<&str>,
) -> Result<CyclePage, WebError> {
    let store = &*state.store;
    let cycle = cycles::cycle(store, &me.actor, id).await?;
    let filter: Option<ProposalState> = filter.and_then(|s| s.parse().ok());
    // Counts come from the database; the lists (newest first) stop at 1,000 each.
    let all = cycles::counts(store, &me.actor, id).await?;
    let ideas = cycles::proposals(store, &me.actor, ProposalKind::Idea, Some(id), filter).await?;
    let plans = cycles::proposals(store, &me.actor, ProposalKind::Plan, Some(id), filter).await?;
    let listed = |kind| count_of(&all, Some(kind), filter);
    let truncated =
        ideas.len() < listed(ProposalKind::Idea) || plans.len() < listed(ProposalKind::Plan);
    let base = format!("/cycles/{id}");
    let mut tabs = vec![Tab {
        href: base.clone(),
        label: tr.t("cycle.all"),
        count: count_of(&all, None, None),
        current: filter.is_none(),
    }];
    for s in ProposalState::ALL {
        tabs.push(Tab {
            href: format!("{base}?state={s}"),
            label: state_label(tr, *s),
            count: count_of(&all, None, Some(*s)),
            current: filter == Some(*s),
        });
    }
    let rows = |list: &[Proposal]| list.iter().map(|p| Row::of(tr, p)).collect::<Vec<_>>();
    let can_submit = ProposalStep::Submit.taken_by(me.actor.role).is_ok();
    let (mut own_organization, mut organizations, mut accepted_ideas) = (None, vec![], vec![]);
    if can_submit {
        // A producer submits for its own organization; others choose one in their reach.
        if let Some(org) = me.actor.organization_id {
            own_organization = store.organization(org).await?.map(|o| o.name);
        } else if let Some(mut f) =
            crate::api::organizations::filter(&me.actor, &Default::default())?
        {
            // The whole list in reach, within the cycle's province: the select must offer them all.
            f.limit = 10_000;
            f.province = f.province.or_else(|| cycle.province_code.parse().ok());
            let orgs = store.organizations(&f).await?.items;
            organizations = orgs
                .into_iter()
                .map(|o| (o.id.to_string(), o.name))
                .collect();
        }
        let accepted = cycles::proposals(
            store,
            &me.actor,
            ProposalKind::Idea,
            None,
            Some(ProposalState::Accepted),
        )
        .await?;
        accepted_ideas = accepted
            .into_iter()
            .filter(|i| i.province_code == cycle.province_code)
            .map(|i| {
                (
                    i.id.to_string(),
                    format!("{} — {}", i.title, i.organization_name),
                )
            })
            .collect();
    }
    let here = match filter.map(ProposalState::as_str) {
        Some(s) => format!("{base}?state={s}"),
        None => base,
    };
    let today = present::today_in_vietnam();
    Ok(CyclePage {
        tr,
        nav: Nav::for_user(me, &here),
        province: commune_name(state, &cycle.province_code).await?,
        phase: phase_text(tr, &cycle, today),
        steps: timeline(tr, &cycle, today),
        counts: vec![
            counts(tr.t("cycle.ideas"), ProposalKind::Idea, &all),
            counts(tr.t("cycle.plans"), ProposalKind::Plan, &all),
        ],
        truncated,
        state_labels: ProposalState::ALL
            .iter()
            .map(|s| state_label(tr, *s))
            .collect(),
        tabs,
        ideas: rows(&ideas),
        plans: rows(&plans),
        can_submit,
        own_organization,
        organizations: choices(organizations, ""),
        accepted_ideas: choices(accepted_ideas, ""),
        idea_form: ProposalForm::default(),
        plan_form: ProposalForm::default(),
        error: None,
        notice: None,
        cycle,
    })
}

impl CyclePage {
    /// Marks the chosen options of a form being shown again (or prefilled).
    fn select(&mut self, form: &ProposalForm) {
        let single = self.organizations.len() == 1;
        for c in &mut self.organizations {
            c.selected = single || c.value == form.organization_id.trim();
        }
        for c in &mut self.accepted_ideas {
            c.selected = c.value == form.idea_id.trim();
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Id(id): Id,
    Query(q): Query<CycleQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let mut p = page(&state, &me, tr, id, q.state.as_deref()).await?;
    if let Some(idea) = q.idea {
        // "Submit a plan for this idea": the idea and its organization chosen already.
        let org = cycles::proposal(
            &*state.store,
            &me.actor,
            ProposalKind::Idea,
            idea.trim().parse().unwrap_or(0),
        )
        .await
        .map(|i| i.organization_id.to_string())
        .unwrap_or_default();
        p.plan_form = ProposalForm {
            organization_id: org,
            idea_id: idea,
            ..Default::default()
        };
    }
    let prefill = p.plan_form.clone();
    p.select(&prefill);
    if q.opened.is_some() {
        p.notice = Some(tr.t("cycle.opened"));
    }
    Ok(render(&p))
}

async fn submit(
    state: AppState,
    me: WebUser,
    tr: Tr,
    kind: ProposalKind,
    id: i64,
    form: ProposalForm,
) -> Result<Response, WebError> {
    let result = match form.input(kind) {
        Ok(mut input) => {
            // A plan for an idea belongs to the idea's organization: an officer need not say so twice.
            if input.organization_id.is_none() && me.actor.organization_id.is_none() {
                if let Some(idea) = input.idea_id {
                    input.organization_id =
                        cycles::proposal(&*state.store, &me.actor, ProposalKind::Idea, idea)
                            .await
                            .ok()
                            .map(|i| i.organization_id);
                }
            }
            cycles::propose(&*state.store, caller(&me), kind, id, &input).await
        }
        Err(p) => Err(p),
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/{kind}s/{}?done=submitted", p.id)).into_response()),
        Err(problem) => {
            let error = refusal(tr, kind.as_str(), problem)?;
            let status = error.status;
            let mut p = page(&state, &me, tr, id, None).await?;
            p.select(&form);
            if kind == ProposalKind::Idea {
                p.idea_form = form;
            } else {
                p.plan_form = form;
            }
            p.error = Some(error);
            let mut response = render(&p);
            *response.status_mut() = status;
            Ok(response)
        }
    }
}

pub async fn submit_idea(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Id(id): Id,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, WebError> {
    submit(state, me, Tr(lang), ProposalKind::Idea, id, form).await
}

pub async fn submit_plan(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Id(id): Id,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, WebError> {
    submit(state, me, Tr(lang), ProposalKind::Plan, id, form).await
}
