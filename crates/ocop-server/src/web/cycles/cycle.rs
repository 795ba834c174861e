//! `/cycles/{id}`: one cycle's ideas and plans (filtered by state, counted per state) and the
//! forms to submit a product idea or a business plan.

use super::common::{
    caller, may_submit, phase_text, refusal, state_class, state_label, timeline, vn_day, vn_today,
    Id, Refusal, Step, STATES,
};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, Problem, WebError};
use crate::evaluation::cycles::{self, ProposalInput};
use crate::i18n::{Lang, Tr};
use crate::web::registry_common::{choices, commune_name, Choice};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::Role;
use ocop_store::{Cycle, Proposal};
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
    fn input(&self, kind: &str) -> Result<ProposalInput, Problem> {
        Ok(ProposalInput {
            organization_id: chosen(&self.organization_id, "organization_id")?,
            idea_id: if kind == "plan" {
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
            state_label: state_label(tr, &p.state),
            state_class: state_class(&p.state),
            updated: vn_day(p.updated_at),
            // A resubmitted proposal keeps its old reason in the store: show it only while it holds.
            reason: match p.state.as_str() {
                "returned" | "rejected" => p.reason.clone().unwrap_or_default(),
                _ => String::new(),
            },
            idea_href: p.idea_id.map(|i| format!("/ideas/{i}")),
        }
    }
}

/// One kind's counts per state, in [`STATES`] order.
pub struct Counts {
    pub label: &'static str,
    pub by_state: Vec<usize>,
    pub total: usize,
}

/// The database's count of one kind in one state.
fn count_of(all: &[(String, String, i64)], kind: &str, state: &str) -> usize {
    all.iter()
        .filter(|(k, s, _)| k == kind && s == state)
        .map(|(_, _, n)| usize::try_from(*n).unwrap_or(0))
        .sum()
}

fn counts(label: &'static str, kind: &str, all: &[(String, String, i64)]) -> Counts {
    let by_state: Vec<usize> = STATES.iter().map(|s| count_of(all, kind, s)).collect();
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
    let filter = filter.filter(|s| STATES.contains(s));
    // Counts come from the database; the lists (newest first) stop at 1,000 each.
    let all = cycles::counts(store, &me.actor, id).await?;
    let wanted = filter.map(str::to_string);
    let ideas = cycles::proposals(store, &me.actor, "idea", Some(id), wanted.clone()).await?;
    let plans = cycles::proposals(store, &me.actor, "plan", Some(id), wanted).await?;
    let listed = |kind: &str| match filter {
        Some(s) => count_of(&all, kind, s),
        None => STATES.iter().map(|s| count_of(&all, kind, s)).sum(),
    };
    let truncated = ideas.len() < listed("idea") || plans.len() < listed("plan");
    let base = format!("/cycles/{id}");
    let mut tabs = vec![Tab {
        href: base.clone(),
        label: tr.t("cycle.all"),
        count: all
            .iter()
            .map(|(_, _, n)| usize::try_from(*n).unwrap_or(0))
            .sum(),
        current: filter.is_none(),
    }];
    for s in STATES {
        tabs.push(Tab {
            href: format!("{base}?state={s}"),
            label: state_label(tr, s),
            count: count_of(&all, "idea", s) + count_of(&all, "plan", s),
            current: filter == Some(s),
        });
    }
    let rows = |list: &[Proposal]| list.iter().map(|p| Row::of(tr, p)).collect::<Vec<_>>();
    let can_submit = may_submit(me);
    let (mut own_organization, mut organizations, mut accepted_ideas) = (None, vec![], vec![]);
    if can_submit {
        if me.actor.role == Role::Producer {
            if let Some(org) = me.actor.organization_id {
                own_organization = store.organization(org).await?.map(|o| o.name);
            }
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
        let accepted =
            cycles::proposals(store, &me.actor, "idea", None, Some("accepted".into())).await?;
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
    let here = match filter {
        Some(s) => format!("{base}?state={s}"),
        None => base,
    };
    let today = vn_today();
    Ok(CyclePage {
        tr,
        nav: Nav::for_user(me, &here),
        province: commune_name(state, &cycle.province_code).await?,
        phase: phase_text(tr, &cycle, today),
        steps: timeline(tr, &cycle, today),
        counts: vec![
            counts(tr.t("cycle.ideas"), "idea", &all),
            counts(tr.t("cycle.plans"), "plan", &all),
        ],
        truncated,
        state_labels: STATES.iter().map(|s| state_label(tr, s)).collect(),
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
            "idea",
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
    kind: &'static str,
    id: i64,
    form: ProposalForm,
) -> Result<Response, WebError> {
    let result = match form.input(kind) {
        Ok(mut input) => {
            // A plan for an idea belongs to the idea's organization: an officer need not say so twice.
            if input.organization_id.is_none() && me.actor.role != Role::Producer {
                if let Some(idea) = input.idea_id {
                    input.organization_id =
                        cycles::proposal(&*state.store, &me.actor, "idea", idea)
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
            let error = refusal(tr, kind, problem)?;
            let status = error.status;
            let mut p = page(&state, &me, tr, id, None).await?;
            p.select(&form);
            if kind == "idea" {
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
    submit(state, me, Tr(lang), "idea", id, form).await
}

pub async fn submit_plan(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Id(id): Id,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, WebError> {
    submit(state, me, Tr(lang), "plan", id, form).await
}
