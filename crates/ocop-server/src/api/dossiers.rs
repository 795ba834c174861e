//! `/api/v1/rounds` and `/api/v1/dossiers`: councils, dossiers and their steps, score sheets.

use super::cycles::caller;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{unprocessable, ApiError};
use crate::evaluation::dossiers::{self, Seen, StepInput};
use crate::evaluation::rounds;
use crate::present::today_in_vietnam;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::evaluation::{CouncilRole, DossierKind, DossierState};
use ocop_store::{Dossier, DossierFilter, Round, ScoreSheet};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct SeatView {
    pub user_id: i64,
    pub name: String,
    /// chair, secretary or member
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct RoundView {
    pub id: i64,
    /// province or central
    pub level: String,
    pub province_code: Option<String>,
    pub name: String,
    pub held_by: NaiveDate,
    pub members: Vec<SeatView>,
}

impl From<Round> for RoundView {
    fn from(r: Round) -> Self {
        RoundView {
            id: r.id,
            level: r.level,
            province_code: r.province_code,
            name: r.name,
            held_by: r.held_by,
            members: r
                .members
                .into_iter()
                .map(|s| SeatView {
                    user_id: s.user_id,
                    name: s.name,
                    role: s.role.as_str().into(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatInput {
    pub user_id: i64,
    /// chair, secretary or member
    pub role: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoundInput {
    pub name: String,
    /// YYYY-MM-DD: the date the round must be done by.
    pub held_by: NaiveDate,
    /// true for the central council (central users only).
    #[serde(default)]
    pub central: bool,
    pub members: Vec<SeatInput>,
}

#[derive(Serialize, ToSchema)]
pub struct DossierView {
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub product_code: String,
    pub criteria_set: i32,
    pub organization_id: i64,
    pub organization_name: String,
    pub province_code: String,
    pub commune_code: String,
    /// first_time, upgrade or reevaluation (Form 01)
    pub kind: String,
    /// draft, submitted, returned, commune_checked, in_round, scored, forwarded, recognized, not_recognized
    pub state: String,
    /// Form 02: {"answers": {...}, "evidence": {"1.1": "..."}}
    #[schema(value_type = Object)]
    pub self_assessment: serde_json::Value,
    /// Form 03
    #[schema(value_type = Option<Object>)]
    pub commune_report: Option<serde_json::Value>,
    pub submitted_on: Option<NaiveDate>,
    /// The commune checks within 15 working days of submission.
    pub commune_due_on: Option<NaiveDate>,
    pub return_reason: Option<String>,
    pub return_due_on: Option<NaiveDate>,
    pub round_id: Option<i64>,
    /// Members who handed in their sheets, of the council's size.
    pub sheets_done: usize,
    pub council_size: usize,
    /// The consolidated result (as `POST /api/v1/criteria-sets/{n}/score` answers).
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    pub total: Option<f64>,
    pub stars: Option<i32>,
    pub certificate_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

fn dossier_view(d: Dossier, progress: (usize, usize)) -> DossierView {
    DossierView {
        id: d.id,
        product_id: d.product_id,
        product_name: d.product_name,
        product_code: d.product_code,
        criteria_set: d.criteria_set,
        organization_id: d.organization_id,
        organization_name: d.organization_name,
        province_code: d.province_code,
        commune_code: d.commune_code,
        kind: d.kind.as_str().into(),
        state: d.state.as_str().into(),
        self_assessment: d.self_assessment,
        commune_report: d.commune_report,
        submitted_on: d.submitted_on,
        commune_due_on: d.commune_due_on,
        return_reason: d.return_reason,
        return_due_on: d.return_due_on,
        round_id: d.round_id,
        sheets_done: progress.0,
        council_size: progress.1,
        result: d.result,
        total: d.total,
        stars: d.stars,
        certificate_id: d.certificate_id,
        updated_at: d.updated_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ScoreSheetView {
    pub user_id: i64,
    pub user_name: String,
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    pub notes: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<ScoreSheet> for ScoreSheetView {
    fn from(s: ScoreSheet) -> Self {
        ScoreSheetView {
            user_id: s.user_id,
            user_name: s.user_name,
            answers: s.answers,
            notes: s.notes,
            submitted_at: s.submitted_at,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDossierInput {
    pub product_id: i64,
    /// first_time, upgrade or reevaluation
    pub kind: String,
    /// Form 02, may be partial until submission.
    #[schema(value_type = Object)]
    #[serde(default)]
    pub self_assessment: Option<serde_json::Value>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DossierQuery {
    pub state: Option<String>,
    pub round_id: Option<i64>,
    pub product_id: Option<i64>,
    /// At most this many (default 100, at most 1,000).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

/// A page of dossiers and how many there are in all.
#[derive(Serialize, ToSchema)]
pub struct DossierPage {
    pub items: Vec<DossierView>,
    pub total: i64,
}

/// A step on a dossier; each step reads the fields it needs.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// return: what is missing.
    pub reason: Option<String>,
    /// return: YYYY-MM-DD the evidence is due.
    pub due_on: Option<NaiveDate>,
    /// commune-check: Form 03 {local_origin, raw_materials, local_labour, idea_origin, notes}.
    #[schema(value_type = Option<Object>)]
    pub report: Option<serde_json::Map<String, serde_json::Value>>,
    /// assign: the round.
    pub round_id: Option<i64>,
    /// consolidate: the set's disqualification conditions the council found (0-based).
    pub disqualified_if: Option<Vec<usize>>,
    /// recognize: the decision's number and date.
    pub decision_number: Option<String>,
    pub decided_on: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetBody {
    /// Criterion code → answer, as in `POST /api/v1/criteria-sets/{n}/score`'s members.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    pub notes: Option<String>,
    /// Hand the sheet in (it then no longer changes); false saves a draft.
    #[serde(default)]
    pub submit: bool,
}

/// Names a round's council.
#[utoipa::path(post, path = "/api/v1/rounds", tag = "evaluation", request_body = NewRoundInput, security(("bearer" = [])),
    responses((status = 201, body = RoundView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_round(
    State(state): State<AppState>,
    c: ApiUser,
    ApiJson(b): ApiJson<NewRoundInput>,
) -> Result<(StatusCode, Json<RoundView>), ApiError> {
    let members = b
        .members
        .iter()
        .map(|s| {
            s.role
                .parse::<CouncilRole>()
                .map(|r| (s.user_id, r))
                .map_err(|e| unprocessable("members", "invalid_role", e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let r = rounds::create(
        &*state.store,
        caller(&c),
        b.central,
        &b.name,
        b.held_by,
        members,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[utoipa::path(get, path = "/api/v1/rounds", tag = "evaluation", security(("bearer" = [])),
    responses((status = 200, body = Vec<RoundView>), (status = 403, body = crate::error::Problem)))]
pub async fn list_rounds(
    State(state): State<AppState>,
    c: ApiUser,
) -> Result<Json<Vec<RoundView>>, ApiError> {
    Ok(Json(
        rounds::list(&*state.store, &c.actor)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "evaluation", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = RoundView), (status = 404, body = crate::error::Problem)))]
pub async fn get_round(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoundView>, ApiError> {
    Ok(Json(rounds::get(&*state.store, &c.actor, id).await?.into()))
}

async fn view(state: &AppState, seen: Seen) -> Result<DossierView, ApiError> {
    let progress = dossiers::progress(&*state.store, &seen).await?;
    Ok(dossier_view(seen.dossier, progress))
}

/// Opens a dossier (Form 01) with its self-assessment (Form 02) as a draft.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "evaluation", request_body = NewDossierInput, security(("bearer" = [])),
    responses((status = 201, body = DossierView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_dossier(
    State(state): State<AppState>,
    c: ApiUser,
    ApiJson(b): ApiJson<NewDossierInput>,
) -> Result<(StatusCode, Json<DossierView>), ApiError> {
    let kind: DossierKind = b
        .kind
        .parse()
        .map_err(|e: ocop_domain::named::UnknownName| {
            unprocessable("kind", "invalid_dossier_kind", e.to_string())
        })?;
    let form = b
        .self_assessment
        .unwrap_or_else(|| serde_json::json!({"answers": {}, "evidence": {}}));
    let d = dossiers::create(
        &*state.store,
        caller(&c).by(),
        b.product_id,
        kind,
        form,
        today_in_vietnam(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(dossier_view(d, (0, 0)))))
}

/// The dossiers the caller reaches (or, for evaluators, those of their rounds), newest first.
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "evaluation", params(DossierQuery), security(("bearer" = [])),
    responses((status = 200, body = DossierPage), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn list_dossiers(
    State(state): State<AppState>,
    c: ApiUser,
    ApiQuery(q): ApiQuery<DossierQuery>,
) -> Result<Json<DossierPage>, ApiError> {
    let state_filter = match q.state.as_deref() {
        Some(s) => Some(
            s.parse::<DossierState>()
                .map_err(|e| unprocessable("state", "invalid_state", e.to_string()))?,
        ),
        None => None,
    };
    let filter = DossierFilter {
        round_id: q.round_id,
        product_id: q.product_id,
        state: state_filter,
        limit: Some(q.limit.unwrap_or(100).clamp(1, 1_000)),
        offset: q.offset.unwrap_or(0).max(0),
        ..Default::default()
    };
    let (list, total) = dossiers::list(&*state.store, &c.actor, filter).await?;
    Ok(Json(DossierPage {
        items: list.into_iter().map(|(d, p)| dossier_view(d, p)).collect(),
        total,
    }))
}

#[utoipa::path(get, path = "/api/v1/dossiers/{id}", tag = "evaluation", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = DossierView), (status = 404, body = crate::error::Problem)))]
pub async fn get_dossier(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DossierView>, ApiError> {
    let seen = dossiers::seen(&*state.store, &c.actor, id).await?;
    Ok(Json(view(&state, seen).await?))
}

/// Saves Form 02 while the dossier is a draft or returned.
#[utoipa::path(put, path = "/api/v1/dossiers/{id}/self-assessment", tag = "evaluation", params(("id" = i64, Path)), request_body(content = Object),
    security(("bearer" = [])),
    responses((status = 200, body = DossierView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_self_assessment(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<serde_json::Value>,
) -> Result<Json<DossierView>, ApiError> {
    let d = dossiers::update_form(&*state.store, caller(&c), id, form).await?;
    Ok(Json(dossier_view(d, (0, 0))))
}

fn required<T>(v: Option<T>, field: &'static str, what: &str) -> Result<T, ApiError> {
    v.ok_or_else(|| unprocessable(field, "required", format!("{what} is required")).into())
}

/// Takes one step: submit, commune-check, return, assign, consolidate, forward, recognize or decline.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/{step}", tag = "evaluation",
    params(("id" = i64, Path), ("step" = String, Path, description = "submit, commune-check, return, assign, consolidate, forward, recognize or decline")),
    request_body = StepBody, security(("bearer" = [])),
    responses((status = 200, body = DossierView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn take_step(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath((id, step)): ApiPath<(i64, String)>,
    body: axum::body::Bytes,
) -> Result<Json<DossierView>, ApiError> {
    // Steps such as submit or forward carry nothing: an empty body is an empty step.
    let b: StepBody = if body.iter().all(u8::is_ascii_whitespace) {
        StepBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            crate::error::bad_request(
                "invalid_body",
                format!("the body is not a step's JSON: {e}"),
            )
        })?
    };
    let input = match step.as_str() {
        "submit" => StepInput::Submit,
        "commune-check" => {
            StepInput::CommuneCheck(required(b.report, "report", "Form 03 (report)")?)
        }
        "return" => StepInput::Return {
            reason: required(b.reason, "reason", "the reason")?,
            due_on: required(b.due_on, "due_on", "the due date")?,
        },
        "assign" => StepInput::Assign {
            round_id: required(b.round_id, "round_id", "the round")?,
        },
        "consolidate" => StepInput::Consolidate {
            disqualified_if: b.disqualified_if.unwrap_or_default(),
        },
        "forward" => StepInput::Forward,
        "recognize" => StepInput::Recognize {
            decision_number: required(b.decision_number, "decision_number", "the decision number")?,
            decided_on: required(b.decided_on, "decided_on", "the decision date")?,
        },
        "decline" => StepInput::Decline,
        _ => return Err(crate::error::not_found("step").into()),
    };
    dossiers::step(&*state.store, caller(&c), id, input, today_in_vietnam()).await?;
    let seen = dossiers::seen(&*state.store, &c.actor, id).await?;
    Ok(Json(view(&state, seen).await?))
}

/// The caller's own score sheet: saved as a draft, or handed in with `submit`.
#[utoipa::path(put, path = "/api/v1/dossiers/{id}/score-sheet", tag = "evaluation", params(("id" = i64, Path)), request_body = SheetBody, security(("bearer" = [])),
    responses((status = 200, body = ScoreSheetView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_sheet(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<SheetBody>,
) -> Result<Json<ScoreSheetView>, ApiError> {
    let s =
        dossiers::save_sheet(&*state.store, caller(&c), id, b.answers, b.notes, b.submit).await?;
    Ok(Json(s.into()))
}

/// The sheets of the dossier's round the caller may read (a member: their own).
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/score-sheets", tag = "evaluation", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<ScoreSheetView>), (status = 404, body = crate::error::Problem)))]
pub async fn list_sheets(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ScoreSheetView>>, ApiError> {
    let seen = dossiers::seen(&*state.store, &c.actor, id).await?;
    Ok(Json(
        dossiers::sheets(&*state.store, &c.actor, &seen)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct RankedView {
    /// 1, 2, … for ranked dossiers; null for stopped or disqualified ones.
    pub rank: Option<usize>,
    pub dossier_id: i64,
    pub product_name: String,
    pub organization_name: String,
    pub state: String,
    pub total: Option<f64>,
    pub stars: Option<i32>,
    /// "province", "central" or null (no recognition).
    pub recognized_by: Option<String>,
}

/// The round's consolidated dossiers, ranked by mean total (stopped or disqualified last, unranked).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/ranking", tag = "evaluation", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<RankedView>), (status = 404, body = crate::error::Problem)))]
pub async fn round_ranking(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RankedView>>, ApiError> {
    let list = rounds::ranking(&*state.store, &c.actor, id).await?;
    let mut rank = 0;
    Ok(Json(
        list.into_iter()
            .map(|d| {
                let ranked = d.stars.is_some();
                rank += usize::from(ranked);
                RankedView {
                    rank: ranked.then_some(rank),
                    dossier_id: d.id,
                    recognized_by: d
                        .result
                        .as_ref()
                        .and_then(|r| r["recognized_by"].as_str().map(str::to_string)),
                    product_name: d.product_name,
                    organization_name: d.organization_name,
                    state: d.state.as_str().into(),
                    total: d.total,
                    stars: d.stars,
                }
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    /// The criterion the file supports, e.g. "1.2".
    pub criterion: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    /// Where to download it (with the same token).
    pub url: String,
}

impl From<ocop_store::Evidence> for EvidenceView {
    fn from(e: ocop_store::Evidence) -> Self {
        EvidenceView {
            url: format!("/api/v1/dossiers/{}/evidence/{}", e.dossier_id, e.id),
            id: e.id,
            criterion: e.criterion,
            file_name: e.file_name,
            content_type: e.content_type,
            size_bytes: e.size_bytes,
            sha256: e.sha256,
            created_at: e.created_at,
        }
    }
}

/// Attaches a file (PDF, JPEG, PNG or WebP, at most 10 MB) as evidence for one criterion of
/// Form 02: multipart fields `criterion` and `file`.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/evidence", tag = "evaluation", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = Object), security(("bearer" = [])),
    responses((status = 201, body = EvidenceView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn attach_evidence(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: axum::extract::Multipart,
) -> Result<(StatusCode, Json<EvidenceView>), ApiError> {
    let upload = crate::registry::documents::read_upload(form).await?;
    let e =
        crate::evaluation::evidence::attach(&*state.store, &state.files, caller(&c), id, upload)
            .await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// The evidence attached to a dossier's Form 02.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/evidence", tag = "evaluation", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<EvidenceView>), (status = 404, body = crate::error::Problem)))]
pub async fn list_evidence(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<EvidenceView>>, ApiError> {
    let list = crate::evaluation::evidence::list(&*state.store, &c.actor, id).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Downloads one evidence file.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/evidence/{evidence_id}", tag = "evaluation", params(("id" = i64, Path), ("evidence_id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = crate::error::Problem)))]
pub async fn download_evidence(
    State(state): State<AppState>,
    c: ApiUser,
    ApiPath((id, evidence_id)): ApiPath<(i64, i64)>,
) -> Result<axum::response::Response, ApiError> {
    let (e, bytes) =
        crate::evaluation::evidence::fetch(&*state.store, &state.files, &c.actor, id, evidence_id)
            .await?;
    Ok(crate::registry::documents::download_file(
        &e.file_name,
        &e.content_type,
        bytes,
    ))
}
