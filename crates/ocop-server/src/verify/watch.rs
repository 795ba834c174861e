//! What the office and producers watch: alerts, shoppers' reports and recalls. One path for
//! the API and the web pages.
//!
//! Scope follows the register: a producer its own organization's products, an officer its
//! commune's, admins and inspectors their province's, central users everything. Council
//! members (evaluators) watch nothing here.

use crate::app::AppState;
use crate::error::{forbidden, not_found, unprocessable, Problem};
use crate::registry::products::visible;
use crate::users::Requester;
use ocop_domain::{Actor, Role};
use ocop_store::{Alert, Lot, NewReport, Report, WatchFilter};

const LIST_LIMIT: i64 = 200;

/// The alerts and reports an actor watches.
pub fn filter(actor: &Actor) -> Result<WatchFilter, Problem> {
    let mut f = WatchFilter {
        limit: LIST_LIMIT,
        ..Default::default()
    };
    match actor.role {
        Role::Central => {}
        Role::Admin | Role::Inspector | Role::Officer => {
            f.province = actor.province.as_ref().map(|p| p.to_string());
            f.commune = actor.commune.as_ref().map(|c| c.to_string());
            if f.province.is_none() && f.commune.is_none() {
                return Err(forbidden("your account has no locality to watch"));
            }
        }
        Role::Producer => {
            f.organization_id = Some(actor.organization_id.unwrap_or(-1));
        }
        Role::Evaluator => {
            return Err(forbidden(
                "council members do not watch scans, alerts or reports",
            ))
        }
    }
    Ok(f)
}

pub fn alert_state(s: &str) -> Result<String, Problem> {
    match s.trim() {
        "new" | "seen" | "closed" => Ok(s.trim().to_string()),
        other => Err(unprocessable(
            "state",
            "invalid_state",
            format!("`{other}` is not an alert state: use new, seen or closed"),
        )),
    }
}

/// Changes an alert the actor watches; others are "not found".
pub async fn set_alert_state(
    state: &AppState,
    by: Requester<'_>,
    actor: &Actor,
    id: i64,
    new_state: &str,
) -> Result<Alert, Problem> {
    let new_state = alert_state(new_state)?;
    let alert = state
        .store
        .alert(id)
        .await?
        .ok_or_else(|| not_found("alert"))?;
    if !watches(
        state,
        by,
        actor,
        alert.product_id,
        alert.province_code.as_deref(),
    )
    .await?
    {
        return Err(not_found("alert"));
    }
    let audit = by.audit(
        "alert_state_changed",
        alert
            .province_code
            .as_deref()
            .and_then(|p| p.parse().ok())
            .as_ref(),
        serde_json::json!({"alert": id, "kind": alert.kind, "from": alert.state, "to": new_state}),
    );
    Ok(state.store.set_alert_state(id, &new_state, &audit).await?)
}

/// A report the actor watches; others are "not found".
pub async fn watched_report(
    state: &AppState,
    by: Requester<'_>,
    actor: &Actor,
    id: i64,
) -> Result<Report, Problem> {
    let report = state
        .store
        .report(id)
        .await?
        .ok_or_else(|| not_found("report"))?;
    if watches(
        state,
        by,
        actor,
        report.product_id,
        report.province_code.as_deref(),
    )
    .await?
    {
        Ok(report)
    } else {
        Err(not_found("report"))
    }
}

/// Whether an alert or report of this product and province is in the actor's watch: the
/// product within the actor's reach, and the province its own. Those without a product
/// (codes that are not ours) belong to central users.
async fn watches(
    state: &AppState,
    by: Requester<'_>,
    actor: &Actor,
    product_id: Option<i64>,
    province_code: Option<&str>,
) -> Result<bool, Problem> {
    let watched = filter(actor)?;
    let mine = match product_id {
        Some(p) => visible(&*state.store, by, p).await.is_ok(),
        None => actor.role == Role::Central,
    };
    Ok(mine
        && watched
            .province
            .as_deref()
            .is_none_or(|p| province_code == Some(p)))
}

/// Recalls a lot of a product the actor reaches: its producer, the commune officer, the
/// province's admins and inspectors, central users.
pub async fn recall(
    state: &AppState,
    by: Requester<'_>,
    actor: &Actor,
    lot_id: i64,
    reason: &str,
) -> Result<Lot, Problem> {
    let lot = state
        .store
        .lot(lot_id)
        .await?
        .ok_or_else(|| not_found("lot"))?;
    let product = visible(&*state.store, by, lot.product_id)
        .await
        .map_err(|e| if e.status == 404 { not_found("lot") } else { e })?;
    if !actor.may(ocop_domain::access::Capability::RecallLots) {
        return Err(forbidden("council members cannot recall lots"));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(unprocessable(
            "reason",
            "recall_reason_missing",
            "give the grounds of the recall (at most 500 characters): shoppers will read them",
        ));
    }
    if lot.recalled_at.is_some() {
        return Err(crate::error::conflict(
            "lot_already_recalled",
            "this lot is already recalled",
        ));
    }
    let audit = by.audit(
        "lot_recalled",
        product.province_code.parse().ok().as_ref(),
        serde_json::json!({"product": product.code, "lot": lot.code, "reason": reason}),
    );
    let lot = state.store.recall_lot(lot_id, reason, &audit).await?;
    state.verifier.forget_cards();
    Ok(lot)
}

/// A shopper's report of a suspected fake.
pub struct ReportInput {
    pub code: String,
    pub what: String,
    pub place: Option<String>,
    pub contact: Option<String>,
    /// Bytes of a photo (JPEG, PNG or WebP), already read within the upload limit.
    pub photo: Option<Vec<u8>>,
}

fn optional(v: Option<String>, max: usize, field: &'static str) -> Result<Option<String>, Problem> {
    match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(unprocessable(
            field,
            "too_long",
            format!("{field} is longer than {max} characters"),
        )),
        other => Ok(other),
    }
}

/// The caller checks the public rate limit first (`Limits::allow_public`), before it reads
/// the body: an upload of 10 MB should not be read only to be refused.
pub async fn report(state: &AppState, input: ReportInput) -> Result<Report, Problem> {
    let what = input.what.trim();
    // 1,000 like every text field of an upload form (`read_upload`), so both paths agree.
    if what.is_empty() || what.chars().count() > 1000 {
        return Err(unprocessable(
            "what",
            "report_what_missing",
            "say what looks wrong (at most 1,000 characters)",
        ));
    }
    let code: String = input.code.trim().chars().take(40).collect();
    if code.is_empty() {
        return Err(unprocessable(
            "code",
            "report_code_missing",
            "give the code on the stamp (as printed or scanned)",
        ));
    }
    // The report is about whatever the code turns out to be; a fake is reported too.
    let found = state
        .verifier
        .find(
            &code,
            &state.config.thresholds,
            crate::present::today_in_vietnam(),
        )
        .await?;
    let (photo_hash, photo_type) = match input.photo.filter(|b| !b.is_empty()) {
        Some(bytes) => {
            let kind = ocop_domain::documents::sniff(&bytes)
                .map_err(|e| unprocessable("photo", "invalid_photo", e.to_string()))?;
            if kind == "application/pdf" {
                return Err(unprocessable(
                    "photo",
                    "invalid_photo",
                    "the photo must be a JPEG, PNG or WebP picture",
                ));
            }
            let sha = state
                .files
                .put(crate::files::Area::Documents, bytes)
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "report photo not stored");
                    crate::error::internal()
                })?;
            (Some(sha), Some(kind.to_string()))
        }
        None => (None, None),
    };
    let new = NewReport {
        code,
        serial: found.serial,
        product_id: found.product_id(),
        province_code: found.card.as_ref().map(|c| c.product.province_code.clone()),
        what: what.to_string(),
        place: optional(input.place, 200, "place")?,
        contact: optional(input.contact, 200, "contact")?,
        photo_hash,
        photo_type,
    };
    Ok(state.store.create_report(&new).await?)
}
