//! Extractors that say who is calling: [`WebUser`] from the session cookie, [`ApiUser`] from
//! an `Authorization: Bearer` token.

use super::secrets::token_hash;
use super::session::{read_cookie, SESSION_COOKIE};
use crate::app::AppState;
use crate::error::{unauthorized, ApiError};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use ocop_domain::{Actor, LocalityCode};
use ocop_store::User;

/// The actor a user acts as: role and scope, as recorded.
pub fn actor_of(user: &User) -> Actor {
    let code = |c: &Option<String>| c.as_deref().and_then(|s| s.parse::<LocalityCode>().ok());
    Actor {
        user_id: user.id,
        role: user.role,
        province: code(&user.province_code),
        commune: code(&user.commune_code),
        organization_id: user.organization_id,
    }
}

/// A signed-in visitor of the web UI.
#[derive(Clone)]
pub struct WebUser {
    pub user: User,
    pub actor: Actor,
    /// The CSRF token for forms on pages rendered for this user.
    pub csrf: String,
}

/// Sends a visitor who is not signed in to the sign-in page, and back afterwards.
pub struct SignInFirst(Uri);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let next = self.0.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let target = format!("/sign-in?next={}", url_escape(next));
        Redirect::to(&target).into_response()
    }
}

pub fn url_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = read_cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(SignInFirst(parts.uri.clone()).into_response());
        };
        let user = state
            .store
            .session_user(&token_hash(&token), Utc::now())
            .await
            .map_err(|e| crate::error::WebError(e.into()).into_response())?;
        match user {
            Some(user) => Ok(WebUser {
                actor: actor_of(&user),
                csrf: state.secrets.csrf_token(&format!("session:{token}")),
                user,
            }),
            None => Err(SignInFirst(parts.uri.clone()).into_response()),
        }
    }
}

/// A signed-in visitor, or nobody.
pub struct MaybeWebUser(pub Option<WebUser>);

impl FromRequestParts<AppState> for MaybeWebUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if read_cookie(&parts.headers, SESSION_COOKIE).is_none() {
            return Ok(MaybeWebUser(None));
        }
        match WebUser::from_request_parts(parts, state).await {
            Ok(u) => Ok(MaybeWebUser(Some(u))),
            Err(r) if r.status().is_redirection() => Ok(MaybeWebUser(None)),
            Err(r) => Err(r),
        }
    }
}

/// A caller of the JSON API, identified by its token.
pub struct ApiUser {
    pub user: User,
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError(unauthorized()))?;
        let user = state
            .store
            .token_user(&token_hash(token))
            .await?
            .ok_or_else(|| ApiError(unauthorized()))?;
        Ok(ApiUser {
            actor: actor_of(&user),
            user,
        })
    }
}
