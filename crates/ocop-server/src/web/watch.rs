//! `/watch/alerts` and `/watch/reports`: what scans tell producers and the office (alerts of
//! copied or misplaced stamps) and what shoppers report, each within the user's scope.
//!
//! Scope and state changes are [`crate::verify::watch`]'s: a producer sees its own products',
//! an officer its commune's, admins and inspectors their province's, central users all;
//! council members are refused.

use super::registry_common::requester;
use super::{render, safe_next, Nav};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{not_found, WebError};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::verify::watch;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_store::{Alert, Report};
use serde::Deserialize;

/// Alert states a user can filter by and set.
const STATES: [&str; 3] = ["new", "seen", "closed"];

/// A filter link above the list.
pub struct StateLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// A button that moves the alert to another state.
pub struct StateButton {
    pub state: &'static str,
    pub label: &'static str,
}

pub struct AlertRow {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub product_id: Option<i64>,
    pub product_name: String,
    pub serial: String,
    pub details: String,
    pub when: String,
    pub state: String,
    pub state_label: &'static str,
    pub buttons: Vec<StateButton>,
}

/// The details the service recorded, in words: "lượt quét: 60 · ngưỡng: 50".
fn details(tr: Tr, d: &serde_json::Value) -> String {
    let Some(map) = d.as_object() else {
        return String::new();
    };
    map.iter()
        .map(|(k, v)| {
            let key = tr
                .get(&format!("watch.detail.{k}"))
                .unwrap_or(k.as_str())
                .to_string();
            let value = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{key}: {value}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

impl AlertRow {
    fn of(tr: Tr, a: &Alert) -> AlertRow {
        let buttons = match a.state.as_str() {
            "new" => vec!["seen", "closed"],
            "seen" => vec!["closed"],
            _ => vec!["new"],
        };
        AlertRow {
            id: a.id,
            kind_label: tr
                .get(&format!("watch.kind.{}", a.kind))
                .map(str::to_string)
                .unwrap_or_else(|| a.kind.clone()),
            kind: a.kind.clone(),
            product_id: a.product_id,
            product_name: a
                .product_name
                .clone()
                .unwrap_or_else(|| tr.t("watch.no_product").to_string()),
            serial: a.serial.map(|s| s.to_string()).unwrap_or_default(),
            details: details(tr, &a.details),
            when: present::moment(a.created_at),
            state_label: tr.get(&format!("watch.state.{}", a.state)).unwrap_or("?"),
            state: a.state.clone(),
            buttons: buttons
                .into_iter()
                .map(|s| StateButton {
                    state: s,
                    label: tr.t(match s {
                        "seen" => "watch.mark_seen",
                        "closed" => "watch.close",
                        _ => "watch.reopen",
                    }),
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "watch_alerts.html")]
struct AlertsPage {
    tr: Tr,
    nav: Nav,
    links: Vec<StateLink>,
    alerts: Vec<AlertRow>,
    /// This list's address, where a state change comes back to.
    back: String,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct AlertsQuery {
    state: Option<String>,
    done: Option<String>,
}

pub async fn alerts(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Query(q): Query<AlertsQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let mut filter = watch::filter(&me.actor)?;
    let chosen = match q.state.as_deref().map(str::trim) {
        None | Some("") | Some("all") => None,
        Some(s) => Some(watch::alert_state(s)?),
    };
    filter.state = chosen.clone();
    let alerts = state.store.alerts(&filter).await?;
    let back = match &chosen {
        Some(s) => format!("/watch/alerts?state={s}"),
        None => "/watch/alerts".to_string(),
    };
    let mut links = vec![StateLink {
        href: "/watch/alerts".into(),
        label: tr.t("watch.state.all"),
        current: chosen.is_none(),
    }];
    links.extend(STATES.iter().map(|s| StateLink {
        href: format!("/watch/alerts?state={s}"),
        label: tr.t(&format!("watch.state.{s}")),
        current: chosen.as_deref() == Some(*s),
    }));
    Ok(render(&AlertsPage {
        tr,
        nav: Nav::for_user(&me, &back),
        links,
        alerts: alerts.iter().map(|a| AlertRow::of(tr, a)).collect(),
        notice: q.done.is_some().then(|| tr.t("watch.done")),
        back,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AlertForm {
    state: String,
    back: String,
}

pub async fn change_alert(
    State(state): State<AppState>,
    me: WebUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AlertForm>,
) -> Result<Response, WebError> {
    watch::set_alert_state(&state, requester(&me), &me.actor, id, &form.state).await?;
    let back = safe_next(Some(&form.back));
    let back = if back.starts_with("/watch/alerts") {
        back
    } else {
        "/watch/alerts".to_string()
    };
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}done=1#alert-{id}")).into_response())
}

pub struct ReportRow {
    pub id: i64,
    pub code: String,
    pub product_id: Option<i64>,
    pub product_name: String,
    pub what: String,
    pub place: String,
    pub contact: String,
    pub when: String,
    pub photo: bool,
}

impl ReportRow {
    fn of(tr: Tr, r: &Report) -> ReportRow {
        ReportRow {
            id: r.id,
            code: r.code.clone(),
            product_id: r.product_id,
            product_name: r
                .product_name
                .clone()
                .unwrap_or_else(|| tr.t("watch.no_product").to_string()),
            what: r.what.clone(),
            place: r.place.clone().unwrap_or_default(),
            contact: r.contact.clone().unwrap_or_default(),
            when: present::moment(r.created_at),
            photo: r.photo_hash.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "watch_reports.html")]
struct ReportsPage {
    tr: Tr,
    nav: Nav,
    reports: Vec<ReportRow>,
}

pub async fn reports(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let filter = watch::filter(&me.actor)?;
    let reports = state.store.reports(&filter).await?;
    Ok(render(&ReportsPage {
        tr,
        nav: Nav::for_user(&me, "/watch/reports"),
        reports: reports.iter().map(|r| ReportRow::of(tr, r)).collect(),
    }))
}

/// A report's photo, only to users whose scope holds the report; with the download headers
/// of documents (sniffed type, sandbox, private caching).
pub async fn report_photo(
    State(state): State<AppState>,
    me: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let by = crate::users::Requester::Actor(&me.actor, &me.user.email);
    let report = watch::watched_report(&state, by, &me.actor, id)
        .await
        .map_err(|e| {
            if e.status == 404 {
                not_found("photo")
            } else {
                e
            }
        })?;
    let (Some(hash), Some(kind)) = (report.photo_hash, report.photo_type) else {
        return Err(WebError(not_found("photo")));
    };
    if !kind.starts_with("image/") {
        return Err(WebError(not_found("photo")));
    }
    let bytes = state
        .files
        .get(crate::files::Area::Documents, &hash)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, report = id, "a report's photo is missing from the data directory");
            WebError(crate::error::internal())
        })?;
    let extension = kind.trim_start_matches("image/").replace("jpeg", "jpg");
    // The same response as a document download, so that the safe headers stay in one place.
    let doc = ocop_store::Document {
        id,
        owner_kind: ocop_store::OwnerKind::Product,
        owner_id: report.product_id.unwrap_or(0),
        purpose: "report_photo".into(),
        file_name: format!("report-{id}.{extension}"),
        content_type: kind,
        size_bytes: bytes.len() as i64,
        sha256: hash,
        created_by: None,
        created_at: report.created_at,
    };
    Ok(crate::registry::documents::download(&doc, bytes))
}
