//! One error shape for the whole server: a [`Problem`] with a stable snake_case code.
//!
//! The API answers it as `application/problem+json` (RFC 9457); the web UI renders it as a
//! friendly page in the visitor's language (see `web::problem_pages`); the CLI prints one line.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ocop_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the `code` says what happened.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    /// What went wrong and how to fix it, in English.
    pub detail: String,
    /// Stable machine code, e.g. `email_taken`; the UI translates it.
    pub code: &'static str,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// Per-item errors (e.g. the rows of a refused import), when there are several.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub errors: Option<Box<serde_json::Value>>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            field: None,
            errors: None,
        }
    }

    pub fn with_code(mut self, code: &'static str) -> Problem {
        self.code = code;
        self
    }

    pub fn with_field(mut self, field: &'static str) -> Problem {
        self.field = Some(field);
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

// Constructors, one per kind of answer, so handlers read as what they mean.
pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, code, detail)
}
pub fn unprocessable(
    field: &'static str,
    code: &'static str,
    detail: impl Into<String>,
) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail).with_field(field)
}
pub fn unauthorized() -> Problem {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "sign in first, or send `Authorization: Bearer <token>` (create one with `ocop token create`)",
    )
}
pub fn forbidden(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
}
pub fn not_found(what: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("{what} not found"),
    )
}
pub fn conflict(code: &'static str, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::CONFLICT, code, detail)
}
pub fn too_many_requests() -> Problem {
    Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many attempts: wait a minute and try again",
    )
}
pub fn internal() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "something went wrong on our side; it has been logged",
    )
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::Conflict("email") => {
                conflict("email_taken", "a user with this e-mail already exists")
            }
            StoreError::Conflict(what) => conflict("conflict", format!("{what} is already in use")),
            StoreError::MissingReference(what) => unprocessable(
                "reference",
                "unknown_reference",
                format!("the {what} does not exist"),
            ),
            StoreError::NotFound => not_found("record"),
            // The procedure's refusals say what state the record is in and what is possible.
            StoreError::Step(refused @ ocop_domain::evaluation::StepRefused::Role { .. }) => {
                forbidden(refused.to_string())
            }
            StoreError::Step(refused) => conflict("step_refused", refused.to_string()),
            StoreError::Refused(why) => conflict("refused", why),
            StoreError::Proposal(refused) => {
                use ocop_domain::cycle::ProposalRefused as R;
                let detail = refused.to_string();
                match refused {
                    R::Role { .. } => forbidden(detail),
                    R::State { .. } => conflict("refused", detail),
                    R::ReasonRequired => unprocessable("reason", "required", detail),
                    R::IdeaNotAccepted(_) => unprocessable("idea_id", "idea_not_accepted", detail),
                }
            }
            other => {
                // 5xx never leaks internals to the client; the log keeps them.
                tracing::error!(error = %other, "store failure");
                internal()
            }
        }
    }
}

/// A problem answered as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl<E: Into<Problem>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let body = serde_json::to_vec(&self.0).unwrap_or_default();
        let mut response = (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        // The limits count per minute: say when to come back.
        if status == StatusCode::TOO_MANY_REQUESTS {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("60"),
            );
        }
        response
    }
}

/// A problem on a web page: the response carries the problem as an extension, and the web
/// layer's middleware renders it in the visitor's language.
#[derive(Debug)]
pub struct WebError(pub Problem);

impl<E: Into<Problem>> From<E> for WebError {
    fn from(e: E) -> Self {
        WebError(e.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut response = self.0.status().into_response();
        response.extensions_mut().insert(self.0);
        response
    }
}

/// A start-up or CLI failure: one line that says what is wrong and how to fix it.
#[derive(Debug)]
pub struct Fatal(pub String);

impl Fatal {
    pub fn new(s: impl Into<String>) -> Fatal {
        Fatal(s.into())
    }
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fatal {}

impl From<StoreError> for Fatal {
    fn from(e: StoreError) -> Fatal {
        Fatal(e.to_string())
    }
}

impl From<Problem> for Fatal {
    fn from(p: Problem) -> Fatal {
        Fatal(p.detail)
    }
}
