//! `/api/v1/cycles`, `/api/v1/ideas`, `/api/v1/plans`: the yearly cycle, producers' product
//! ideas and business plans, their screening and the support plans receive.

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{unprocessable, ApiError};
use crate::evaluation::cycles::{self, ProposalInput, SupportInput};
use crate::evaluation::Caller;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::cycle::{ProposalKind, ProposalState};
use ocop_store::{Cycle, Proposal, Support};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn caller(c: &ApiUser) -> Caller<'_> {
    Caller {
        actor: &c.actor,
        email: &c.user.email,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CycleView {
    pub id: i64,
    pub province_code: String,
    pub year: i32,
    pub theme: String,
    /// Start dates of the six steps: outreach, ideas, plans, carrying out, evaluation, promotion.
    pub steps: Vec<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl From<Cycle> for CycleView {
    fn from(c: Cycle) -> Self {
        CycleView {
            id: c.id,
            year: c.year(),
            province_code: c.province_code,
            theme: c.theme,
            steps: c.calendar.starts().to_vec(),
            created_at: c.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCycle {
    /// The province (central users only; an admin opens its own).
    pub province_code: Option<String>,
    pub year: i32,
    pub theme: String,
    /// Six start dates in order.
    pub steps: Vec<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    /// idea or plan
    pub kind: String,
    pub cycle_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub idea_id: Option<i64>,
    pub title: String,
    pub summary: String,
    /// submitted, accepted, returned or rejected
    pub state: String,
    /// Why it was returned or rejected.
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// For an accepted plan: the support given so far.
    pub support: Vec<SupportView>,
}

#[derive(Serialize, ToSchema)]
pub struct SupportView {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub amount_vnd: Option<i64>,
    pub given_on: NaiveDate,
}

impl From<Support> for SupportView {
    fn from(s: Support) -> Self {
        SupportView {
            id: s.id,
            kind: s.kind.to_string(),
            description: s.description,
            amount_vnd: s.amount_vnd,
            given_on: s.given_on,
        }
    }
}

fn proposal_view(p: Proposal, support: Vec<Support>) -> ProposalView {
    ProposalView {
        id: p.id,
        kind: p.kind.to_string(),
        cycle_id: p.cycle_id,
        organization_id: p.organization_id,
        organization_name: p.organization_name,
        province_code: p.province_code,
        commune_code: p.commune_code,
        idea_id: p.idea_id,
        title: p.title,
        summary: p.summary,
        state: p.state.to_string(),
        reason: p.reason,
        decided_at: p.decided_at,
        created_at: p.created_at,
        updated_at: p.updated_at,
        support: support.into_iter().map(Into::into).collect(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Screening {
    /// accept, return or reject
    pub decision: String,
    /// Required to return or reject: the producer reads it.
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resubmission {
    pub title: String,
    pub summary: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    pub cycle_id: Option<i64>,
    /// submitted, accepted, returned or rejected
    pub state: Option<String>,
}

/// Opens a province's yearly cycle.
#[utoipa::path(post, path = "/api/v1/cycles", tag = "evaluation", request_body = OpenCycle, security(("bearer" = [])),
    responses((status = 201, body = CycleView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn open_cycle(
    State(state): State<AppState>,
    c: ApiUser,
    ApiJson(b): ApiJson<OpenCycle>,
) -> Result<(StatusCode, Json<CycleView>), ApiError> {
    let cycle = cycles::open(
        &*state.store,
        caller(&c),
        b.province_code,
        b.year,
        &b.theme,
        b.steps,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(cycle.into())))
}

/// The cycles of the caller's province (all, for central users).
#[utoipa::path(get, path = "/api/v1/cycles", tag = "evaluation", security(("bearer" = [])),
    responses((status = 200, body = Vec<CycleView>), (status = 403, body = crate::error::Problem)))]
pub async fn list_cycles(
    State(state): State<AppState>,
    c: ApiUser,
) -> Result<Json<Vec<CycleView>>, ApiError> {
    Ok(Json(
        cycles::cycles(&*state.store, &c.actor)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/cycles/{id}", tag = "evaluation", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CycleView), (status = 404, body = crate::error::Problem)))]
pub async fn get_cycle(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CycleView>, ApiError> {
    Ok(Json(
        cycles::cycle(&*state.store, &c.actor, id).await?.into(),
    ))
}

fn parse_state(s: Option<&str>) -> Result<Option<ProposalState>, ApiError> {
    Ok(s.map(str::parse)
        .transpose()
        .map_err(|e: ocop_domain::named::UnknownName| {
            unprocessable("state", "invalid_state", e.to_string())
        })?)
}

async fn with_support(state: &AppState, p: Proposal) -> Result<ProposalView, ApiError> {
    let support = if p.kind == ProposalKind::Plan {
        state.store.supports(p.id).await?
    } else {
        Vec::new()
    };
    Ok(proposal_view(p, support))
}

macro_rules! proposal_routes {
    ($kind:literal, $k:expr, $path:literal, $submit:ident, $list:ident, $get:ident, $screen:ident, $resubmit:ident) => {
        #[doc = concat!("Submits a ", $kind, " in a cycle (a producer for its organization, or an officer for one in its commune).")]
        #[utoipa::path(post, path = concat!("/api/v1/cycles/{id}/", $path), tag = "evaluation", params(("id" = i64, Path)), request_body = ProposalInput, security(("bearer" = [])),
            responses((status = 201, body = ProposalView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
        pub async fn $submit(State(state): State<AppState>, c: ApiUser, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<ProposalInput>) -> Result<(StatusCode, Json<ProposalView>), ApiError> {
            let p = cycles::propose(&*state.store, caller(&c), $k, id, &b).await?;
            Ok((StatusCode::CREATED, Json(proposal_view(p, Vec::new()))))
        }

        #[doc = concat!("The ", $kind, "s the caller reaches, newest first.")]
        #[utoipa::path(get, path = concat!("/api/v1/", $path), tag = "evaluation", params(ProposalQuery), security(("bearer" = [])),
            responses((status = 200, body = Vec<ProposalView>), (status = 403, body = crate::error::Problem)))]
        pub async fn $list(State(state): State<AppState>, c: ApiUser, ApiQuery(q): ApiQuery<ProposalQuery>) -> Result<Json<Vec<ProposalView>>, ApiError> {
            let list = cycles::proposals(&*state.store, &c.actor, $k, q.cycle_id, parse_state(q.state.as_deref())?).await?;
            Ok(Json(list.into_iter().map(|p| proposal_view(p, Vec::new())).collect()))
        }

        #[utoipa::path(get, path = concat!("/api/v1/", $path, "/{id}"), tag = "evaluation", params(("id" = i64, Path)), security(("bearer" = [])),
            responses((status = 200, body = ProposalView), (status = 404, body = crate::error::Problem)))]
        pub async fn $get(State(state): State<AppState>, c: ApiUser, ApiPath(id): ApiPath<i64>) -> Result<Json<ProposalView>, ApiError> {
            let p = cycles::proposal(&*state.store, &c.actor, $k, id).await?;
            Ok(Json(with_support(&state, p).await?))
        }

        #[doc = concat!("Screens a submitted ", $kind, ": accept, return with a reason, or reject with a reason.")]
        #[utoipa::path(post, path = concat!("/api/v1/", $path, "/{id}/screening"), tag = "evaluation", params(("id" = i64, Path)), request_body = Screening, security(("bearer" = [])),
            responses((status = 200, body = ProposalView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
        pub async fn $screen(State(state): State<AppState>, c: ApiUser, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<Screening>) -> Result<Json<ProposalView>, ApiError> {
            let p = cycles::screen(&*state.store, caller(&c), $k, id, &b.decision, b.reason.as_deref()).await?;
            Ok(Json(with_support(&state, p).await?))
        }

        #[doc = concat!("Submits a returned ", $kind, " again, changed.")]
        #[utoipa::path(post, path = concat!("/api/v1/", $path, "/{id}/resubmission"), tag = "evaluation", params(("id" = i64, Path)), request_body = Resubmission, security(("bearer" = [])),
            responses((status = 200, body = ProposalView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
        pub async fn $resubmit(State(state): State<AppState>, c: ApiUser, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<Resubmission>) -> Result<Json<ProposalView>, ApiError> {
            let p = cycles::resubmit(&*state.store, caller(&c), $k, id, &b.title, &b.summary).await?;
            Ok(Json(with_support(&state, p).await?))
        }
    };
}

proposal_routes!(
    "idea",
    ProposalKind::Idea,
    "ideas",
    submit_idea,
    list_ideas,
    get_idea,
    screen_idea,
    resubmit_idea
);
proposal_routes!(
    "plan",
    ProposalKind::Plan,
    "plans",
    submit_plan,
    list_plans,
    get_plan,
    screen_plan,
    resubmit_plan
);

/// Records support given to an accepted business plan (training, advice, a loan…).
#[utoipa::path(post, path = "/api/v1/plans/{id}/support", tag = "evaluation", params(("id" = i64, Path)), request_body = SupportInput, security(("bearer" = [])),
    responses((status = 201, body = SupportView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_support(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<SupportInput>,
) -> Result<(StatusCode, Json<SupportView>), ApiError> {
    let s = cycles::support(&*state.store, caller(&c), id, &b).await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}
