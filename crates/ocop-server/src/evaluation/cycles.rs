//! The yearly cycle as people run it: an OCOP office opens the year's cycle; producers submit
//! product ideas and then business plans; officers screen them (accept, return with a reason,
//! reject); accepted plans record the support they receive.

use super::Caller;
use crate::error::{forbidden, not_found, unprocessable, Problem};
use crate::registry;
use chrono::NaiveDate;
use ocop_domain::cycle::{
    plan_may_follow, Calendar, CalendarRefused, Decision, ProposalKind, ProposalState,
    ProposalStep, SupportKind,
};
use ocop_domain::Actor;
use ocop_store::{
    Cycle, NewCycle, NewProposal, NewSupport, Proposal, ProposalCount, ProposalFilter, Screening,
    Store, Support,
};
use serde::Deserialize;
use utoipa::ToSchema;

/// A product idea or business plan as a producer writes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// The economic organization; a producer's own by default.
    pub organization_id: Option<i64>,
    /// For a plan: the accepted idea it carries out.
    pub idea_id: Option<i64>,
    pub title: String,
    pub summary: String,
}

/// Support given to an accepted plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportInput {
    /// training, advice, loan or other
    pub kind: String,
    pub description: String,
    pub amount_vnd: Option<i64>,
    /// YYYY-MM-DD
    pub given_on: NaiveDate,
}

fn text(v: &str, field: &'static str, max: usize) -> Result<String, Problem> {
    let t = v.trim();
    if t.is_empty() {
        return Err(unprocessable(
            field,
            "required",
            format!("{field} is required"),
        ));
    }
    if t.chars().count() > max {
        return Err(unprocessable(
            field,
            "too_long",
            format!("{field} is at most {max} characters"),
        ));
    }
    Ok(t.to_string())
}

/// The province whose cycles an actor works in (`None`: every province, for central users).
fn province_of(actor: &Actor) -> Option<String> {
    actor.province.as_ref().map(|p| p.to_string())
}

pub async fn open(
    store: &dyn Store,
    who: Caller<'_>,
    province: Option<String>,
    year: i32,
    theme: &str,
    steps: Vec<NaiveDate>,
) -> Result<Cycle, Problem> {
    let (actor, by) = (who.actor, who.by());
    if !ocop_domain::cycle::may_open(actor.role) {
        return Err(forbidden(
            "the province's OCOP office opens the yearly cycle",
        ));
    }
    let province = match province_of(actor) {
        None => province.ok_or_else(|| {
            unprocessable(
                "province_code",
                "required",
                "name the province whose cycle this is",
            )
        })?,
        Some(own) if province.as_ref().is_some_and(|p| *p != own) => {
            return Err(forbidden(
                "a province's OCOP office opens its own province's cycle",
            ));
        }
        Some(own) => own,
    };
    let calendar = Calendar::new(year, &steps).map_err(|e| match e {
        CalendarRefused::Year => unprocessable("year", "invalid_year", e.to_string()),
        CalendarRefused::Steps => unprocessable("steps", "invalid_steps", e.to_string()),
    })?;
    let new = NewCycle {
        province_code: province.clone(),
        calendar,
        theme: text(theme, "theme", 300)?,
        created_by: by.user_id(),
    };
    let audit = by.audit(
        "cycle_opened",
        province.parse().ok().as_ref(),
        serde_json::json!({"year": year}),
    );
    store.create_cycle(&new, &audit).await.map_err(|e| match e {
        ocop_store::StoreError::Conflict(_) => crate::error::conflict(
            "cycle_exists",
            format!("province {province} already has a cycle for {year}"),
        ),
        other => other.into(),
    })
}

pub async fn cycles(store: &dyn Store, actor: &Actor) -> Result<Vec<Cycle>, Problem> {
    if !ocop_domain::cycle::may_follow(actor.role) {
        return Err(forbidden("council members work through their rounds"));
    }
    Ok(store.cycles(province_of(actor).as_deref()).await?)
}

pub async fn cycle(store: &dyn Store, actor: &Actor, id: i64) -> Result<Cycle, Problem> {
    let c = store.cycle(id).await?.ok_or_else(|| not_found("cycle"))?;
    match province_of(actor) {
        Some(p) if p != c.province_code => Err(not_found("cycle")),
        _ if !ocop_domain::cycle::may_follow(actor.role) => Err(not_found("cycle")),
        _ => Ok(c),
    }
}

/// A producer's idea or plan in a cycle of its province.
pub async fn propose(
    store: &dyn Store,
    who: Caller<'_>,
    kind: ProposalKind,
    cycle_id: i64,
    input: &ProposalInput,
) -> Result<Proposal, Problem> {
    let (actor, by) = (who.actor, who.by());
    let (organization_id, idea_id) = (input.organization_id, input.idea_id);
    let cycle = cycle(store, actor, cycle_id).await?;
    let org_id = organization_id.or(actor.organization_id).ok_or_else(|| {
        unprocessable(
            "organization_id",
            "required",
            "name the economic organization that proposes it",
        )
    })?;
    let org = registry::organizations::visible(store, by, org_id).await?;
    ProposalStep::Submit
        .taken_by(actor.role)
        .map_err(|e| forbidden(e.to_string()))?;
    if org.province_code != cycle.province_code {
        return Err(unprocessable(
            "organization_id",
            "other_province",
            "the organization is in another province than this cycle",
        ));
    }
    if let Some(idea) = idea_id {
        let i = store
            .proposal(idea)
            .await?
            .filter(|p| p.kind == ProposalKind::Idea && p.organization_id == org_id);
        match i {
            Some(i) => plan_may_follow(i.state)
                .map_err(|e| unprocessable("idea_id", "idea_not_accepted", e.to_string()))?,
            None => {
                return Err(unprocessable(
                    "idea_id",
                    "unknown_reference",
                    "the organization has no such idea",
                ))
            }
        }
    }
    let new = NewProposal {
        kind,
        cycle_id,
        organization_id: org_id,
        idea_id,
        title: text(&input.title, "title", 300)?,
        summary: text(&input.summary, "summary", 10_000)?,
        created_by: by.user_id(),
    };
    let audit = by.audit(
        audit_action(kind, "submitted"),
        cycle.province_code.parse().ok().as_ref(),
        serde_json::json!({"title": new.title}),
    );
    Ok(store.create_proposal(&new, &audit).await?)
}

/// The proposal if the caller reaches its organization.
pub async fn proposal(
    store: &dyn Store,
    actor: &Actor,
    kind: ProposalKind,
    id: i64,
) -> Result<Proposal, Problem> {
    let p = store
        .proposal(id)
        .await?
        .filter(|p| p.kind == kind)
        .ok_or_else(|| not_found(kind.as_str()))?;
    let place = registry::place(&p.province_code, &p.commune_code);
    if !ocop_domain::cycle::may_follow(actor.role) || !actor.reaches(&place, p.organization_id) {
        return Err(not_found(kind.as_str()));
    }
    Ok(p)
}

/// The audit action of a step on an idea or plan, e.g. `idea_screened`.
fn audit_action(kind: ProposalKind, done: &str) -> &'static str {
    match (kind, done) {
        (ProposalKind::Idea, "submitted") => "idea_submitted",
        (ProposalKind::Idea, "screened") => "idea_screened",
        (ProposalKind::Idea, _) => "idea_resubmitted",
        (ProposalKind::Plan, "submitted") => "plan_submitted",
        (ProposalKind::Plan, "screened") => "plan_screened",
        (ProposalKind::Plan, _) => "plan_resubmitted",
    }
}

/// The caller's proposals of a kind: its organization's, commune's, province's or all.
pub async fn proposals(
    store: &dyn Store,
    actor: &Actor,
    kind: ProposalKind,
    cycle_id: Option<i64>,
    state: Option<ProposalState>,
) -> Result<Vec<Proposal>, Problem> {
    let reach = registry::reach(actor)?;
    let filter = ProposalFilter {
        cycle_id,
        kind: Some(kind),
        organization_id: reach.organization_id,
        province: reach.province.map(|p| p.to_string()),
        commune: reach.commune.map(|c| c.to_string()),
        state,
    };
    Ok(store.proposals(&filter).await?)
}

/// How many ideas and plans of a cycle the caller reaches, per (kind, state), counted in the
/// database (the lists themselves stop at 1,000).
pub async fn counts(
    store: &dyn Store,
    actor: &Actor,
    cycle_id: i64,
) -> Result<Vec<ProposalCount>, Problem> {
    let reach = registry::reach(actor)?;
    let filter = ProposalFilter {
        cycle_id: Some(cycle_id),
        organization_id: reach.organization_id,
        province: reach.province.map(|p| p.to_string()),
        commune: reach.commune.map(|c| c.to_string()),
        ..Default::default()
    };
    Ok(store.proposal_counts(&filter).await?)
}

/// Screening by the commune officer or the OCOP office: accept, return (with a reason) or reject (with a reason).
pub async fn screen(
    store: &dyn Store,
    who: Caller<'_>,
    kind: ProposalKind,
    id: i64,
    decision: &str,
    reason: Option<&str>,
) -> Result<Proposal, Problem> {
    let (actor, by) = (who.actor, who.by());
    let p = proposal(store, actor, kind, id).await?;
    // The role first: a producer learns it may not screen, not that its reason is missing.
    ProposalStep::Screen(Decision::Accept)
        .taken_by(actor.role)
        .map_err(|e| forbidden(e.to_string()))?;
    let decision: Decision =
        decision
            .trim()
            .parse()
            .map_err(|e: ocop_domain::named::UnknownName| {
                unprocessable("decision", "invalid_decision", e.to_string())
            })?;
    let reason = decision
        .reason(reason)
        .map_err(|e| unprocessable("reason", "required", e.to_string()))?;
    let audit = by.audit(
        audit_action(kind, "screened"),
        p.province_code.parse().ok().as_ref(),
        serde_json::json!({"decision": decision.outcome(), "reason": reason}),
    );
    let screening = Screening {
        decision,
        reason,
        role: actor.role,
        decided_by: by.user_id(),
    };
    Ok(store.screen_proposal(id, &screening, &audit).await?)
}

pub async fn resubmit(
    store: &dyn Store,
    who: Caller<'_>,
    kind: ProposalKind,
    id: i64,
    title: &str,
    summary: &str,
) -> Result<Proposal, Problem> {
    let (actor, by) = (who.actor, who.by());
    let p = proposal(store, actor, kind, id).await?;
    ProposalStep::Resubmit
        .taken_by(actor.role)
        .map_err(|e| forbidden(e.to_string()))?;
    let (title, summary) = (
        text(title, "title", 300)?,
        text(summary, "summary", 10_000)?,
    );
    let audit = by.audit(
        audit_action(kind, "resubmitted"),
        p.province_code.parse().ok().as_ref(),
        serde_json::json!({"title": title}),
    );
    Ok(store
        .resubmit_proposal(id, &title, &summary, actor.role, &audit)
        .await?)
}

pub async fn support(
    store: &dyn Store,
    who: Caller<'_>,
    plan_id: i64,
    input: &SupportInput,
) -> Result<Support, Problem> {
    let (actor, by) = (who.actor, who.by());
    let amount_vnd = input.amount_vnd;
    let p = proposal(store, actor, ProposalKind::Plan, plan_id).await?;
    ProposalStep::Support
        .taken_by(actor.role)
        .map_err(|e| forbidden(e.to_string()))?;
    let kind: SupportKind =
        input
            .kind
            .trim()
            .parse()
            .map_err(|e: ocop_domain::named::UnknownName| {
                unprocessable("kind", "invalid_support_kind", e.to_string())
            })?;
    if amount_vnd.is_some_and(|a| a < 0) {
        return Err(unprocessable(
            "amount_vnd",
            "invalid_amount",
            "the amount is zero or more đồng",
        ));
    }
    let new = NewSupport {
        plan_id,
        kind,
        description: text(&input.description, "description", 2_000)?,
        amount_vnd,
        given_on: input.given_on,
        recorded_by: by.user_id(),
    };
    let audit = by.audit(
        "plan_supported",
        p.province_code.parse().ok().as_ref(),
        serde_json::json!({"kind": kind}),
    );
    Ok(store.add_support(&new, actor.role, &audit).await?)
}
