//! `/`: a welcome for visitors; for signed-in users, what their role does here.

use super::{render, Nav};
use crate::app::AppState;
use crate::auth::extract::MaybeWebUser;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use ocop_domain::access::Capability;
use ocop_domain::Actor;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    tr: Tr,
    nav: Nav,
    signed_in: Option<SignedIn>,
}

struct SignedIn {
    name: String,
    role_label: &'static str,
    role_text: &'static str,
    scope: String,
    can_admin: bool,
    can_audit: bool,
    can_registry: bool,
}

pub async fn page(
    State(state): State<AppState>,
    MaybeWebUser(user): MaybeWebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let signed_in = match &user {
        Some(u) => Some(SignedIn {
            name: u.user.name.clone(),
            role_label: tr.role(&u.user.role),
            role_text: tr.t(&format!("home.{}", u.user.role.as_str())),
            scope: scope_label(&state, &u.actor, tr).await?,
            can_admin: u.actor.may(Capability::ManageUsers),
            can_audit: u.actor.may(Capability::ViewAuditLog),
            can_registry: u.actor.may(Capability::ReadRegistry),
        }),
        None => None,
    };
    let nav = match &user {
        Some(u) => Nav::for_user(u, "/"),
        None => Nav::anonymous("/"),
    };
    Ok(render(&HomePage { tr, nav, signed_in }))
}

/// "Xã Đường Hoa, Quảng Ninh", or nation-wide for central users.
async fn scope_label(state: &AppState, actor: &Actor, tr: Tr) -> Result<String, WebError> {
    let mut parts = Vec::new();
    for code in [&actor.commune, &actor.province].into_iter().flatten() {
        if let Some(l) = state.store.locality(code).await? {
            parts.push(l.name);
        }
    }
    Ok(if parts.is_empty() {
        tr.t("home.nationwide").to_string()
    } else {
        parts.join(", ")
    })
}
