//! `/account`: one's own details and password.

use super::{render, Nav};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ocop_store::User;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    tr: Tr,
    nav: Nav,
    user: User,
    role_label: &'static str,
    error: Option<&'static str>,
}

pub async fn page(me: WebUser, lang: Lang) -> Response {
    let tr = Tr(lang);
    render(&AccountPage {
        tr,
        nav: Nav::for_user(&me, "/account"),
        role_label: tr.role(&me.user.role),
        user: me.user,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    match crate::users::change_own_password(
        &*state.store,
        &me.actor,
        &me.user.email,
        &form.current,
        &form.new,
    )
    .await
    {
        // Changing the password ends every session, this one included.
        Ok(()) => Ok(Redirect::to("/sign-in?password_changed=1").into_response()),
        Err(p) if p.status == 422 => {
            let tr = Tr(lang);
            let mut r = render(&AccountPage {
                tr,
                nav: Nav::for_user(&me, "/account"),
                role_label: tr.role(&me.user.role),
                error: Some(tr.problem(p.code)),
                user: me.user,
            });
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(p) => Err(WebError(p)),
    }
}
