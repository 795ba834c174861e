//! The consumer page: what a shopper sees after scanning a stamp's QR code.
//!
//! `GET /S/{code}` (also `/s/{code}`, any case, hyphens or not) and the GS1 Digital Link form
//! `GET /01/{gtin}/21/{code}` answer the verdict: an HTML page small enough for a cheap phone
//! on a slow network (no JavaScript), or with `Accept: application/json` exactly the object
//! `/api/v1/verify/{code}` answers. The page carries two public forms, each with a CSRF token
//! bound to a pre-session cookie (shoppers have no session): the PIN check
//! (`POST /S/{code}/pin`) and the report of a suspected fake (`POST /S/{code}/report`).
//!
//! Every rule lives in [`crate::verify`]: rate limit, finding, durable scan record, PIN checks
//! and reports. These handlers only turn its answers into pages.

use super::{render, Nav};
use crate::api::verify::{pin as check_pin, pin_view, ConsentQuery, PinView};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::secrets::new_token;
use crate::auth::session::{self, PRE_SESSION_COOKIE};
use crate::error::{ApiError, Problem, WebError};
use crate::i18n::{Lang, Tr};
use crate::registry::documents::read_upload;
use crate::verify::answer::{self, Consent, VerifyView};
use crate::verify::watch::{self, ReportInput};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{ConnectInfo, Multipart, Path, RawQuery, State};
use axum::http::header::{ACCEPT, CACHE_CONTROL, RETRY_AFTER, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use ocop_domain::verify::Verdict;
use ocop_stamp::StampCode;
use serde::Deserialize;
use std::net::SocketAddr;

// ---------------------------------------------------------------------------------------------
// Plumbing

/// Whether the client asked for JSON rather than a page: `application/json` ranked above
/// `text/html` (browsers send `text/html` first, API clients `application/json`).
pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    let (mut json, mut html) = (None, None);
    for value in headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for range in value.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").map(str::to_string))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match media.as_str() {
                "application/json" => json = Some(q),
                "text/html" => html = Some(q),
                _ => {}
            }
        }
    }
    match (json, html) {
        (Some(j), Some(h)) => j > h,
        (Some(j), None) => j > 0.0,
        _ => false,
    }
}

/// The CSRF token for a public form and, for a first-time visitor, the pre-session cookie it
/// is bound to (as on the sign-in form).
fn public_csrf(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match crate::auth::csrf::binding(headers) {
        Some(b) => (state.secrets.csrf_token(&b), None),
        None => {
            let pre = new_token("p_");
            let token = state.secrets.csrf_token(&format!("pre:{pre}"));
            let cookie = session::private_cookie(state, PRE_SESSION_COOKIE, pre, 12 * 3600);
            (token, Some(cookie))
        }
    }
}

/// The path the page's forms post to: `/S/{CODE}` for a code that reads, else the typed text
/// stripped to letters, digits and hyphens (so that no typed text can bend the form's path).
fn base_of(typed: &str) -> String {
    match StampCode::parse(typed) {
        Ok(code) => format!("/S/{code}"),
        Err(_) => {
            let kept: String = typed
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(40)
                .collect();
            format!("/S/{}", if kept.is_empty() { "-" } else { &kept })
        }
    }
}

/// The code to show: grouped when it reads, else what was typed (cut short).
fn shown_code(typed: &str) -> String {
    match StampCode::parse(typed) {
        Ok(code) => code.grouped(),
        Err(_) => typed.chars().take(40).collect(),
    }
}

/// Green for genuine, amber when in doubt, red when the product must not be trusted.
fn tone(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Genuine => "ok",
        Verdict::Suspicious | Verdict::Expired => "warn",
        Verdict::Unknown | Verdict::Void | Verdict::Recalled | Verdict::NotActivated => "bad",
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn vietnam(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::east_opt(7 * 3600).expect("a valid offset"))
}

/// A refusal of the service: problem+json for API clients, the friendly page otherwise; over
/// the rate limit both say when to come back.
fn refused(problem: Problem, json: bool) -> Response {
    let limited = problem.status == 429;
    let mut response = if json {
        ApiError(problem).into_response()
    } else {
        WebError(problem).into_response()
    };
    if limited {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("60"));
    }
    response
}

/// Every answer here is about this moment (counts, PIN state): never cached, and the same URL
/// answers HTML or JSON.
fn fresh(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    let h = response.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(VARY, HeaderValue::from_static("Accept, Cookie"));
    if let Some(c) = cookie {
        h.append(SET_COOKIE, c);
    }
    response
}

/// What was typed in the report form, kept when it is refused.
#[derive(Default)]
pub struct ReportTyped {
    pub what: String,
    pub place: String,
    pub contact: String,
}

// ---------------------------------------------------------------------------------------------
// The verdict page

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    tr: Tr,
    nav: Nav,
    v: VerifyView,
    tone: &'static str,
    shown_code: String,
    stars_text: String,
    cert_until: String,
    produced_on: String,
    expires_on: String,
    first_scan: Option<String>,
    /// Where the forms post: `/S/{code}`.
    base: String,
    csrf: String,
    /// Only a stamp on goods has a PIN worth checking.
    pin_form: bool,
    pin_error: Option<&'static str>,
    /// The report form is unfolded when the verdict is anything but genuine.
    report_open: bool,
    report: ReportTyped,
    report_error: Option<&'static str>,
}

pub async fn scan(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    lang: Lang,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    answer(
        &state,
        peer,
        lang,
        &headers,
        uri.path(),
        (&code, None),
        query.as_deref(),
    )
    .await
}

/// `/01/{gtin}/21/{code}`: the GS1 Digital Link printed on stamps of products with a GTIN. The
/// code decides the verdict as on `/S/{code}`, and the GTIN must be the product's.
pub async fn digital_link(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    lang: Lang,
    headers: HeaderMap,
    uri: Uri,
    Path((gtin, code)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    answer(
        &state,
        peer,
        lang,
        &headers,
        uri.path(),
        (&code, Some(&gtin)),
        query.as_deref(),
    )
    .await
}

async fn answer(
    state: &AppState,
    peer: SocketAddr,
    lang: Lang,
    headers: &HeaderMap,
    here: &str,
    (typed, link_gtin): (&str, Option<&str>),
    query: Option<&str>,
) -> Response {
    let json = wants_json(headers);
    // A location the shopper's app chose to share; anything unreadable is simply left out.
    let q: ConsentQuery = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let consent = Consent {
        latitude: q.lat,
        longitude: q.lon,
        link_gtin: link_gtin.map(str::to_string),
    };
    let finding = match answer::scan(state, typed, peer.ip(), consent).await {
        Ok(f) => f,
        Err(p) => return refused(p, json),
    };
    let tr = Tr(lang);
    let v = VerifyView::of(&finding, tr);
    if json {
        return fresh(Json(v).into_response(), None);
    }
    let (csrf, cookie) = public_csrf(state, headers);
    let stars = v.product.as_ref().and_then(|p| p.stars).unwrap_or(0);
    let page = VerifyPage {
        tr,
        nav: Nav::anonymous(here),
        tone: tone(finding.verdict),
        shown_code: v.code.clone().unwrap_or_else(|| shown_code(typed)),
        stars_text: "★".repeat(stars.clamp(0, 5) as usize),
        cert_until: v
            .certificate
            .as_ref()
            .map(|c| day(c.expires_on))
            .unwrap_or_default(),
        produced_on: v
            .lot
            .as_ref()
            .map(|l| day(l.produced_on))
            .unwrap_or_default(),
        expires_on: v
            .lot
            .as_ref()
            .and_then(|l| l.expires_on)
            .map(day)
            .unwrap_or_default(),
        first_scan: v.scans.first_at.map(|t| day(vietnam(t).date_naive())),
        base: base_of(typed),
        csrf,
        pin_form: finding.serial.is_some() && finding.verdict.on_goods(),
        pin_error: None,
        report_open: finding.verdict != Verdict::Genuine,
        report: ReportTyped::default(),
        report_error: None,
        v,
    };
    fresh(render(&page), cookie)
}

// ---------------------------------------------------------------------------------------------
// The PIN check

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PinForm {
    pin: String,
}

#[derive(Template)]
#[template(path = "verify_pin.html")]
struct PinPage {
    tr: Tr,
    nav: Nav,
    result: Option<PinView>,
    tone: &'static str,
    first_checked: Option<String>,
    /// The form again: after a wrong PIN or input that is not 8 digits.
    again: bool,
    base: String,
    csrf: String,
    pin_error: Option<&'static str>,
}

pub async fn pin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    lang: Lang,
    headers: HeaderMap,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<PinForm>,
) -> Response {
    let tr = Tr(lang);
    let base = base_of(&code);
    let (csrf, cookie) = public_csrf(&state, &headers);
    let mut page = PinPage {
        tr,
        nav: Nav::anonymous(&base),
        result: None,
        tone: "bad",
        first_checked: None,
        again: true,
        base,
        csrf,
        pin_error: None,
    };
    match check_pin(&state, peer, &code, &form.pin).await {
        Ok((verdict, outcome)) => {
            let view = pin_view(verdict, outcome, tr);
            // Green only for a confirmation; a verdict that warns or refuses colours the rest.
            page.tone = match (view.genuine, tone(verdict), view.result) {
                (true, _, _) => "ok",
                (_, "bad", _) | (_, _, "wrong_pin" | "locked" | "not_in_use") => "bad",
                _ => "warn",
            };
            page.first_checked = view
                .first_checked_at
                .map(|t| vietnam(t).format("%d/%m/%Y %H:%M").to_string());
            page.again = view.result == "wrong_pin";
            page.result = Some(view);
            fresh(render(&page), cookie)
        }
        Err(p) if p.status == 422 => {
            page.pin_error = Some(tr.problem(p.code));
            let mut r = fresh(render(&page), cookie);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(p) => refused(p, false),
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting a suspected fake

#[derive(Template)]
#[template(path = "verify_report.html")]
struct ReportPage {
    tr: Tr,
    nav: Nav,
    thanks: bool,
    tone: &'static str,
    base: String,
    csrf: String,
    report: ReportTyped,
    report_error: Option<&'static str>,
}

pub async fn report(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    lang: Lang,
    headers: HeaderMap,
    Path(code): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let tr = Tr(lang);
    let form = match form {
        Ok(f) => f,
        Err(_) => {
            return refused(
                crate::error::bad_request("bad_form", "the report form could not be read"),
                false,
            )
        }
    };
    // Without the page's cookie the token cannot match: refuse before reading an upload.
    if crate::auth::csrf::binding(&headers).is_none() {
        if let Err(e) = super::documents::check_csrf(&state, &headers, None) {
            return e.into_response();
        }
    }
    if !state.limits.allow_public(peer.ip()) {
        return refused(crate::error::too_many_requests(), false);
    }
    let upload = match read_upload(form).await {
        Ok(u) => u,
        Err(p) => return refused(p, false),
    };
    if let Err(e) = super::documents::check_csrf(&state, &headers, upload.fields.get("csrf")) {
        return e.into_response();
    }
    let field = |name: &str| upload.fields.get(name).cloned().unwrap_or_default();
    let typed = ReportTyped {
        what: field("what"),
        place: field("place"),
        contact: field("contact"),
    };
    let input = ReportInput {
        code: code.clone(),
        what: typed.what.clone(),
        place: Some(typed.place.clone()),
        contact: Some(typed.contact.clone()),
        photo: upload.file.map(|(_, bytes)| bytes),
    };
    let base = base_of(&code);
    let (csrf, cookie) = public_csrf(&state, &headers);
    let mut page = ReportPage {
        tr,
        nav: Nav::anonymous(&base),
        thanks: false,
        tone: "ok",
        base,
        csrf,
        report: typed,
        report_error: None,
    };
    match watch::report(&state, input).await {
        Ok(_) => {
            page.thanks = true;
            page.report = ReportTyped::default();
            fresh(render(&page), cookie)
        }
        Err(p) if p.status == 422 => {
            page.report_error = Some(tr.problem(p.code));
            let mut r = fresh(render(&page), cookie);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(p) => refused(p, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, v.parse().unwrap());
        h
    }

    #[test]
    fn json_only_when_it_is_preferred() {
        assert!(wants_json(&accept("application/json")));
        assert!(!wants_json(&accept("text/html,application/json;q=0.9")));
        assert!(wants_json(&accept("application/json, text/plain, */*")));
        assert!(wants_json(&accept("text/html;q=0.5, application/json")));
        assert!(!wants_json(&accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )));
        assert!(!wants_json(&accept("*/*")));
        assert!(!wants_json(&HeaderMap::new()));
    }

    #[test]
    fn forms_post_to_a_clean_path() {
        assert_eq!(base_of("6kfk-s7g0-7t75-3h27"), "/S/6KFKS7G07T753H27");
        assert_eq!(base_of("../admin?x=<b>"), "/S/adminxb");
        assert_eq!(base_of("..."), "/S/-");
        assert_eq!(shown_code("6KFKS7G07T753H27"), "6KFK-S7G0-7T75-3H27");
    }
}
