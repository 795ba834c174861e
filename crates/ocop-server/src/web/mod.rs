//! The web UI: server-rendered pages that work without JavaScript on a cheap phone.

pub mod account;
pub mod admin_users;
pub mod assets;
pub mod audit;
pub mod catalog;
pub mod cycles;
pub mod documents;
pub mod dossiers;
pub mod home;
pub mod lang;
pub mod organizations;
pub mod products;
pub mod registry_common;
pub mod sheets;
pub mod sign_in;
pub mod stamps;
pub mod verify;
pub mod watch;

use crate::auth::WebUser;
use crate::error::Problem;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use ocop_domain::access::Capability;

/// What the page frame (header, navigation, language switch) needs.
pub struct Nav {
    pub user_name: Option<String>,
    pub can_admin: bool,
    /// May see the register of organizations and products.
    pub can_registry: bool,
    pub csrf: String,
    /// This page's path and query, so the language switch comes back here.
    pub here: String,
    /// Error pages do not know who is looking: they offer neither sign-in nor sign-out.
    pub offer_sign_in: bool,
    /// Watches scan alerts and shoppers' reports (not council members).
    pub can_watch: bool,
    /// Takes part in the OCOP cycle and evaluation (everyone but market inspectors).
    pub can_evaluate: bool,
}

impl Nav {
    pub fn for_user(user: &WebUser, here: &str) -> Nav {
        Nav {
            user_name: Some(user.user.name.clone()),
            can_admin: user.actor.may(Capability::ManageUsers),
            can_registry: user.actor.may(Capability::ReadRegistry),
            csrf: user.csrf.clone(),
            here: crate::auth::extract::url_escape(here),
            offer_sign_in: false,
            can_watch: crate::verify::watch::filter(&user.actor).is_ok(),
            can_evaluate: ocop_domain::evaluation::takes_part(user.actor.role),
        }
    }

    pub fn anonymous(here: &str) -> Nav {
        Nav {
            user_name: None,
            can_admin: false,
            can_registry: false,
            csrf: String::new(),
            here: crate::auth::extract::url_escape(here),
            offer_sign_in: false,
            can_watch: false,
            can_evaluate: false,
        }
    }
}

/// Renders a template as an HTML page; a template error is logged and becomes a 500.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            crate::error::WebError(crate::error::internal()).into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    tr: Tr,
    nav: Nav,
    message: &'static str,
    detail: String,
    status: u16,
}

/// Turns a [`Problem`] left in a response's extensions into a friendly page in the visitor's
/// language.
pub async fn problem_pages(request: Request, next: Next) -> Response {
    let lang = Lang::from_headers(request.headers());
    let here = request.uri().path().to_string();
    let response = next.run(request).await;
    let Some(problem) = response.extensions().get::<Problem>().cloned() else {
        return response;
    };
    let tr = Tr(lang);
    let page = ErrorPage {
        tr,
        nav: Nav {
            offer_sign_in: false,
            ..Nav::anonymous(&here)
        },
        message: tr.problem(problem.code),
        detail: problem.detail.clone(),
        status: problem.status,
    };
    let mut rendered = render(&page);
    *rendered.status_mut() = problem.status();
    if let Some(v) = response.headers().get(header::RETRY_AFTER) {
        rendered
            .headers_mut()
            .insert(header::RETRY_AFTER, v.clone());
    }
    rendered
}

/// A local path to go back to after a redirect; anything else becomes "/".
///
/// Only a path of this site is taken: it must start with one "/" and hold no backslash,
/// control character or space (browsers drop a tab or line break, so `/\t/evil.example`
/// would become `//evil.example`, another site). It is then parsed as a URL relative to this
/// site and written out again from its path and query, percent-encoded, so what goes into the
/// `Location` header is always a valid header value on this site.
pub fn safe_next(next: Option<&str>) -> String {
    const HERE: &str = "http://this.site.invalid/";
    let Some(n) = next else {
        return "/".to_string();
    };
    let plain = n.starts_with('/')
        && !n.starts_with("//")
        && !n
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    let here = url::Url::parse(HERE).expect("a valid base");
    match here.join(n) {
        Ok(u) if plain && u.origin() == here.origin() => {
            let mut local = u.path().to_string();
            if let Some(q) = u.query() {
                local.push('?');
                local.push_str(q);
            }
            if let Some(f) = u.fragment() {
                local.push('#');
                local.push_str(f);
            }
            local
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/admin/users?x=1")), "/admin/users?x=1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/\t/evil.example/phish",
            "/\n/evil.example",
            "/\r\nX-Injected: 1",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "",
            "evil",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
        // Kept, and written so that it is always a valid header value.
        assert_eq!(
            safe_next(Some("/registry/products?q=chè")),
            "/registry/products?q=ch%C3%A8"
        );
        assert_eq!(
            safe_next(Some("/watch/alerts?state=new#alert-3")),
            "/watch/alerts?state=new#alert-3"
        );
        assert_eq!(safe_next(Some("/a/../b")), "/b");
        assert_eq!(
            safe_next(Some("/%2F%2Fevil.example")),
            "/%2F%2Fevil.example"
        );
    }
}
