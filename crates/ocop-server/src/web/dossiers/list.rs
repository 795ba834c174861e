//! `/dossiers`: the dossiers a viewer works with, by state; `/dossiers/new`: Form 01.

use super::{kind_label, refusal, state_label, with_status, Refusal};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, WebError};
use crate::evaluation::dossiers;
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::registry_common::{choices, requester, Choice, Pager, PAGE};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::access::Capability;
use ocop_domain::evaluation::{DossierKind, DossierState};
use ocop_store::DossierFilter;
use serde::Deserialize;

pub struct Row {
    pub id: i64,
    pub product: String,
    pub product_code: String,
    pub producer: String,
    pub kind: &'static str,
    pub state: &'static str,
    pub state_label: &'static str,
    pub commune_due: String,
    /// The commune's 15 working days have passed with the dossier still waiting for it.
    pub overdue: bool,
    /// "3/5", or empty outside a round.
    pub progress: String,
    pub stars: String,
}

#[derive(Template)]
#[template(path = "dossiers_list.html")]
struct ListPage {
    tr: Tr,
    nav: Nav,
    states: Vec<Choice>,
    rows: Vec<Row>,
    pager: Pager,
    can_create: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
    offset: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let wanted = q.state.as_deref().map(str::trim).unwrap_or("");
    // A state that is not one shows everything rather than an error page.
    let offset = q.offset.unwrap_or(0).max(0);
    let filter = DossierFilter {
        state: wanted.parse::<DossierState>().ok(),
        limit: Some(PAGE),
        offset,
        ..Default::default()
    };
    let today = present::today_in_vietnam();
    let (list, total) = dossiers::list(&*state.store, &me.actor, filter).await?;
    let rows: Vec<Row> = list
        .into_iter()
        .map(|(d, (done, size))| Row {
            id: d.id,
            overdue: d.state == DossierState::Submitted
                && d.commune_due_on.is_some_and(|due| due < today),
            commune_due: match d.state {
                DossierState::Submitted => present::maybe_date(d.commune_due_on),
                _ => String::new(),
            },
            progress: if size > 0 && d.round_id.is_some() {
                format!("{done}/{size}")
            } else {
                String::new()
            },
            stars: d.stars.map(i64::from).map(super::stars).unwrap_or_default(),
            product: d.product_name,
            product_code: d.product_code,
            producer: d.organization_name,
            kind: kind_label(tr, d.kind),
            state: d.state.as_str(),
            state_label: state_label(tr, d.state),
        })
        .collect();
    let query = match wanted {
        "" => String::new(),
        s => format!("state={}", crate::auth::extract::url_escape(s)),
    };
    let here = match query.as_str() {
        "" => "/dossiers".to_string(),
        q => format!("/dossiers?{q}"),
    };
    let pager = Pager::new("/dossiers", &query, offset, rows.len(), total);
    Ok(render(&ListPage {
        tr,
        nav: Nav::for_user(&me, &here),
        states: choices(
            DossierState::ALL
                .iter()
                .map(|s| (s.as_str(), state_label(tr, *s))),
            wanted,
        ),
        rows,
        pager,
        can_create: me.actor.may(Capability::EditRegistry),
    }))
}

/// Form 01 as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    product_id: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "dossier_new.html")]
struct NewPage {
    tr: Tr,
    nav: Nav,
    products: Vec<Choice>,
    kinds: Vec<Choice>,
    error: Option<Refusal>,
}

async fn new_page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    form: NewForm,
) -> Result<NewPage, WebError> {
    // The products in reach; a product asked for by id that is not among the first ones is
    // added when the viewer may see it.
    let mut products = Vec::new();
    if let Some(mut f) = crate::api::products::filter(&me.actor, &Default::default())? {
        f.limit = 1_000;
        products = state.store.products(&f).await?.items;
    }
    let wanted: Option<i64> = form.product_id.trim().parse().ok();
    if let Some(id) = wanted.filter(|id| !products.iter().any(|p| p.id == *id)) {
        if let Ok(p) = crate::registry::products::visible(&*state.store, requester(me), id).await {
            products.insert(0, p);
        }
    }
    Ok(NewPage {
        tr,
        nav: Nav::for_user(me, "/dossiers/new"),
        products: choices(
            products
                .into_iter()
                .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.code))),
            form.product_id.trim(),
        ),
        kinds: choices(
            DossierKind::ALL
                .iter()
                .map(|k| (k.as_str(), kind_label(tr, *k))),
            if form.kind.is_empty() {
                DossierKind::FirstTime.as_str()
            } else {
                &form.kind
            },
        ),
        error: None,
    })
}

fn require_create(me: &WebUser) -> Result<(), WebError> {
    if me.actor.may(Capability::EditRegistry) {
        Ok(())
    } else {
        Err(WebError(crate::error::forbidden(
            "producers, commune officers and OCOP offices open dossiers",
        )))
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    product_id: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    require_create(&me)?;
    let form = NewForm {
        product_id: q.product_id.unwrap_or_default(),
        kind: String::new(),
    };
    Ok(render(&new_page(&state, &me, Tr(lang), form).await?))
}

pub async fn create(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(form): CsrfForm<NewForm>,
) -> Result<Response, WebError> {
    require_create(&me)?;
    let tr = Tr(lang);
    let parsed = form
        .product_id
        .trim()
        .parse::<i64>()
        .map_err(|_| unprocessable("product_id", "required", "choose the product"))
        .and_then(|id| {
            let kind = form
                .kind
                .parse::<DossierKind>()
                .map_err(|e| unprocessable("kind", "invalid_dossier_kind", e.to_string()))?;
            Ok((id, kind))
        });
    let result = match parsed {
        Ok((id, kind)) => {
            dossiers::create(
                &*state.store,
                requester(&me),
                id,
                kind,
                serde_json::json!({"answers": {}, "evidence": {}}),
                present::today_in_vietnam(),
            )
            .await
        }
        Err(p) => Err(p),
    };
    match result {
        Ok(d) => Ok(
            Redirect::to(&format!("/dossiers/{}/self-assessment?done=created", d.id))
                .into_response(),
        ),
        Err(p) => {
            let error = refusal(tr, "new", p)?;
            let status = error.status;
            let mut page = new_page(&state, &me, tr, form).await?;
            page.error = Some(error);
            Ok(with_status(render(&page), Some(status)))
        }
    }
}
