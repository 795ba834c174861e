//! `/registry/products`: list, register, view and change products.

use super::registry_common::{
    self as common, commune_choices, communes_in_reach, form_error, requester, Choice,
    CommuneChoices, Documents, FormError, Pager, ProductRow, PAGE,
};
use super::{render, Nav};
use crate::api::products::{filter, ProductQuery};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{forbidden, unprocessable, Problem, WebError};
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::registry::products::{self as service, ProductInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_store::{OwnerKind, Product};
use serde::Deserialize;

const PURPOSES: [&str; 4] = ["photo", "standard", "food_safety_certificate", "other"];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    commune: Option<String>,
    group: Option<String>,
    status: Option<String>,
    key_level: Option<String>,
    stars: Option<String>,
    offset: Option<String>,
}

#[derive(Template)]
#[template(path = "products_list.html")]
struct ListPage {
    tr: Tr,
    nav: Nav,
    q: String,
    /// A filter beyond the search words is set: show the filters unfolded.
    filtered: bool,
    communes: CommuneChoices,
    groups: Vec<Choice>,
    statuses: Vec<Choice>,
    key_levels: Vec<Choice>,
    stars: Vec<Choice>,
    rows: Vec<ProductRow>,
    pager: Pager,
    /// `?` and the filters, or nothing: the export links list what the page lists.
    export_query: String,
    can_create: bool,
    can_import: bool,
}

pub async fn list(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let offset = common::offset(&q.offset);
    let query = ProductQuery {
        q: q.q.clone(),
        commune: q.commune.clone(),
        group: q.group.clone(),
        status: q.status.clone(),
        key_level: q.key_level.clone(),
        stars: q.stars.as_deref().and_then(|s| s.parse().ok()),
        limit: Some(PAGE),
        offset: Some(offset),
        ..Default::default()
    };
    let page = match filter(&me.actor, &query)? {
        Some(f) => state.store.products(&f).await?,
        None => ocop_store::Page {
            items: vec![],
            total: 0,
        },
    };
    let reach = communes_in_reach(&state, &me).await?;
    let rows: Vec<ProductRow> = page
        .items
        .into_iter()
        .map(|p| ProductRow::of(tr, p))
        .collect();
    let filters = common::query_string(&[
        ("q", &q.q),
        ("commune", &q.commune),
        ("group", &q.group),
        ("status", &q.status),
        ("key_level", &q.key_level),
        ("stars", &q.stars),
    ]);
    let path = "/registry/products";
    let here = if filters.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{filters}")
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(render(&ListPage {
        tr,
        nav: Nav::for_user(&me, &here),
        filtered: [&q.commune, &q.group, &q.status, &q.key_level, &q.stars]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty())),
        q: opt(&q.q),
        communes: commune_choices(&reach, &opt(&q.commune)),
        groups: common::choices(
            ocop_domain::criteria::groups().into_iter().map(|g| (g, g)),
            &opt(&q.group),
        ),
        statuses: common::statuses(tr, &opt(&q.status)),
        key_levels: common::key_levels(tr, &opt(&q.key_level)),
        stars: common::choices(
            (3..=5).map(|n| {
                (
                    n.to_string(),
                    format!("{} {}", "★".repeat(n), tr.t("catalog.stars")),
                )
            }),
            &opt(&q.stars),
        ),
        pager: Pager::new(path, &filters, offset, rows.len(), page.total),
        rows,
        export_query: if filters.is_empty() {
            String::new()
        } else {
            format!("?{filters}")
        },
        can_create: common::may_edit(&me),
        can_import: common::may_register_organizations(&me),
    }))
}

/// The product form's values, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProductForm {
    organization_id: String,
    name: String,
    criteria_set: String,
    description: String,
    gtin: String,
    standard_code: String,
    standard_declared_on: String,
    food_safety_certificate: String,
    food_safety_expires_on: String,
    key_level: String,
    status: String,
}

/// A number from a select, empty for none; anything else did not come from the list.
fn number(v: &str, field: &'static str, code: &'static str) -> Result<Option<i64>, Problem> {
    match v.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| unprocessable(field, code, format!("{field} `{s}` is not a number"))),
    }
}

impl ProductForm {
    fn input(&self) -> Result<ProductInput, Problem> {
        let v = |s: &String| Some(s.clone());
        Ok(ProductInput {
            organization_id: number(
                &self.organization_id,
                "organization_id",
                "unknown_organization",
            )?,
            name: v(&self.name),
            criteria_set: number(&self.criteria_set, "criteria_set", "invalid_criteria_set")?,
            description: v(&self.description),
            gtin: v(&self.gtin),
            standard_code: v(&self.standard_code),
            standard_declared_on: v(&self.standard_declared_on),
            food_safety_certificate: v(&self.food_safety_certificate),
            food_safety_expires_on: v(&self.food_safety_expires_on),
            key_level: v(&self.key_level),
            status: v(&self.status),
        })
    }

    fn of(p: &Product) -> ProductForm {
        let i = ProductInput::of(p);
        let v = |s: Option<String>| s.unwrap_or_default();
        let n = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        ProductForm {
            organization_id: n(i.organization_id),
            name: v(i.name),
            criteria_set: n(i.criteria_set),
            description: v(i.description),
            gtin: v(i.gtin),
            standard_code: v(i.standard_code),
            standard_declared_on: v(i.standard_declared_on),
            food_safety_certificate: v(i.food_safety_certificate),
            food_safety_expires_on: v(i.food_safety_expires_on),
            key_level: v(i.key_level),
            status: v(i.status),
        }
    }
}

/// What the page shows of a registered product.
struct Registered {
    product: Product,
    criteria_set: String,
    group: String,
    commune: String,
    status: &'static str,
    key_level: &'static str,
    standard_declared_on: String,
    food_safety_expires_on: String,
    documents: Documents,
}

/// One template for "register" (no `registered`) and for a product's own page.
#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage {
    tr: Tr,
    nav: Nav,
    registered: Option<Registered>,
    form: ProductForm,
    organizations: Vec<Choice>,
    criteria_sets: Vec<Choice>,
    key_levels: Vec<Choice>,
    statuses: Vec<Choice>,
    can_edit: bool,
    error: Option<FormError>,
    notice: Option<&'static str>,
}

impl ProductPage {
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().and_then(|e| e.field) == Some(field)
    }
}

fn set_label(n: i64) -> (String, String) {
    match ocop_domain::criteria::criteria_set(n) {
        Ok(s) => (s.name.clone(), s.group.clone()),
        Err(_) => (n.to_string(), String::new()),
    }
}

async fn page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    product: Option<Product>,
    form: ProductForm,
) -> Result<ProductPage, WebError> {
    // The organizations in reach, whole: the register form must offer every one of them.
    let mut organizations = Vec::new();
    if let Some(mut f) = crate::api::organizations::filter(&me.actor, &Default::default())? {
        f.limit = 10_000;
        organizations = state.store.organizations(&f).await?.items;
    }
    // A producer has one organization: choose it already.
    let chosen = match organizations.as_slice() {
        [only] if form.organization_id.trim().is_empty() => only.id.to_string(),
        _ => form.organization_id.clone(),
    };
    let organizations = common::choices(
        organizations
            .into_iter()
            .map(|o| (o.id.to_string(), o.name)),
        &chosen,
    );
    let criteria_sets = common::choices(
        ocop_domain::criteria::criteria_sets().iter().map(|s| {
            (
                s.number.to_string(),
                format!("{}. {} ({})", s.number, s.name, s.group),
            )
        }),
        &form.criteria_set,
    );
    let (here, registered) = match product {
        None => ("/registry/products/new".to_string(), None),
        Some(p) => {
            let (name, group) = set_label(i64::from(p.criteria_set));
            let registered = Registered {
                criteria_set: format!("{}. {name}", p.criteria_set),
                group,
                commune: common::commune_name(state, &p.commune_code).await?,
                status: common::status_label(tr, p.status),
                key_level: p
                    .key_level
                    .map(|k| common::key_level_label(tr, k))
                    .unwrap_or(""),
                standard_declared_on: present::maybe_date(p.standard_declared_on),
                food_safety_expires_on: present::maybe_date(p.food_safety_expires_on),
                documents: common::documents(state, tr, OwnerKind::Product, p.id, &PURPOSES)
                    .await?,
                product: p,
            };
            (
                format!("/registry/products/{}", registered.product.id),
                Some(registered),
            )
        }
    };
    Ok(ProductPage {
        tr,
        nav: Nav::for_user(me, &here),
        registered,
        organizations,
        criteria_sets,
        key_levels: common::key_levels(tr, &form.key_level),
        statuses: common::statuses(tr, &form.status),
        form,
        can_edit: common::may_edit(me),
        error: None,
        notice: None,
    })
}

async fn with_error(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    product: Option<Product>,
    form: ProductForm,
    problem: Problem,
) -> Result<Response, WebError> {
    let (error, status) = form_error(tr, problem)?;
    let mut p = page(state, me, tr, product, form).await?;
    p.error = Some(error);
    let mut response = render(&p);
    *response.status_mut() = status;
    Ok(response)
}

fn require_edit(me: &WebUser) -> Result<(), WebError> {
    if common::may_edit(me) {
        Ok(())
    } else {
        Err(WebError(forbidden(
            "your role may read the register but not change it",
        )))
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    organization_id: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    crate::registry::reach(&me.actor)?;
    require_edit(&me)?;
    let form = ProductForm {
        organization_id: q.organization_id.unwrap_or_default(),
        status: "draft".into(),
        ..Default::default()
    };
    Ok(render(&page(&state, &me, Tr(lang), None, form).await?))
}

pub async fn create(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(form): CsrfForm<ProductForm>,
) -> Result<Response, WebError> {
    require_edit(&me)?;
    let tr = Tr(lang);
    let input = match form.input() {
        Ok(i) => i,
        Err(p) => return with_error(&state, &me, tr, None, form, p).await,
    };
    match service::create(&*state.store, requester(&me), &input).await {
        Ok(p) => Ok(Redirect::to(&format!("/registry/products/{}?saved=1", p.id)).into_response()),
        Err(p) => with_error(&state, &me, tr, None, form, p).await,
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
    let product = service::visible(&*state.store, requester(&me), id).await?;
    let form = ProductForm::of(&product);
    let mut p = page(&state, &me, tr, Some(product), form).await?;
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
    CsrfForm(form): CsrfForm<ProductForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let by = requester(&me);
    let result = match form.input() {
        Ok(input) => service::update(&*state.store, by, id, &input).await,
        Err(p) => Err(p),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/registry/products/{id}?saved=1")).into_response()),
        Err(p) => {
            // The page around the form shows the record as stored, not as typed.
            let product = service::visible(&*state.store, by, id).await?;
            with_error(&state, &me, tr, Some(product), form, p).await
        }
    }
}
