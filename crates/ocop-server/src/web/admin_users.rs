//! `/admin/users`: central users and provincial admins manage accounts.

use super::{render, Nav};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{forbidden, Problem, WebError};
use crate::i18n::{Lang, Tr};
use crate::users::{self as service, Requester, UserChanges, UserInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::access::Capability;
use ocop_domain::{Locality, Role};
use ocop_store::{Organization, User, UserFilter};
use serde::Deserialize;

fn require_admin(user: &WebUser) -> Result<(), WebError> {
    if user.actor.may(Capability::ManageUsers) {
        Ok(())
    } else {
        Err(WebError(forbidden(
            "only central and provincial admins manage users",
        )))
    }
}

fn requester(user: &WebUser) -> Requester<'_> {
    Requester::Actor(&user.actor, &user.user.email)
}

#[derive(Template)]
#[template(path = "users_list.html")]
struct ListPage {
    tr: Tr,
    nav: Nav,
    users: Vec<User>,
}

pub async fn list(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    require_admin(&me)?;
    let filter = UserFilter {
        province: me.actor.province.clone(),
    };
    let users = state.store.users(&filter).await?;
    Ok(render(&ListPage {
        tr: Tr(lang),
        nav: Nav::for_user(&me, "/admin/users"),
        users,
    }))
}

/// The values shown in the user form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct UserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    disabled: Option<String>,
}

impl UserForm {
    fn organization(&self) -> Result<Option<i64>, Problem> {
        match self.organization_id.trim() {
            "" => Ok(None),
            s => s.parse().map(Some).map_err(|_| {
                crate::error::unprocessable(
                    "organization_id",
                    "unknown_organization",
                    "choose an organization from the list",
                )
            }),
        }
    }

    fn locality(&self) -> Option<String> {
        Some(self.locality.trim().to_string()).filter(|s| !s.is_empty())
    }
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage {
    tr: Tr,
    nav: Nav,
    /// `None` for a new user.
    id: Option<i64>,
    form: UserForm,
    roles: Vec<(Role, &'static str)>,
    localities: Vec<Locality>,
    organizations: Vec<Organization>,
    error: Option<String>,
    notice: Option<&'static str>,
    temporary_password: Option<String>,
}

impl FormPage {
    fn is_disabled(&self) -> bool {
        self.form.disabled.is_some()
    }
}

/// What the form offers: the roles the actor may grant, and the places and organizations in
/// its scope.
async fn form_page(
    state: &AppState,
    me: &WebUser,
    lang: Lang,
    id: Option<i64>,
    form: UserForm,
) -> Result<FormPage, WebError> {
    let tr = Tr(lang);
    let roles = Role::ALL
        .into_iter()
        .filter(|r| me.actor.may_grant(*r))
        .map(|r| (r, tr.role(&r)))
        .collect();
    let province = me.actor.province.clone();
    let mut localities = state.store.localities(None).await?;
    if let Some(p) = &province {
        localities.retain(|l| &l.code == p);
        localities.extend(state.store.localities(Some(p)).await?);
    }
    let filter = ocop_store::OrganizationFilter {
        province: province.clone(),
        limit: 10_000,
        ..Default::default()
    };
    let organizations = state.store.organizations(&filter).await?.items;
    let here = match id {
        Some(id) => format!("/admin/users/{id}"),
        None => "/admin/users/new".to_string(),
    };
    Ok(FormPage {
        tr,
        nav: Nav::for_user(me, &here),
        id,
        form,
        roles,
        localities,
        organizations,
        error: None,
        notice: None,
        temporary_password: None,
    })
}

/// Renders the form again with the problem explained and what was typed kept.
async fn form_with_error(
    state: &AppState,
    me: &WebUser,
    lang: Lang,
    id: Option<i64>,
    mut form: UserForm,
    problem: Problem,
) -> Result<Response, WebError> {
    if problem.status == 403 || problem.status == 404 || problem.status >= 500 {
        return Err(WebError(problem));
    }
    form.password.clear();
    let mut page = form_page(state, me, lang, id, form).await?;
    page.error = Some(format!(
        "{} ({})",
        page.tr.problem(problem.code),
        problem.detail
    ));
    let mut response = render(&page);
    *response.status_mut() =
        StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    Ok(response)
}

pub async fn new_form(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    require_admin(&me)?;
    let form = UserForm {
        role: "officer".into(),
        ..Default::default()
    };
    Ok(render(&form_page(&state, &me, lang, None, form).await?))
}

pub async fn create(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Result<Response, WebError> {
    require_admin(&me)?;
    let organization_id = match form.organization() {
        Ok(o) => o,
        Err(p) => return form_with_error(&state, &me, lang, None, form, p).await,
    };
    let input = UserInput {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
        locality: form.locality(),
        organization_id,
    };
    match service::create(&*state.store, requester(&me), input, &form.password).await {
        Ok(user) => {
            Ok(Redirect::to(&format!("/admin/users/{}?created=1", user.id)).into_response())
        }
        Err(p) => form_with_error(&state, &me, lang, None, form, p).await,
    }
}

#[derive(Deserialize)]
pub struct EditQuery {
    created: Option<String>,
    saved: Option<String>,
}

fn form_of(user: &User) -> UserForm {
    UserForm {
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role.as_str().to_string(),
        locality: user.locality_code.clone().unwrap_or_default(),
        organization_id: user
            .organization_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        password: String::new(),
        disabled: user.disabled.then(|| "on".to_string()),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    require_admin(&me)?;
    let user = service::visible_user(&*state.store, requester(&me), id).await?;
    let mut page = form_page(&state, &me, lang, Some(id), form_of(&user)).await?;
    page.notice = if q.created.is_some() {
        Some(page.tr.t("users.created"))
    } else if q.saved.is_some() {
        Some(page.tr.t("users.saved"))
    } else {
        None
    };
    Ok(render(&page))
}

pub async fn update(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Result<Response, WebError> {
    require_admin(&me)?;
    let organization_id = match form.organization() {
        Ok(o) => o,
        Err(p) => return form_with_error(&state, &me, lang, Some(id), form, p).await,
    };
    let changes = UserChanges {
        name: Some(form.name.clone()),
        role: Some(form.role.clone()),
        locality: Some(form.locality()),
        organization_id: Some(organization_id),
        disabled: Some(form.disabled.is_some()),
    };
    match service::update(&*state.store, requester(&me), id, changes).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?saved=1")).into_response()),
        Err(p) => form_with_error(&state, &me, lang, Some(id), form, p).await,
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::sign_in::Empty>,
) -> Result<Response, WebError> {
    require_admin(&me)?;
    let temporary = service::reset_password(&*state.store, requester(&me), id).await?;
    let user = service::visible_user(&*state.store, requester(&me), id).await?;
    let mut page = form_page(&state, &me, lang, Some(id), form_of(&user)).await?;
    page.temporary_password = Some(temporary);
    let mut response = render(&page);
    // The temporary password must not linger in any cache.
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}
