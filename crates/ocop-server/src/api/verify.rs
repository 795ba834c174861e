//! Public verification (`/api/v1/verify/{code}`, PIN checks, reports) and what the office and
//! producers learn from scans (alerts, reports, scans per day, recalls).

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{not_found, unprocessable, ApiError, Problem};
use crate::i18n::{Lang, Tr};
use crate::users::Requester;
use crate::verify::answer::{self, Consent, VerifyView};
use crate::verify::watch;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use ocop_domain::verify::{pin_confirms_genuine, PinOutcome, Verdict};
use ocop_store::{Alert, Report, ScanDay};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ConsentQuery {
    /// Latitude the shopper agreed to share (rounded to 0.1°).
    pub lat: Option<f64>,
    /// Longitude the shopper agreed to share (rounded to 0.1°).
    pub lon: Option<f64>,
}

/// Checks a stamp code. Malformed or unknown codes answer verdict `unknown`, not an error.
#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "verification", params(("code" = String, Path), ConsentQuery),
    responses((status = 200, body = VerifyView), (status = 429, body = crate::error::Problem)))]
pub async fn verify(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    lang: Lang,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ConsentQuery>,
) -> Result<Json<VerifyView>, ApiError> {
    let consent = Consent {
        latitude: q.lat,
        longitude: q.lon,
        link_gtin: None,
    };
    let f = answer::scan(&state, &code, peer.ip(), consent).await?;
    Ok(Json(VerifyView::of(&f, Tr(lang))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinBody {
    /// The 8 digits under the scratch-off layer.
    pub pin: String,
}

#[derive(Serialize, ToSchema)]
pub struct PinView {
    /// The stamp's verdict, as a scan answers it: the PIN's result is read beside it.
    pub verdict: &'static str,
    pub verdict_text: &'static str,
    /// Whether this answer tells the shopper the goods are genuine (a right PIN at its first
    /// check on a genuine stamp).
    pub genuine: bool,
    /// first_check, already_checked, wrong_pin, locked, or not_in_use (a void or never
    /// activated stamp, whose PIN proves nothing)
    pub result: &'static str,
    pub first_checked_at: Option<DateTime<Utc>>,
    /// Wrong tries left before the check locks (with wrong_pin).
    pub attempts_left: Option<i32>,
    pub text: &'static str,
}

/// Checks the PIN of a stamp: accepted once; later checks say when it was first used.
#[utoipa::path(post, path = "/api/v1/verify/{code}/pin", tag = "verification", params(("code" = String, Path)), request_body = PinBody,
    responses((status = 200, body = PinView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn check_pin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    lang: Lang,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<PinBody>,
) -> Result<Json<PinView>, ApiError> {
    let (verdict, outcome) = pin(&state, peer, &code, &body.pin).await?;
    Ok(Json(pin_view(verdict, outcome, Tr(lang))))
}

/// One PIN attempt, shared with the consumer page's form: the stamp's verdict and what its
/// PIN showed.
pub async fn pin(
    state: &AppState,
    peer: SocketAddr,
    code: &str,
    typed: &str,
) -> Result<(Verdict, PinOutcome), Problem> {
    if !state.limits.allow_public(peer.ip()) {
        return Err(crate::error::too_many_requests());
    }
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unprocessable(
            "pin",
            "invalid_pin",
            "the PIN is the 8 digits under the scratch-off layer",
        ));
    }
    let f = state
        .verifier
        .find(
            code,
            &state.config.thresholds,
            crate::present::today_in_vietnam(),
        )
        .await?;
    let (Some(serial), Some(card)) = (f.serial, &f.card) else {
        return Err(not_found("stamp"));
    };
    if f.verdict == Verdict::Unknown {
        return Err(not_found("stamp"));
    }
    let kid = u32::try_from(card.batch.kid).unwrap_or(0);
    let expected = state
        .codes
        .pin(kid, serial as u64)
        .map_err(|_| not_found("stamp"))?;
    let outcome = state
        .store
        .check_pin(serial, f.verdict, expected.matches(&digits), Utc::now())
        .await?;
    state.verifier.forget_activity(serial);
    let alert = match outcome {
        PinOutcome::AlreadyChecked { .. } => Some("pin_reused"),
        PinOutcome::Locked => Some("pin_locked"),
        _ => None,
    };
    if let Some(kind) = alert {
        let a = ocop_store::NewAlert {
            dedupe_key: format!("{kind}:{serial}"),
            kind,
            serial: Some(serial),
            product_id: Some(card.product.id),
            province_code: Some(card.product.province_code.clone()),
            details: serde_json::json!({}),
        };
        state.store.raise_alerts(&[a]).await?;
    }
    Ok((f.verdict, outcome))
}

pub fn pin_view(verdict: Verdict, outcome: PinOutcome, tr: Tr) -> PinView {
    let genuine = pin_confirms_genuine(verdict, &outcome);
    let (result, first, left) = match outcome {
        PinOutcome::FirstCheck => ("first_check", None, None),
        PinOutcome::AlreadyChecked { first_checked_at } => {
            ("already_checked", Some(first_checked_at), None)
        }
        PinOutcome::WrongPin { attempts_left } => ("wrong_pin", None, Some(attempts_left)),
        PinOutcome::Locked => ("locked", None, None),
        PinOutcome::NotInUse => ("not_in_use", None, None),
    };
    // A first check that does not confirm the goods is worded with the verdict it goes with.
    let text = match outcome {
        PinOutcome::NotInUse => format!("verify.pin.not_in_use.{}", verdict.as_str()),
        PinOutcome::FirstCheck if !genuine => {
            format!("verify.pin.first_check.{}", verdict.as_str())
        }
        _ => format!("verify.pin.{result}"),
    };
    PinView {
        verdict: verdict.as_str(),
        verdict_text: tr.t(&format!("verify.verdict.{}", verdict.as_str())),
        genuine,
        result,
        first_checked_at: first,
        attempts_left: left,
        text: tr.t(&text),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// The code on the suspect stamp (as printed or as scanned).
    pub code: String,
    /// What looks wrong.
    pub what: String,
    /// Where it was bought or seen.
    pub place: Option<String>,
    /// Phone or e-mail, if the shopper wants an answer.
    pub contact: Option<String>,
}

/// A shopper reports a suspected fake (no sign-in). Photos go through the consumer page's form.
#[utoipa::path(post, path = "/api/v1/reports", tag = "verification", request_body = ReportBody,
    responses((status = 201, body = Object), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn create_report(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    if !state.limits.allow_public(peer.ip()) {
        return Err(crate::error::too_many_requests().into());
    }
    let input = watch::ReportInput {
        code: body.code,
        what: body.what,
        place: body.place,
        contact: body.contact,
        photo: None,
    };
    let r = watch::report(&state, input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"id": r.id}))))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertQuery {
    /// new, seen or closed
    pub state: Option<String>,
}

/// Alerts the caller watches: a producer its own products', an officer its commune's,
/// admins and inspectors their province's, central users all.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "verification", params(AlertQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn list_alerts(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<AlertQuery>,
) -> Result<Json<Vec<Alert>>, ApiError> {
    let mut filter = watch::filter(&caller.actor)?;
    filter.state = q.state.map(|s| watch::alert_state(&s)).transpose()?;
    Ok(Json(state.store.alerts(&filter).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertChange {
    /// new, seen or closed
    pub state: String,
}

/// Marks an alert seen or closed (or new again).
#[utoipa::path(post, path = "/api/v1/alerts/{id}", tag = "verification", params(("id" = i64, Path)), request_body = AlertChange, security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn change_alert(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AlertChange>,
) -> Result<Json<Alert>, ApiError> {
    let by = Requester::Actor(&caller.actor, &caller.user.email);
    Ok(Json(
        watch::set_alert_state(&state, by, &caller.actor, id, &body.state).await?,
    ))
}

/// Shoppers' reports the caller watches (same scope as alerts).
#[utoipa::path(get, path = "/api/v1/reports", tag = "verification", security(("bearer" = [])),
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn list_reports(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<Report>>, ApiError> {
    let filter = watch::filter(&caller.actor)?;
    Ok(Json(state.store.reports(&filter).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// How many days back (1 to 366, default 30).
    pub days: Option<i64>,
}

/// Scans of a product per day (Vietnam time), with first scans apart from repeats.
#[utoipa::path(get, path = "/api/v1/products/{id}/scans", tag = "verification", params(("id" = i64, Path), DaysQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<Object>), (status = 404, body = crate::error::Problem)))]
pub async fn product_scans(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DaysQuery>,
) -> Result<Json<Vec<ScanDay>>, ApiError> {
    let by = Requester::Actor(&caller.actor, &caller.user.email);
    crate::stamps::product(&*state.store, by, id, false).await?;
    let days = q.days.unwrap_or(30).clamp(1, 366);
    Ok(Json(
        state
            .store
            .scan_days(id, Utc::now() - chrono::Duration::days(days))
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecallBody {
    /// The grounds, shown to shoppers who scan the lot's stamps.
    pub reason: String,
}

/// Recalls a lot: every stamp of it says "recalled" from now on (within a second everywhere).
#[utoipa::path(post, path = "/api/v1/lots/{id}/recall", tag = "stamps", params(("id" = i64, Path)), request_body = RecallBody, security(("bearer" = [])),
    responses((status = 200, body = super::stamps::LotView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn recall_lot(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RecallBody>,
) -> Result<Json<super::stamps::LotView>, ApiError> {
    let by = Requester::Actor(&caller.actor, &caller.user.email);
    let lot = watch::recall(&state, by, &caller.actor, id, &body.reason).await?;
    Ok(Json(lot.into()))
}
