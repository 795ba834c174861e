//! One scan from request to answer, shared by `/S/{code}` (HTML or JSON) and
//! `/api/v1/verify/{code}`: rate limit, find, record durably, then the view.

use super::writer::ScanNote;
use super::Finding;
use crate::app::AppState;
use crate::error::{too_many_requests, Problem};
use crate::i18n::Tr;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_store::NewScan;
use serde::Serialize;
use std::net::IpAddr;
use utoipa::ToSchema;

/// Optional coarse location the shopper agreed to share (rounded to about 10 km).
#[derive(Debug, Clone, Default)]
pub struct Consent {
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The GTIN of a GS1 Digital Link URL (`/01/{gtin}/21/{code}`), checked against the
    /// product: a genuine code under another product's GTIN was not printed by us.
    pub link_gtin: Option<String>,
}

fn coarse(v: Option<f64>, max: f64) -> Option<f64> {
    v.filter(|v| v.is_finite() && v.abs() <= max)
        .map(|v| (v * 10.0).round() / 10.0)
}

/// Scans the code: refuses over the rate limit, records the scan before returning.
pub async fn scan(
    state: &AppState,
    typed: &str,
    client: IpAddr,
    consent: Consent,
) -> Result<Finding, Problem> {
    if !state.limits.allow_public(client) {
        return Err(too_many_requests());
    }
    let today = crate::present::today_in_vietnam();
    let mut finding = state
        .verifier
        .find(typed, &state.config.thresholds, today)
        .await?;
    if let (Some(claimed), Some(card)) = (&consent.link_gtin, &finding.card) {
        let claimed = claimed
            .parse::<ocop_domain::Gtin>()
            .ok()
            .map(|g| g.to_string());
        if claimed.is_none() || claimed != card.product.gtin {
            finding = Finding::unknown(finding.code, ocop_domain::verify::Reason::GtinMismatch);
        }
    }
    let now = Utc::now();
    let note = ScanNote {
        scan: NewScan {
            serial: finding.serial,
            product_id: finding.product_id(),
            verdict: finding.verdict.as_str(),
            first_scan: finding.serial.is_some() && finding.activity.scans == 0,
            place: state.secrets.place_of(client),
            latitude: coarse(consent.latitude, 90.0),
            longitude: coarse(consent.longitude, 180.0),
            at: now,
        },
        province_code: finding
            .card
            .as_ref()
            .map(|c| c.product.province_code.clone()),
    };
    state.scans.record(note).await.map_err(|_| {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "scan_not_recorded",
            "the check could not be recorded just now: try again in a moment",
        )
    })?;
    if let Some(serial) = finding.serial {
        state.verifier.note_scan(serial, now);
        // A first scan's time is this scan's, exactly as recorded.
        finding.activity.first_at.get_or_insert(now);
    }
    Ok(finding)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonView {
    pub code: &'static str,
    /// For the shopper, in the requested language.
    pub text: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Stars only while a certificate is valid (not expired, not revoked).
    pub stars: Option<i32>,
    pub photo_url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProducerView {
    pub name: String,
    pub address: Option<String>,
    pub commune: String,
    pub province: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LotView {
    pub code: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub recalled: bool,
    pub recall_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateView {
    pub number: String,
    pub stars: i32,
    pub decided_on: NaiveDate,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScansView {
    /// Scans of this stamp including this one.
    pub count: i64,
    pub first_at: Option<DateTime<Utc>>,
}

/// What a scan answers; the same object from `/S/{code}` with `Accept: application/json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyView {
    /// genuine, unknown, not_activated, void, recalled, expired or suspicious
    pub verdict: &'static str,
    pub verdict_text: &'static str,
    pub reasons: Vec<ReasonView>,
    /// The code as printed, when it could be read.
    pub code: Option<String>,
    pub product: Option<ProductView>,
    pub producer: Option<ProducerView>,
    pub lot: Option<LotView>,
    pub certificate: Option<CertificateView>,
    pub scans: ScansView,
}

impl VerifyView {
    pub fn of(f: &Finding, tr: Tr) -> VerifyView {
        let today = crate::present::today_in_vietnam();
        let certificate = f.certificate(today);
        let now = Utc::now();
        let known = f.serial.is_some();
        VerifyView {
            verdict: f.verdict.as_str(),
            verdict_text: tr.t(&format!("verify.verdict.{}", f.verdict.as_str())),
            reasons: f
                .reasons
                .iter()
                .map(|r| ReasonView {
                    code: r.as_str(),
                    text: tr.t(&format!("verify.reason.{}", r.as_str())),
                })
                .collect(),
            code: f.code.map(|c| c.grouped()),
            product: f.card.as_ref().map(|c| ProductView {
                id: c.product.id,
                code: c.product.code.clone(),
                name: c.product.name.clone(),
                stars: certificate.map(|c| c.stars),
                photo_url: c.product.photo_id.map(|id| format!("/catalog/photos/{id}")),
            }),
            producer: f.card.as_ref().map(|c| ProducerView {
                name: c.product.organization_name.clone(),
                address: c.product.address.clone(),
                commune: c.product.commune_name.clone(),
                province: c.product.province_name.clone(),
            }),
            lot: f.lot.as_ref().map(|l| LotView {
                code: l.code.clone(),
                produced_on: l.produced_on,
                expires_on: l.expires_on,
                recalled: l.recalled_at.is_some(),
                recall_reason: l.recall_reason.clone(),
            }),
            certificate: certificate.map(|c| CertificateView {
                number: c.number.clone(),
                stars: c.stars,
                decided_on: c.decided_on,
                expires_on: c.expires_on,
            }),
            scans: ScansView {
                count: if known { f.activity.scans + 1 } else { 0 },
                first_at: if known {
                    f.activity.first_at.or(Some(now))
                } else {
                    None
                },
            },
        }
    }
}
