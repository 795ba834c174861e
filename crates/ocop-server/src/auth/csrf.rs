//! CSRF protection for every form: a token bound to the session (or pre-session) cookie,
//! plus an Origin check. Forms use [`CsrfForm`] instead of axum's `Form`.

use super::session::{read_cookie, PRE_SESSION_COOKIE, SESSION_COOKIE};
use crate::app::AppState;
use crate::error::{Problem, WebError};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The value a form's CSRF token is bound to.
pub fn binding(headers: &HeaderMap) -> Option<String> {
    read_cookie(headers, SESSION_COOKIE)
        .map(|s| format!("session:{s}"))
        .or_else(|| read_cookie(headers, PRE_SESSION_COOKIE).map(|p| format!("pre:{p}")))
}

fn csrf_failed() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "csrf_failed",
        "this form has expired or did not come from this site: reload the page and try again",
    )
}

/// Refuses a cross-site request: when the browser says where the request comes from, it must
/// be this host.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    url::Url::parse(origin)
        .ok()
        .map(|u| match u.port() {
            Some(p) => format!("{}:{p}", u.host_str().unwrap_or("")),
            None => u.host_str().unwrap_or("").to_string(),
        })
        .is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// A URL-encoded form whose `csrf` field has been checked.
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        if !same_origin(&headers) {
            return Err(WebError(csrf_failed()));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                WebError(crate::error::bad_request(
                    "bad_form",
                    "the form could not be read",
                ))
            })?;
        let field: CsrfField = parse_form(&bytes)?;
        let ok = binding(&headers).is_some_and(|b| state.secrets.csrf_matches(&b, &field.csrf));
        if !ok {
            return Err(WebError(csrf_failed()));
        }
        Ok(CsrfForm(parse_form(&bytes)?))
    }
}

fn parse_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    serde_urlencoded::from_bytes(bytes).map_err(|e| {
        WebError(crate::error::bad_request(
            "bad_form",
            format!("the form is incomplete: {e}"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_must_match_host_when_present() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, "null".parse().unwrap());
        assert!(!same_origin(&h));
    }
}
