//! Councils' rounds: an OCOP office names a round and its council (chair, secretary, members);
//! evaluators see the rounds they sit on.

use super::Caller;
use crate::error::{forbidden, not_found, unprocessable, Problem};
use chrono::NaiveDate;
use ocop_domain::evaluation::{check_council, may_name_council, CouncilRole};
use ocop_domain::{Actor, Role};
use ocop_store::{NewRound, Round, Store};

pub async fn create(
    store: &dyn Store,
    who: Caller<'_>,
    central: bool,
    name: &str,
    held_by: NaiveDate,
    members: Vec<(i64, CouncilRole)>,
) -> Result<Round, Problem> {
    let actor = who.actor;
    if !may_name_council(actor.role, central) {
        return Err(forbidden(match central {
            true => "the central office names the central council",
            false => "a province's OCOP office names its councils",
        }));
    }
    let province = match central {
        true => None,
        false => actor.province.as_ref().map(|p| p.to_string()),
    };
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(unprocessable(
            "name",
            "required",
            "the round needs a name (at most 200 characters)",
        ));
    }
    check_council(&members).map_err(|why| unprocessable("members", "invalid_council", why))?;
    for (id, _) in &members {
        let user = store
            .user(*id)
            .await?
            .filter(|u| !u.disabled)
            .ok_or_else(|| {
                unprocessable(
                    "members",
                    "unknown_reference",
                    format!("there is no active user {id}"),
                )
            })?;
        if !ocop_domain::evaluation::may_sit(
            user.role,
            user.province_code.as_deref(),
            province.as_deref(),
        ) {
            return Err(unprocessable(
                "members",
                "invalid_council",
                format!("{} ({}) cannot sit on this council: members are evaluators or OCOP officers of the province", user.name, user.role),
            ));
        }
    }
    let new = NewRound {
        province_code: province.clone(),
        name: name.to_string(),
        held_by,
        members,
        created_by: Some(actor.user_id),
    };
    let audit = who.by().audit(
        "round_created",
        province.as_deref().and_then(|p| p.parse().ok()).as_ref(),
        serde_json::json!({"name": name}),
    );
    Ok(store.create_round(&new, &audit).await?)
}

/// The rounds a caller works with: a province's (and the central ones for central users), or
/// those an evaluator sits on.
pub async fn list(store: &dyn Store, actor: &Actor) -> Result<Vec<Round>, Problem> {
    if !ocop_domain::evaluation::works_in_rounds(actor.role) {
        return Err(forbidden("rounds are for OCOP offices and council members"));
    }
    match actor.role {
        Role::Central => Ok(store.rounds(None, true, None).await?),
        Role::Admin => Ok(store
            .rounds(
                actor.province.as_ref().map(|p| p.as_str()),
                false,
                Some(actor.user_id),
            )
            .await?),
        // A council member sees the rounds it sits on.
        _ => Ok(store.rounds(None, false, Some(actor.user_id)).await?),
    }
}

pub async fn get(store: &dyn Store, actor: &Actor, id: i64) -> Result<Round, Problem> {
    let round = store.round(id).await?.ok_or_else(|| not_found("round"))?;
    let visible = match actor.role {
        Role::Central => true,
        Role::Admin => {
            round.province_code.as_deref() == actor.province.as_ref().map(|p| p.as_str())
                || round.seat(actor.user_id).is_some()
        }
        _ => round.seat(actor.user_id).is_some(),
    };
    if visible {
        Ok(round)
    } else {
        Err(not_found("round"))
    }
}

/// A round's dossiers with a consolidated result, ranked (DESIGN §2): ranked dossiers by their
/// mean total, highest first; stopped or disqualified ones (no stars) after them, unranked.
pub async fn ranking(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<Vec<ocop_store::Dossier>, Problem> {
    let round = get(store, actor, id).await?;
    let filter = ocop_store::DossierFilter {
        round_id: Some(round.id),
        ..Default::default()
    };
    let mut scored: Vec<_> = store
        .dossiers(&filter)
        .await?
        .into_iter()
        .filter(|d| d.result.is_some())
        .collect();
    scored.sort_by(|a, b| {
        b.stars
            .is_some()
            .cmp(&a.stars.is_some())
            .then(b.total.unwrap_or(0.0).total_cmp(&a.total.unwrap_or(0.0)))
            .then(a.id.cmp(&b.id))
    });
    Ok(scored)
}
