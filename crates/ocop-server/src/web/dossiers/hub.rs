//! `/evaluation`: where each role's evaluation work starts, with what waits for it.

use crate::app::AppState;
use crate::auth::WebUser;
use crate::error::WebError;
use crate::evaluation::{certificates, dossiers, rounds};
use crate::i18n::{Lang, Tr};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use ocop_domain::access::Capability;
use ocop_domain::evaluation::DossierState;
use ocop_store::DossierFilter;

/// One link of the hub, with a count where one is cheap.
pub struct Entry {
    pub id: &'static str,
    pub href: String,
    pub label: &'static str,
    pub hint: &'static str,
    pub count: Option<usize>,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct HubPage {
    tr: Tr,
    nav: Nav,
    entries: Vec<Entry>,
    /// Dossiers waiting for this viewer's step, and the list link that shows them.
    waiting: usize,
    waiting_href: String,
}

pub async fn page(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let store = &*state.store;
    let role = me.actor.role;
    let (_, all) = dossiers::list(
        store,
        &me.actor,
        DossierFilter {
            limit: Some(0),
            ..Default::default()
        },
    )
    .await?;
    let wanted = DossierState::waiting_for(role);
    let mut waiting = 0;
    for state in &wanted {
        let (list, total) = dossiers::list(
            store,
            &me.actor,
            DossierFilter {
                state: Some(*state),
                ..Default::default()
            },
        )
        .await?;
        // In a round, a council member's own work is its sheet: it waits only on the sheets
        // not yet handed in.
        if *state != DossierState::InRound {
            waiting += usize::try_from(total).unwrap_or(0);
            continue;
        }
        for (d, _) in &list {
            let seen = dossiers::seen(store, &me.actor, d.id).await?;
            let mine = dossiers::sheets(store, &me.actor, &seen).await?;
            if !mine
                .iter()
                .any(|s| s.user_id == me.actor.user_id && s.submitted_at.is_some())
            {
                waiting += 1;
            }
        }
    }
    let waiting_href = match wanted.as_slice() {
        [only] => format!("/dossiers?state={}", only.as_str()),
        _ => "/dossiers".to_string(),
    };
    let mut entries = Vec::new();
    if ocop_domain::cycle::may_follow(role) {
        entries.push(Entry {
            id: "hub-cycles",
            href: "/cycles".into(),
            label: tr.t("evaluation.cycles"),
            hint: tr.t("evaluation.cycles_hint"),
            count: None,
        });
    }
    entries.push(Entry {
        id: "hub-dossiers",
        href: "/dossiers".into(),
        label: tr.t("evaluation.dossiers"),
        hint: tr.t(&format!("evaluation.dossiers_hint.{}", role.as_str())),
        count: Some(usize::try_from(all).unwrap_or(0)),
    });
    if ocop_domain::evaluation::works_in_rounds(role) {
        let n = rounds::list(store, &me.actor).await?.len();
        entries.push(Entry {
            id: "hub-rounds",
            href: "/rounds".into(),
            label: tr.t("evaluation.rounds"),
            hint: tr.t("evaluation.rounds_hint"),
            count: Some(n),
        });
    }
    if me.actor.may(Capability::ReadRegistry) {
        let today = crate::present::today_in_vietnam();
        let n = certificates::notices(store, &me.actor, today).await?.len();
        entries.push(Entry {
            id: "hub-expiring",
            href: "/certificates/expiring".into(),
            label: tr.t("evaluation.expiring"),
            hint: tr.t("evaluation.expiring_hint"),
            count: Some(n),
        });
    }
    Ok(render(&HubPage {
        tr,
        nav: Nav::for_user(&me, "/evaluation"),
        entries,
        waiting,
        waiting_href,
    }))
}
