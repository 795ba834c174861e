//! Session, pre-session and language cookies.

use crate::app::AppState;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use chrono::{Duration, Utc};
use cookie::{Cookie, SameSite};

pub const SESSION_COOKIE: &str = "ocop_session";
/// A random value set before sign-in, so the sign-in form itself carries a CSRF token.
pub const PRE_SESSION_COOKIE: &str = "ocop_pre";
pub const LANG_COOKIE: &str = "ocop_lang";
pub const SESSION_HOURS: i64 = 12;

pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// A cookie the browser keeps from scripts (HttpOnly), sends on same-site navigation only
/// (SameSite=Lax), and over HTTPS only when the public URL is HTTPS.
pub fn private_cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age_secs: i64,
) -> HeaderValue {
    let c = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&c.to_string()).expect("cookie values are URL-safe")
}

pub fn expired_cookie(name: &'static str) -> HeaderValue {
    let c = Cookie::build((name, ""))
        .path("/")
        .max_age(cookie::time::Duration::ZERO)
        .build();
    HeaderValue::from_str(&c.to_string()).expect("static cookie")
}

/// Starts a new session for a user. A fresh token every time: signing in never reuses the
/// token a visitor arrived with, so a planted cookie cannot be upgraded (session fixation).
pub async fn start(
    state: &AppState,
    user_id: i64,
    headers: &mut HeaderMap,
) -> Result<String, crate::error::Problem> {
    let token = super::secrets::new_token("s_");
    let expires = Utc::now() + Duration::hours(SESSION_HOURS);
    state
        .store
        .create_session(&super::secrets::token_hash(&token), user_id, expires)
        .await?;
    headers.append(
        SET_COOKIE,
        private_cookie(state, SESSION_COOKIE, token.clone(), SESSION_HOURS * 3600),
    );
    headers.append(SET_COOKIE, expired_cookie(PRE_SESSION_COOKIE));
    Ok(token)
}

/// Ends the session named by the request's cookie, if any.
pub async fn end(
    state: &AppState,
    request_headers: &HeaderMap,
    headers: &mut HeaderMap,
) -> Result<(), crate::error::Problem> {
    if let Some(token) = read_cookie(request_headers, SESSION_COOKIE) {
        state
            .store
            .delete_session(&super::secrets::token_hash(&token))
            .await?;
    }
    headers.append(SET_COOKIE, expired_cookie(SESSION_COOKIE));
    Ok(())
}
