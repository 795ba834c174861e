//! The yearly cycle as people run it: an OCOP office opens the year's cycle; producers submit
//! product ideas and then business plans; officers screen them (accept, return with a reason,
//! reject); accepted plans record the support they receive.

use super::Caller;
use crate::error::{forbidden, not_found, unprocessable, Problem};
use crate::registry;
use chrono::NaiveDate;
use ocop_domain::{Actor, Role};
use ocop_store::{
    Cycle, NewCycle, NewProposal, NewSupport, Proposal, ProposalFilter, Store, Support,
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
    let province = match actor.role {
        Role::Central => province.ok_or_else(|| {
            unprocessable(
                "province_code",
                "required",
                "name the province whose cycle this is",
            )
        })?,
        Role::Admin => {
            let own = province_of(actor).unwrap_or_default();
            if province.as_ref().is_some_and(|p| *p != own) {
                return Err(forbidden(
                    "a province's OCOP office opens its own province's cycle",
                ));
            }
            own
        }
        _ => {
            return Err(forbidden(
                "the province's OCOP office opens the yearly cycle",
            ))
        }
    };
    if !(2000..=2100).contains(&year) {
        return Err(unprocessable(
            "year",
            "invalid_year",
            "the year is between 2000 and 2100",
        ));
    }
    if steps.len() != 6 || steps.windows(2).any(|w| w[0] > w[1]) {
        return Err(unprocessable(
            "steps",
            "invalid_steps",
            "give the start dates of the six steps in order: outreach, ideas, plans, carrying out, evaluation, promotion",
        ));
    }
    let new = NewCycle {
        province_code: province.clone(),
        year,
        theme: text(theme, "theme", 300)?,
        steps,
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
    if actor.role == Role::Evaluator {
        return Err(forbidden("council members work through their rounds"));
    }
    Ok(store.cycles(province_of(actor).as_deref()).await?)
}

pub async fn cycle(store: &dyn Store, actor: &Actor, id: i64) -> Result<Cycle, Problem> {
    let c = store.cycle(id).await?.ok_or_else(|| not_found("cycle"))?;
    match province_of(actor) {
        Some(p) if p != c.province_code => Err(not_found("cycle")),
        _ if actor.role == Role::Evaluator => Err(not_found("cycle")),
        _ => Ok(c),
    }
}

/// A producer's idea or plan in a cycle of its province.
pub async fn propose(
    store: &dyn Store,
    who: Caller<'_>,
    kind: &'static str,
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
    if !actor.may(ocop_domain::access::Capability::EditRegistry) {
        return Err(forbidden("producers and officers submit ideas and plans"));
    }
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
            .filter(|p| p.kind == "idea" && p.organization_id == org_id);
        match i {
            Some(i) if i.state == "accepted" => {}
            Some(i) => {
                return Err(unprocessable(
                    "idea_id",
                    "idea_not_accepted",
                    format!("the idea is {}: a plan follows an accepted idea", i.state),
                ))
            }
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
    let action = if kind == "idea" {
        "idea_submitted"
    } else {
        "plan_submitted"
    };
    let audit = by.audit(
        action,
        cycle.province_code.parse().ok().as_ref(),
        serde_json::json!({"title": new.title}),
    );
    Ok(store.create_proposal(&new, &audit).await?)
}

/// The proposal if the caller reaches its organization.
pub async fn proposal(
    store: &dyn Store,
    actor: &Actor,
    kind: &str,
    id: i64,
) -> Result<Proposal, Problem> {
    let p = store
        .proposal(id)
        .await?
        .filter(|p| p.kind == kind)
        .ok_or_else(|| not_found(kind))?;
    let place = registry::place(&p.province_code, &p.commune_code);
    if actor.role == Role::Evaluator || !actor.reaches(&place, p.organization_id) {
        return Err(not_found(kind));
    }
    Ok(p)
}

/// The caller's proposals of a kind: its organization's, commune's, province's or all.
pub async fn proposals(
    store: &dyn Store,
    actor: &Actor,
    kind: &'static str,
    cycle_id: Option<i64>,
    state: Option<String>,
) -> Result<Vec<Proposal>, Problem> {
    if let Some(s) = state.as_deref() {
        if !matches!(s, "submitted" | "accepted" | "returned" | "rejected") {
            return Err(unprocessable(
                "state",
                "invalid_state",
                format!("unknown state `{s}`: use submitted, accepted, returned or rejected"),
            ));
        }
    }
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
) -> Result<Vec<(String, String, i64)>, Problem> {
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
    kind: &'static str,
    id: i64,
    decision: &str,
    reason: Option<&str>,
) -> Result<Proposal, Problem> {
    let (actor, by) = (who.actor, who.by());
    let p = proposal(store, actor, kind, id).await?;
    if !matches!(actor.role, Role::Officer | Role::Admin | Role::Central) {
        return Err(forbidden(
            "commune officers and OCOP offices screen ideas and plans",
        ));
    }
    let state = match decision {
        "accept" => "accepted",
        "return" => "returned",
        "reject" => "rejected",
        other => {
            return Err(unprocessable(
                "decision",
                "invalid_decision",
                format!("unknown decision `{other}`: use accept, return or reject"),
            ))
        }
    };
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if state != "accepted" && reason.is_none() {
        return Err(unprocessable(
            "reason",
            "required",
            "say why: the producer reads it to resubmit",
        ));
    }
    let action = if kind == "idea" {
        "idea_screened"
    } else {
        "plan_screened"
    };
    let audit = by.audit(
        action,
        p.province_code.parse().ok().as_ref(),
        serde_json::json!({"decision": state, "reason": reason}),
    );
    Ok(store
        .screen_proposal(id, state, reason, by.user_id(), &audit)
        .await?)
}

pub async fn resubmit(
    store: &dyn Store,
    who: Caller<'_>,
    kind: &'static str,
    id: i64,
    title: &str,
    summary: &str,
) -> Result<Proposal, Problem> {
    let (actor, by) = (who.actor, who.by());
    let p = proposal(store, actor, kind, id).await?;
    if !actor.may(ocop_domain::access::Capability::EditRegistry) {
        return Err(forbidden(
            "the producer or its officers resubmit a returned proposal",
        ));
    }
    let (title, summary) = (
        text(title, "title", 300)?,
        text(summary, "summary", 10_000)?,
    );
    let action = if kind == "idea" {
        "idea_resubmitted"
    } else {
        "plan_resubmitted"
    };
    let audit = by.audit(
        action,
        p.province_code.parse().ok().as_ref(),
        serde_json::json!({"title": title}),
    );
    Ok(store
        .resubmit_proposal(id, &title, &summary, &audit)
        .await?)
}

pub const SUPPORT_KINDS: [&str; 4] = ["training", "advice", "loan", "other"];

pub async fn support(
    store: &dyn Store,
    who: Caller<'_>,
    plan_id: i64,
    input: &SupportInput,
) -> Result<Support, Problem> {
    let (actor, by) = (who.actor, who.by());
    let (kind, amount_vnd) = (input.kind.as_str(), input.amount_vnd);
    let p = proposal(store, actor, "plan", plan_id).await?;
    if !matches!(actor.role, Role::Officer | Role::Admin | Role::Central) {
        return Err(forbidden("officers record the support given to a plan"));
    }
    if !SUPPORT_KINDS.contains(&kind) {
        return Err(unprocessable(
            "kind",
            "invalid_support_kind",
            "support is training, advice, loan or other",
        ));
    }
    if amount_vnd.is_some_and(|a| a < 0) {
        return Err(unprocessable(
            "amount_vnd",
            "invalid_amount",
            "the amount is zero or more đồng",
        ));
    }
    let new = NewSupport {
        plan_id,
        kind: kind.to_string(),
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
    Ok(store.add_support(&new, &audit).await?)
}
