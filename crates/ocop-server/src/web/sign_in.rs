//! Signing in and out of the web UI.

use super::{render, safe_next, Nav};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::extract::MaybeWebUser;
use crate::auth::password;
use crate::auth::secrets::new_token;
use crate::auth::session::{self, PRE_SESSION_COOKIE};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ocop_domain::Password;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    tr: Tr,
    nav: Nav,
    csrf: String,
    next: String,
    email: String,
    error: Option<&'static str>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    signed_out: Option<String>,
    password_changed: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    MaybeWebUser(user): MaybeWebUser,
    lang: Lang,
    headers: HeaderMap,
    Query(q): Query<SignInQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if user.is_some() {
        return Redirect::to(&next).into_response();
    }
    let tr = Tr(lang);
    // The sign-in form needs a CSRF token before there is a session: bind it to the cookie
    // the check will look at (a stale session cookie, else a random pre-session cookie).
    let (binding, fresh_pre) = match crate::auth::csrf::binding(&headers) {
        Some(b) => (b, None),
        None => {
            let pre = new_token("p_");
            (format!("pre:{pre}"), Some(pre))
        }
    };
    let notice = if q.signed_out.is_some() {
        Some(tr.t("sign_in.signed_out"))
    } else if q.password_changed.is_some() {
        Some(tr.t("account.password_changed"))
    } else {
        None
    };
    let page = SignInPage {
        tr,
        nav: Nav::anonymous("/sign-in"),
        csrf: state.secrets.csrf_token(&binding),
        next,
        email: String::new(),
        error: None,
        notice,
    };
    let mut response = render(&page);
    if let Some(pre) = fresh_pre {
        response.headers_mut().append(
            SET_COOKIE,
            session::private_cookie(&state, PRE_SESSION_COOKIE, pre, 12 * 3600),
        );
    }
    response
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    lang: Lang,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let email = form.email.trim().to_lowercase();
    let again = |status: StatusCode, error: &'static str| {
        let binding = crate::auth::csrf::binding(&headers).unwrap_or_default();
        let page = SignInPage {
            tr,
            nav: Nav::anonymous("/sign-in"),
            csrf: state.secrets.csrf_token(&binding),
            next: safe_next(Some(&form.next)),
            email: email.clone(),
            error: Some(error),
            notice: None,
        };
        let mut r = render(&page);
        *r.status_mut() = status;
        r
    };
    if !state.limits.allow_sign_in(peer.ip(), &email) {
        tracing::warn!(ip = %peer.ip(), "sign-in rate limit reached");
        let mut r = again(StatusCode::TOO_MANY_REQUESTS, tr.problem("rate_limited"));
        r.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("60"),
        );
        return Ok(r);
    }
    let found = state.store.user_credentials(&email).await?;
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    let ok = password::verify(Password::attempt(&form.password), hash).await;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        // One message for unknown e-mail, wrong password and disabled account: no hints.
        _ => return Ok(again(StatusCode::UNAUTHORIZED, tr.t("sign_in.failed"))),
    };
    let mut response = Redirect::to(&safe_next(Some(&form.next))).into_response();
    session::start(&state, user.id, response.headers_mut()).await?;
    Ok(response)
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let mut response = Redirect::to("/sign-in?signed_out=1").into_response();
    session::end(&state, &headers, response.headers_mut()).await?;
    Ok(response)
}
