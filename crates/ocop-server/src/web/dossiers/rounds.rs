//! `/rounds`: councils' rounds, and a form for the office to name one with its council;
//! `/rounds/{id}`: its members and its dossiers with their progress.

use super::{caller, field, refusal, state_label, with_status, DoneQuery, Refusal};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, Problem, WebError};
use crate::evaluation::{dossiers, rounds};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::registry_common::{choices, Choice};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::evaluation::{may_name_council, may_sit, runs_rounds, CouncilRole, DossierState};
use ocop_store::{DossierFilter, Round, UserFilter};

/// Council seats offered by the form; empty rows are left out.
const SEATS: usize = 7;

pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub level: &'static str,
    pub held_by: String,
    pub members: usize,
}

/// One seat of the form: the user and the council role, as typed.
pub struct SeatRow {
    pub index: usize,
    pub users: Vec<Choice>,
    pub roles: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    tr: Tr,
    nav: Nav,
    rows: Vec<RoundRow>,
    can_create: bool,
    /// Central users name central rounds.
    offer_central: bool,
    name: String,
    held_by: String,
    central: bool,
    seats: Vec<SeatRow>,
    error: Option<Refusal>,
}

fn level(tr: Tr, r: &Round) -> &'static str {
    tr.t(if r.is_central() {
        "round.level.central"
    } else {
        "round.level.province"
    })
}

/// The users who may sit on the viewer's councils: the province's evaluators and office
/// (the whole country's for central users).
async fn eligible(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
) -> Result<Vec<(String, String)>, WebError> {
    let filter = UserFilter {
        province: me.actor.province.clone(),
    };
    Ok(state
        .store
        .users(&filter)
        .await?
        .into_iter()
        .filter(|u| {
            let round = me.actor.province.as_ref().map(|p| p.as_str());
            !u.disabled && may_sit(u.role, u.province_code.as_deref(), round)
        })
        .map(|u| {
            (
                u.id.to_string(),
                format!("{} ({}, {})", u.name, u.email, tr.role(&u.role)),
            )
        })
        .collect())
}

async fn page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    pairs: &[(String, String)],
) -> Result<RoundsPage, WebError> {
    let list = rounds::list(&*state.store, &me.actor).await?;
    let can_create = runs_rounds(me.actor.role);
    let users = if can_create {
        eligible(state, me, tr).await?
    } else {
        Vec::new()
    };
    let fresh = pairs.is_empty();
    let seats = (0..SEATS)
        .map(|i| {
            let role = match field(pairs, &format!("role_{i}")) {
                "" if fresh => match i {
                    0 => "chair",
                    1 => "secretary",
                    _ => "member",
                },
                r => r,
            };
            SeatRow {
                index: i,
                users: choices(users.clone(), field(pairs, &format!("user_{i}"))),
                roles: choices(
                    [
                        CouncilRole::Chair,
                        CouncilRole::Secretary,
                        CouncilRole::Member,
                    ]
                    .map(|r| (r.as_str(), tr.t(&format!("round.role.{}", r.as_str())))),
                    role,
                ),
            }
        })
        .collect();
    Ok(RoundsPage {
        tr,
        nav: Nav::for_user(me, "/rounds"),
        rows: list
            .iter()
            .map(|r| RoundRow {
                id: r.id,
                name: r.name.clone(),
                level: level(tr, r),
                held_by: present::date(r.held_by),
                members: r.members.len(),
            })
            .collect(),
        can_create,
        offer_central: may_name_council(me.actor.role, true),
        name: field(pairs, "name").to_string(),
        held_by: field(pairs, "held_by").to_string(),
        central: if fresh {
            may_name_council(me.actor.role, true)
        } else {
            !field(pairs, "central").is_empty()
        },
        seats,
        error: None,
    })
}

pub async fn list(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    Ok(render(&page(&state, &me, Tr(lang), &[]).await?))
}

fn council(pairs: &[(String, String)]) -> Result<Vec<(i64, CouncilRole)>, Problem> {
    let mut out = Vec::new();
    for i in 0..SEATS {
        let user = field(pairs, &format!("user_{i}")).trim();
        if user.is_empty() {
            continue;
        }
        let id = user
            .parse()
            .map_err(|_| unprocessable("members", "unknown_reference", "choose a user"))?;
        let role = field(pairs, &format!("role_{i}"))
            .parse::<CouncilRole>()
            .map_err(|e| unprocessable("members", "invalid_role", e.to_string()))?;
        out.push((id, role));
    }
    Ok(out)
}

pub async fn create(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let central = !field(&pairs, "central").is_empty();
    let result = async {
        let held_by =
            crate::registry::date(&Some(field(&pairs, "held_by").to_string()), "held_by")?
                .ok_or_else(|| unprocessable("held_by", "required", "held_by is required"))?;
        let members = council(&pairs)?;
        rounds::create(
            &*state.store,
            caller(&me),
            central,
            field(&pairs, "name"),
            held_by,
            members,
        )
        .await
    }
    .await;
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/rounds/{}?done=created", r.id)).into_response()),
        Err(p) => {
            let error = refusal(tr, "round", p)?;
            let status = error.status;
            let mut page = page(&state, &me, tr, &pairs).await?;
            page.error = Some(error);
            Ok(with_status(render(&page), Some(status)))
        }
    }
}

pub struct MemberRow {
    pub name: String,
    pub role: &'static str,
}

pub struct DossierRow {
    pub id: i64,
    pub product: String,
    pub producer: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub progress: String,
    /// The viewer sits on this council and the dossier waits for sheets.
    pub sheet: bool,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    tr: Tr,
    nav: Nav,
    round: Round,
    level: &'static str,
    held_by: String,
    members: Vec<MemberRow>,
    dossiers: Vec<DossierRow>,
    /// Consolidated dossiers by mean total (rank `None`: stopped or disqualified).
    ranking: Vec<RankRow>,
    notice: Option<&'static str>,
}

struct RankRow {
    rank: Option<usize>,
    id: i64,
    product: String,
    total: String,
    stars: String,
}

pub async fn show(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let round = rounds::get(&*state.store, &me.actor, id).await?;
    let member = round.seat(me.actor.user_id).is_some();
    let filter = DossierFilter {
        round_id: Some(id),
        ..Default::default()
    };
    let dossiers = dossiers::list(&*state.store, &me.actor, filter)
        .await?
        .0
        .into_iter()
        .map(|(d, (done, size))| DossierRow {
            id: d.id,
            sheet: member && d.state == DossierState::InRound,
            progress: format!("{done}/{size}"),
            product: d.product_name,
            producer: d.organization_name,
            state: d.state.as_str(),
            state_label: state_label(tr, d.state),
        })
        .collect();
    let mut rank = 0;
    let ranking = rounds::ranking(&*state.store, &me.actor, id)
        .await?
        .into_iter()
        .map(|d| {
            rank += usize::from(d.stars.is_some());
            RankRow {
                rank: d.stars.is_some().then_some(rank),
                id: d.id,
                product: d.product_name,
                total: d
                    .total
                    .map(|t| format!("{t:.2}").replace('.', ","))
                    .unwrap_or_default(),
                stars: d
                    .stars
                    .map(|s| "★".repeat(usize::try_from(s).unwrap_or(0)))
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(render(&RoundPage {
        tr,
        ranking,
        nav: Nav::for_user(&me, &format!("/rounds/{id}")),
        level: level(tr, &round),
        held_by: present::date(round.held_by),
        members: round
            .members
            .iter()
            .map(|s| MemberRow {
                name: s.name.clone(),
                role: tr.t(&format!("round.role.{}", s.role.as_str())),
            })
            .collect(),
        dossiers,
        notice: q.notice(tr, "round"),
        round,
    }))
}

/// The ranking as a spreadsheet for the council's minutes (`.xlsx`, or `.csv`).
pub async fn ranking_sheet(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(file): Path<(i64, String)>,
) -> Result<Response, WebError> {
    use ocop_sheets::{Column, Table};
    let (id, format) = file;
    let tr = Tr(lang);
    let list = rounds::ranking(&*state.store, &me.actor, id).await?;
    let columns = vec![
        Column::optional("rank", "Thứ hạng"),
        Column::optional("product", "Sản phẩm"),
        Column::optional("product_code", "Mã sản phẩm"),
        Column::optional("producer", "Chủ thể"),
        Column::optional("total", "Điểm trung bình"),
        Column::optional("stars", "Hạng sao"),
        Column::optional("recognized_by", "Cấp công nhận"),
        Column::optional("state", "Trạng thái hồ sơ"),
    ];
    let mut rank = 0;
    let rows = list
        .into_iter()
        .map(|d| {
            let ranked = d.stars.is_some();
            rank += usize::from(ranked);
            let by = d
                .result
                .as_ref()
                .and_then(|r| r["recognized_by"].as_str())
                .unwrap_or("");
            vec![
                if ranked {
                    rank.to_string()
                } else {
                    tr.t("round.not_ranked").to_string()
                },
                d.product_name,
                d.product_code,
                d.organization_name,
                d.total.map(|t| format!("{t:.2}")).unwrap_or_default(),
                d.stars.map(|s| s.to_string()).unwrap_or_default(),
                match by {
                    "central" => "Trung ương".to_string(),
                    "province" => "Tỉnh".to_string(),
                    _ => String::new(),
                },
                state_label(tr, d.state).to_string(),
            ]
        })
        .collect();
    let table = Table { columns, rows };
    Ok(crate::api::sheets::sheet_response(
        &table,
        &format!("xep-hang-dot-{id}"),
        Some(format.as_str()),
    )?)
}
