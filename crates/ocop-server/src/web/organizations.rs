//! `/registry/organizations`: list, register, view and change economic organizations.

use super::registry_common::{
    self as common, commune_choices, communes_in_reach, form_error, requester, Choice,
    CommuneChoices, Documents, FormError, Pager, ProductRow, PAGE,
};
use super::{render, Nav};
use crate::api::organizations::{filter, OrganizationQuery};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{forbidden, WebError};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::registry::organizations::{self as service, OrganizationInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_store::{Organization, OwnerKind, ProductFilter};
use serde::Deserialize;

const PURPOSES: [&str; 3] = ["food_safety_commitment", "photo", "other"];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    commune: Option<String>,
    kind: Option<String>,
    offset: Option<String>,
}

pub struct OrganizationRow {
    id: i64,
    name: String,
    kind: &'static str,
    commune: String,
    tax_code: String,
    phone: String,
}

#[derive(Template)]
#[template(path = "organizations_list.html")]
struct ListPage {
    tr: Tr,
    nav: Nav,
    q: String,
    /// A filter beyond the search words is set: show the filters unfolded.
    filtered: bool,
    communes: CommuneChoices,
    kinds: Vec<Choice>,
    rows: Vec<OrganizationRow>,
    pager: Pager,
    /// `?` and the filters, or nothing: the export links list what the page lists.
    export_query: String,
    can_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let offset = common::offset(&q.offset);
    let query = OrganizationQuery {
        q: q.q.clone(),
        commune: q.commune.clone(),
        kind: q.kind.clone(),
        limit: Some(PAGE),
        offset: Some(offset),
    };
    let page = match filter(&me.actor, &query)? {
        Some(f) => state.store.organizations(&f).await?,
        None => ocop_store::Page {
            items: vec![],
            total: 0,
        },
    };
    let reach = communes_in_reach(&state, &me).await?;
    let names = common::commune_names(&reach);
    let rows: Vec<OrganizationRow> = page
        .items
        .into_iter()
        .map(|o| OrganizationRow {
            id: o.id,
            kind: tr.t(&format!("kind.{}", o.kind.as_str())),
            commune: names
                .get(&o.commune_code)
                .cloned()
                .unwrap_or(o.commune_code),
            tax_code: o.tax_code.unwrap_or_default(),
            phone: o.phone.unwrap_or_default(),
            name: o.name,
        })
        .collect();
    let filters = common::query_string(&[("q", &q.q), ("commune", &q.commune), ("kind", &q.kind)]);
    let path = "/registry/organizations";
    let here = if filters.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{filters}")
    };
    Ok(render(&ListPage {
        tr,
        nav: Nav::for_user(&me, &here),
        filtered: [&q.commune, &q.kind]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty())),
        q: q.q.clone().unwrap_or_default(),
        communes: commune_choices(&reach, q.commune.as_deref().unwrap_or("")),
        kinds: common::kinds(tr, q.kind.as_deref().unwrap_or("")),
        pager: Pager::new(path, &filters, offset, rows.len(), page.total),
        rows,
        export_query: if filters.is_empty() {
            String::new()
        } else {
            format!("?{filters}")
        },
        can_create: common::may_register_organizations(&me),
    }))
}

/// The organization form's values, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OrganizationForm {
    name: String,
    kind: String,
    commune_code: String,
    tax_code: String,
    address: String,
    representative: String,
    phone: String,
    email: String,
    gln: String,
    food_safety_signed_on: String,
}

impl OrganizationForm {
    fn input(&self) -> OrganizationInput {
        let v = |s: &String| Some(s.clone());
        OrganizationInput {
            name: v(&self.name),
            kind: v(&self.kind),
            commune_code: v(&self.commune_code),
            tax_code: v(&self.tax_code),
            address: v(&self.address),
            representative: v(&self.representative),
            phone: v(&self.phone),
            email: v(&self.email),
            gln: v(&self.gln),
            food_safety_signed_on: v(&self.food_safety_signed_on),
        }
    }

    fn of(o: &Organization) -> OrganizationForm {
        let i = OrganizationInput::of(o);
        let v = |s: Option<String>| s.unwrap_or_default();
        OrganizationForm {
            name: v(i.name),
            kind: v(i.kind),
            commune_code: v(i.commune_code),
            tax_code: v(i.tax_code),
            address: v(i.address),
            representative: v(i.representative),
            phone: v(i.phone),
            email: v(i.email),
            gln: v(i.gln),
            food_safety_signed_on: v(i.food_safety_signed_on),
        }
    }
}

/// What the page shows of a registered organization.
struct Registered {
    org: Organization,
    kind: &'static str,
    commune: String,
    signed_on: String,
    products: Vec<ProductRow>,
    documents: Documents,
}

/// One template for "register" (no `registered`) and for an organization's own page.
#[derive(Template)]
#[template(path = "organization.html")]
struct OrganizationPage {
    tr: Tr,
    nav: Nav,
    registered: Option<Registered>,
    form: OrganizationForm,
    kinds: Vec<Choice>,
    communes: CommuneChoices,
    can_edit: bool,
    error: Option<FormError>,
    notice: Option<&'static str>,
}

impl OrganizationPage {
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().and_then(|e| e.field) == Some(field)
    }
}

async fn page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    org: Option<Organization>,
    form: OrganizationForm,
) -> Result<OrganizationPage, WebError> {
    let reach = communes_in_reach(state, me).await?;
    let (here, registered) = match org {
        None => ("/registry/organizations/new".to_string(), None),
        Some(org) => {
            // All of them on one page: an organization makes a handful of products, not hundreds.
            let products = state
                .store
                .products(&ProductFilter {
                    organization_id: Some(org.id),
                    limit: 500,
                    ..Default::default()
                })
                .await?;
            let registered = Registered {
                kind: tr.t(&format!("kind.{}", org.kind.as_str())),
                commune: common::commune_name(state, &org.commune_code).await?,
                signed_on: present::maybe_date(org.food_safety_signed_on),
                products: products
                    .items
                    .into_iter()
                    .map(|p| ProductRow::of(tr, p))
                    .collect(),
                documents: common::documents(state, tr, OwnerKind::Organization, org.id, &PURPOSES)
                    .await?,
                org,
            };
            (
                format!("/registry/organizations/{}", registered.org.id),
                Some(registered),
            )
        }
    };
    Ok(OrganizationPage {
        tr,
        nav: Nav::for_user(me, &here),
        registered,
        kinds: common::kinds(tr, &form.kind),
        communes: commune_choices(&reach, &form.commune_code),
        form,
        // Whoever sees an organization and may edit the register may change it (the service
        // keeps producers to their own).
        can_edit: common::may_edit(me),
        error: None,
        notice: None,
    })
}

async fn with_error(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    org: Option<Organization>,
    form: OrganizationForm,
    problem: crate::error::Problem,
) -> Result<Response, WebError> {
    let (error, status) = form_error(tr, problem)?;
    let mut p = page(state, me, tr, org, form).await?;
    p.error = Some(error);
    let mut response = render(&p);
    *response.status_mut() = status;
    Ok(response)
}

fn require_register(me: &WebUser) -> Result<(), WebError> {
    if common::may_register_organizations(me) {
        Ok(())
    } else {
        Err(WebError(forbidden(
            "your role may not register economic organizations",
        )))
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    require_register(&me)?;
    let reach = communes_in_reach(&state, &me).await?;
    // An officer has one commune: choose it already.
    let only = match reach.as_slice() {
        [(_, communes)] if communes.len() == 1 => communes[0].code.as_str().to_string(),
        _ => String::new(),
    };
    let form = OrganizationForm {
        kind: "cooperative".into(),
        commune_code: only,
        ..Default::default()
    };
    Ok(render(&page(&state, &me, Tr(lang), None, form).await?))
}

pub async fn create(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(form): CsrfForm<OrganizationForm>,
) -> Result<Response, WebError> {
    require_register(&me)?;
    match service::create(&*state.store, requester(&me), &form.input()).await {
        Ok(o) => {
            Ok(Redirect::to(&format!("/registry/organizations/{}?saved=1", o.id)).into_response())
        }
        Err(p) => with_error(&state, &me, Tr(lang), None, form, p).await,
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
    uploaded: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let org = service::visible(&*state.store, requester(&me), id).await?;
    let form = OrganizationForm::of(&org);
    let mut p = page(&state, &me, tr, Some(org), form).await?;
    p.notice = if q.saved.is_some() {
        Some(tr.t("registry.saved"))
    } else if q.uploaded.is_some() {
        Some(tr.t("docs.uploaded"))
    } else {
        None
    };
    Ok(render(&p))
}

pub async fn update(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<OrganizationForm>,
) -> Result<Response, WebError> {
    let by = requester(&me);
    match service::update(&*state.store, by, id, &form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/registry/organizations/{id}?saved=1")).into_response()),
        Err(p) => {
            // The page around the form shows the record as stored, not as typed.
            let org = service::visible(&*state.store, by, id).await?;
            with_error(&state, &me, Tr(lang), Some(org), form, p).await
        }
    }
}
