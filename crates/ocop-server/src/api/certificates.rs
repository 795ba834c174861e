//! `/api/v1/products/{id}/certificates`: OCOP certificates a product holds, recorded from their
//! recognition decisions (for products certified before this system).

use super::extract::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{conflict, forbidden, unprocessable, ApiError};
use crate::registry::products::visible;
use crate::users::Requester;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use ocop_store::{Certificate, NewCertificate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CertificateView {
    pub id: i64,
    pub product_id: i64,
    pub number: String,
    pub stars: i32,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub revoked_on: Option<NaiveDate>,
    /// Whether its stars show today.
    pub valid: bool,
}

impl From<Certificate> for CertificateView {
    fn from(c: Certificate) -> Self {
        let today = crate::present::today_in_vietnam();
        CertificateView {
            valid: c.shows_stars(today),
            id: c.id,
            product_id: c.product_id,
            number: c.number,
            stars: c.stars,
            decision_number: c.decision_number,
            decided_on: c.decided_on,
            expires_on: c.expires_on,
            revoked_on: c.revoked_on,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCertificate {
    /// The certificate number as printed.
    pub number: String,
    /// 3, 4 or 5 (5 only by central users).
    pub stars: i32,
    /// The recognition decision, e.g. "1234/QĐ-UBND".
    pub decision_number: String,
    /// YYYY-MM-DD
    pub decided_on: NaiveDate,
    /// YYYY-MM-DD; default 36 months after the decision.
    pub expires_on: Option<NaiveDate>,
}

fn requester(caller: &ApiUser) -> Requester<'_> {
    Requester::Actor(&caller.actor, &caller.user.email)
}

/// Records a certificate from its recognition decision.
#[utoipa::path(post, path = "/api/v1/products/{id}/certificates", tag = "registry", params(("id" = i64, Path)), request_body = RecordCertificate, security(("bearer" = [])),
    responses((status = 201, body = CertificateView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn record_certificate(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RecordCertificate>,
) -> Result<(StatusCode, Json<CertificateView>), ApiError> {
    let product = visible(&*state.store, requester(&caller), id).await?;
    let place = crate::registry::place(&product.province_code, &product.commune_code);
    ocop_domain::certificate::may_record(&caller.actor, body.stars, &place).map_err(
        |e| match e {
            ocop_domain::certificate::CertificateRefused::Stars => {
                unprocessable("stars", "invalid_stars", e.to_string())
            }
            other => forbidden(other.to_string()),
        },
    )?;
    let number = body.number.trim().to_string();
    let decision_number = body.decision_number.trim().to_string();
    if number.is_empty() || number.chars().count() > 100 {
        return Err(unprocessable(
            "number",
            "required",
            "the certificate number is required (at most 100 characters)",
        )
        .into());
    }
    if decision_number.is_empty() || decision_number.chars().count() > 100 {
        return Err(unprocessable(
            "decision_number",
            "required",
            "the decision number is required (at most 100 characters)",
        )
        .into());
    }
    let expires_on = body
        .expires_on
        .unwrap_or_else(|| ocop_domain::certificate::expiry(body.decided_on));
    if expires_on <= body.decided_on {
        return Err(unprocessable(
            "expires_on",
            "invalid_date",
            "the certificate must expire after its decision",
        )
        .into());
    }
    let new = NewCertificate {
        product_id: id,
        number,
        stars: body.stars,
        decision_number,
        decided_on: body.decided_on,
        expires_on,
        recorded_by: Some(caller.actor.user_id),
    };
    let audit = requester(&caller).audit(
        "certificate_recorded",
        product.province_code.parse().ok().as_ref(),
        serde_json::json!({"product": product.code, "number": new.number, "stars": new.stars, "decision": new.decision_number}),
    );
    let c = state
        .store
        .record_certificate(&new, &audit)
        .await
        .map_err(|e| match e {
            ocop_store::StoreError::Conflict(_) => conflict(
                "certificate_number_taken",
                "a certificate with this number is already recorded",
            )
            .with_field("number"),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// The certificates of a product, newest first.
#[utoipa::path(get, path = "/api/v1/products/{id}/certificates", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<CertificateView>), (status = 404, body = crate::error::Problem)))]
pub async fn list_certificates(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CertificateView>>, ApiError> {
    visible(&*state.store, requester(&caller), id).await?;
    Ok(Json(
        state
            .store
            .certificates(id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// The grounds of the revocation decision (falsified dossier, criteria no longer met, …).
    pub grounds: String,
    /// YYYY-MM-DD; today by default.
    pub revoked_on: Option<NaiveDate>,
}

/// Revokes a certificate: its stars disappear from every public page at once.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revocation", tag = "evaluation", params(("id" = i64, Path)), request_body = Revocation, security(("bearer" = [])),
    responses((status = 200, body = CertificateView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn revoke_certificate(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Revocation>,
) -> Result<Json<CertificateView>, ApiError> {
    let on = body
        .revoked_on
        .unwrap_or_else(crate::present::today_in_vietnam);
    let who = super::cycles::caller(&caller);
    let c =
        crate::evaluation::certificates::revoke(&*state.store, who, id, &body.grounds, on).await?;
    Ok(Json(c.into()))
}

#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    /// "expires_soon" (within 30 days) or "reevaluation_open" (180 to 120 days before expiry).
    pub notice: String,
    /// The re-evaluation window: file the new dossier between these days.
    pub reevaluation_from: NaiveDate,
    pub reevaluation_until: NaiveDate,
    pub certificate: CertificateView,
}

/// The certificate notices due today within the caller's reach (a producer's own, an officer's
/// commune, an office's province): expiring within 30 days, or in the re-evaluation window.
#[utoipa::path(get, path = "/api/v1/certificates/expiring", tag = "evaluation", security(("bearer" = [])),
    responses((status = 200, body = Vec<NoticeView>), (status = 403, body = crate::error::Problem)))]
pub async fn expiring_certificates(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<NoticeView>>, ApiError> {
    let today = crate::present::today_in_vietnam();
    let list =
        crate::evaluation::certificates::notices(&*state.store, &caller.actor, today).await?;
    Ok(Json(
        list.into_iter()
            .map(|(c, n)| {
                let (from, until) = ocop_domain::evaluation::reevaluation_window(c.expires_on);
                NoticeView {
                    notice: n.as_str().into(),
                    reevaluation_from: from,
                    reevaluation_until: until,
                    certificate: c.into(),
                }
            })
            .collect(),
    ))
}
