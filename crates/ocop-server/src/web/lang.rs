//! `GET /lang/{vi|en}?next=…`: switches the UI language (a cookie) and goes back.

use super::safe_next;
use crate::app::AppState;
use crate::auth::session::LANG_COOKIE;
use crate::i18n::Lang;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code()
    );
    let mut response = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("ASCII cookie"),
    );
    response
}
