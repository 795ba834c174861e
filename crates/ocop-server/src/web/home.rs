//! `/`: a welcome for visitors; for signed-in users, what their role does here.

use super::{render, Nav};
use crate::auth::extract::MaybeWebUser;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::response::Response;
use ocop_domain::access::Capability;

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
}

pub async fn page(MaybeWebUser(user): MaybeWebUser, lang: Lang) -> Response {
    let tr = Tr(lang);
    let signed_in = user.as_ref().map(|u| SignedIn {
        name: u.user.name.clone(),
        role_label: tr.role(&u.user.role),
        role_text: tr.t(&format!("home.{}", u.user.role.as_str())),
        scope: u
            .user
            .commune_code
            .clone()
            .or(u.user.province_code.clone())
            .unwrap_or_else(|| tr.t("home.nationwide").to_string()),
        can_admin: u.actor.may(Capability::ManageUsers),
        can_audit: u.actor.may(Capability::ViewAuditLog),
    });
    let nav = match &user {
        Some(u) => Nav::for_user(u, "/"),
        None => Nav::anonymous("/"),
    };
    render(&HomePage { tr, nav, signed_in })
}
