//! Certificates: the public check `/certificates/{number}` (HTML, or JSON by `Accept`; stars
//! only while the certificate is valid), its printable PDF, revocation by the recognizing
//! authority, and `/certificates/expiring`, the notices offices owe.

use super::{caller, refusal, wants_json, with_status, DoneQuery, Refusal};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::extract::MaybeWebUser;
use crate::auth::WebUser;
use crate::error::{ApiError, WebError};
use crate::evaluation::certificates::{self, CertificateCard};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use chrono::NaiveDate;
use ocop_domain::certificate::Standing;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// A certificate number as one path segment (numbers recorded by hand may hold `/`).
pub fn segment(number: &str) -> String {
    let mut out = String::new();
    for b in number.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What the check says: `valid`, `expired`, `revoked` or `not_yet_valid`.
/// The JSON answer. `stars` is null unless the certificate is valid today.
#[derive(Serialize)]
struct CheckView {
    number: String,
    status: &'static str,
    valid: bool,
    stars: Option<i32>,
    product_name: String,
    product_code: String,
    producer: String,
    issuer: String,
    decision_number: String,
    decided_on: NaiveDate,
    expires_on: NaiveDate,
    revoked_on: Option<NaiveDate>,
    revocation_grounds: Option<String>,
    check_url: String,
}

fn check_url(state: &AppState, number: &str) -> String {
    format!(
        "{}/certificates/{}",
        state.config.public_base(),
        segment(number)
    )
}

#[derive(Template)]
#[template(path = "certificate.html")]
struct CheckPage {
    tr: Tr,
    nav: Nav,
    status: &'static str,
    valid: bool,
    revoked: bool,
    expired: bool,
    status_text: &'static str,
    /// "★★★★" while valid, otherwise empty: a shopper must not read stars off a dead certificate.
    stars: String,
    star_count: i32,
    product: String,
    product_code: String,
    producer: String,
    address: String,
    issuer: String,
    number: String,
    link: String,
    decision_number: String,
    decided_on: String,
    expires_on: String,
    revoked_on: String,
    grounds: String,
    can_revoke: bool,
    grounds_typed: String,
    error: Option<Refusal>,
    notice: Option<&'static str>,
}

/// Offers the revocation form to whom the service would let revoke (the domain's rule).
fn may_revoke(me: Option<&WebUser>, card: &CertificateCard) -> bool {
    let Some(me) = me else { return false };
    let p = &card.product;
    let place = crate::registry::place(&p.province_code, &p.commune_code);
    card.certificate.revoked_on.is_none()
        && ocop_domain::certificate::may_revoke(&me.actor, card.certificate.stars, &place).is_ok()
}

fn check_page(tr: Tr, me: Option<&WebUser>, card: &CertificateCard, here: &str) -> CheckPage {
    let today = present::today_in_vietnam();
    let c = &card.certificate;
    let status = c.standing(today);
    CheckPage {
        tr,
        nav: match me {
            Some(u) => Nav::for_user(u, here),
            None => Nav::anonymous(here),
        },
        status: status.as_str(),
        valid: status == Standing::Valid,
        revoked: status == Standing::Revoked,
        expired: status == Standing::Expired,
        status_text: tr.t(&format!("certificate.status.{status}")),
        stars: if card.valid {
            super::stars(i64::from(c.stars))
        } else {
            String::new()
        },
        star_count: if card.valid { c.stars } else { 0 },
        product: card.product.name.clone(),
        product_code: card.product.code.clone(),
        producer: card.organization.name.clone(),
        address: card.organization.address.clone().unwrap_or_default(),
        issuer: card.issuer.clone(),
        number: c.number.clone(),
        link: segment(&c.number),
        decision_number: c.decision_number.clone(),
        decided_on: present::date(c.decided_on),
        expires_on: present::date(c.expires_on),
        revoked_on: present::maybe_date(c.revoked_on),
        grounds: c.revocation_grounds.clone().unwrap_or_default(),
        can_revoke: may_revoke(me, card),
        grounds_typed: String::new(),
        error: None,
        notice: None,
    }
}

/// Revocations and expiry take effect at once: nothing here may be cached.
fn fresh(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(VARY, HeaderValue::from_static("Accept, Cookie"));
    response
}

pub async fn check(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    MaybeWebUser(me): MaybeWebUser,
    lang: Lang,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let today = present::today_in_vietnam();
    let json = wants_json(&headers);
    // A public check, like a stamp's: limited per network so numbers cannot be harvested.
    if !state.limits.allow_public(peer.ip()) {
        let p = crate::error::too_many_requests();
        return Ok(if json {
            ApiError(p).into_response()
        } else {
            WebError(p).into_response()
        });
    }
    let card = match certificates::card(&*state.store, &number, today).await {
        Ok(c) => c,
        Err(p) if json => return Ok(fresh(ApiError(p).into_response())),
        Err(p) => return Err(WebError(p)),
    };
    if json {
        let c = &card.certificate;
        let view = CheckView {
            number: c.number.clone(),
            status: card.certificate.standing(today).as_str(),
            valid: card.valid,
            stars: card.valid.then_some(c.stars),
            product_name: card.product.name.clone(),
            product_code: card.product.code.clone(),
            producer: card.organization.name.clone(),
            issuer: card.issuer.clone(),
            decision_number: c.decision_number.clone(),
            decided_on: c.decided_on,
            expires_on: c.expires_on,
            revoked_on: c.revoked_on,
            revocation_grounds: c.revocation_grounds.clone(),
            check_url: check_url(&state, &c.number),
        };
        return Ok(fresh(Json(view).into_response()));
    }
    let tr = Tr(lang);
    let here = format!("/certificates/{}", segment(&card.certificate.number));
    let mut page = check_page(tr, me.as_ref(), &card, &here);
    page.notice = q.notice(tr, "certificate");
    Ok(fresh(render(&page)))
}

/// The printable certificate, while it is valid; afterwards the check page says why not.
pub async fn pdf(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    MaybeWebUser(me): MaybeWebUser,
    lang: Lang,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    if !state.limits.allow_public(peer.ip()) {
        return Err(WebError(crate::error::too_many_requests()));
    }
    let today = present::today_in_vietnam();
    let card = certificates::card(&*state.store, &number, today).await?;
    let c = &card.certificate;
    if !card.valid {
        let tr = Tr(lang);
        let here = format!("/certificates/{}", segment(&c.number));
        let mut page = check_page(tr, me.as_ref(), &card, &here);
        page.notice = Some(tr.t("certificate.no_pdf"));
        return Ok(fresh(with_status(render(&page), Some(StatusCode::GONE))));
    }
    let bytes = certificates::pdf(&card, &check_url(&state, &c.number))?;
    let file: String = c
        .number
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"chung-nhan-ocop-{file}.pdf\"");
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    Ok(fresh(response))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevokeForm {
    grounds: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(number): Path<String>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let today = present::today_in_vietnam();
    let card = certificates::card(&*state.store, &number, today).await?;
    let id = card.certificate.id;
    let link = segment(&card.certificate.number);
    match certificates::revoke(&*state.store, caller(&me), id, &form.grounds, today).await {
        Ok(_) => Ok(Redirect::to(&format!("/certificates/{link}?done=revoked")).into_response()),
        Err(p) => {
            let error = refusal(tr, "revoke", p)?;
            let status = error.status;
            let card = certificates::card(&*state.store, &number, today).await?;
            let mut page = check_page(tr, Some(&me), &card, &format!("/certificates/{link}"));
            page.grounds_typed = form.grounds;
            page.error = Some(error);
            Ok(fresh(with_status(render(&page), Some(status))))
        }
    }
}

pub struct ExpiringRow {
    pub number: String,
    pub link: String,
    pub product: String,
    pub stars: String,
    pub expires_on: String,
    pub days_left: i64,
    /// "expires_soon" or "reevaluation_open", and the window to file in.
    pub notice: &'static str,
    pub expires_soon: bool,
    pub window: String,
}

#[derive(Template)]
#[template(path = "certificates_expiring.html")]
struct ExpiringPage {
    tr: Tr,
    nav: Nav,
    rows: Vec<ExpiringRow>,
}

pub async fn expiring(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let today = present::today_in_vietnam();
    let list = certificates::notices(&*state.store, &me.actor, today).await?;
    let mut rows = Vec::with_capacity(list.len());
    for (c, notice) in list {
        let (from, until) = ocop_domain::evaluation::reevaluation_window(c.expires_on);
        let product = state
            .store
            .product(c.product_id)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        rows.push(ExpiringRow {
            link: segment(&c.number),
            stars: super::stars(i64::from(c.stars)),
            expires_on: present::date(c.expires_on),
            days_left: (c.expires_on - today).num_days(),
            notice: notice.as_str(),
            expires_soon: notice == ocop_domain::evaluation::CertificateNotice::ExpiresSoon,
            window: format!("{} – {}", present::date(from), present::date(until)),
            number: c.number,
            product,
        });
    }
    Ok(render(&ExpiringPage {
        tr,
        nav: Nav::for_user(&me, "/certificates/expiring"),
        rows,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_become_one_path_segment() {
        assert_eq!(super::segment("OCOP-22-2026-00001"), "OCOP-22-2026-00001");
        assert_eq!(super::segment("12/GCN QN"), "12%2FGCN%20QN");
    }
}
