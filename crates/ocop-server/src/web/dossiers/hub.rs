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
use ocop_domain::evaluation::DossierState;
use ocop_domain::Role;
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

/// The states in which a dossier waits for this role's step.
fn waits_for(role: Role) -> &'static [DossierState] {
    use DossierState::*;
    match role {
        Role::Producer => &[Draft, Returned],
        Role::Officer => &[Submitted],
        Role::Admin => &[CommuneChecked, Scored],
        Role::Central => &[Forwarded, Scored],
        Role::Evaluator => &[InRound],
        Role::Inspector => &[],
    }
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
    let wanted = waits_for(role);
    let mut waiting = 0;
    for state in wanted {
        let (list, total) = dossiers::list(
            store,
            &me.actor,
            DossierFilter {
                state: Some(*state),
                ..Default::default()
            },
        )
        .await?;
        if role != Role::Evaluator {
            waiting += usize::try_from(total).unwrap_or(0);
            continue;
        }
        // A council member waits only on the sheets not yet handed in.
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
    let waiting_href = match wanted {
        [only] => format!("/dossiers?state={}", only.as_str()),
        _ => "/dossiers".to_string(),
    };
    let mut entries = Vec::new();
    if role != Role::Evaluator {
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
    if matches!(role, Role::Admin | Role::Central | Role::Evaluator) {
        let n = rounds::list(store, &me.actor).await?.len();
        entries.push(Entry {
            id: "hub-rounds",
            href: "/rounds".into(),
            label: tr.t("evaluation.rounds"),
            hint: tr.t("evaluation.rounds_hint"),
            count: Some(n),
        });
    }
    if role != Role::Evaluator {
        let today = crate::verify::answer::today_in_vietnam();
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
