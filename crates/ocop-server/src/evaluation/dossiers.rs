//! Dossiers as people move them: who sees which, who takes which step, the consolidation of
//! a council's sheets into a result, and recognition with its certificate. The rules of the
//! procedure are `ocop_domain::evaluation`'s; the store applies them in one transaction.

use super::{forms, Caller};
use crate::error::{forbidden, not_found, unprocessable, Problem};
use crate::registry;
use crate::users::Requester;
use chrono::NaiveDate;
use ocop_domain::criteria::{self, Answers};
use ocop_domain::evaluation::{CouncilRole, DossierKind, Step};
use ocop_domain::{Actor, Role};
use ocop_store::{Dossier, Move, NewCertificate, NewDossier, Round, ScoreSheet, Store};
use serde_json::Value;

/// A dossier with its round, as one caller may see it.
pub struct Seen {
    pub dossier: Dossier,
    pub round: Option<Round>,
    /// The caller's seat on the dossier's council, if any.
    pub seat: Option<CouncilRole>,
}

impl Seen {
    /// The caller moves this dossier as its producer or an office that reaches it (council
    /// members only score).
    pub fn moved_by(&self, actor: &Actor) -> bool {
        let place = registry::place(&self.dossier.province_code, &self.dossier.commune_code);
        actor.role != Role::Evaluator && actor.reaches(&place, self.dossier.organization_id)
    }

    /// The caller may fill Form 02 and its evidence (state permitting): it moves the dossier
    /// and may edit the register (never an inspector).
    pub fn forms_by(&self, actor: &Actor) -> bool {
        self.moved_by(actor) && actor.may(ocop_domain::access::Capability::EditRegistry)
    }

    /// Whether the caller may see every member's sheet (the chair, the secretary, the office).
    pub fn sees_all_sheets(&self, actor: &Actor) -> bool {
        matches!(actor.role, Role::Admin | Role::Central)
            || matches!(self.seat, Some(CouncilRole::Chair | CouncilRole::Secretary))
    }
}

/// The dossier if the caller reaches its product (locality scope or own organization) or sits
/// on its council; otherwise 404, so nobody learns which dossiers exist elsewhere.
pub async fn seen(store: &dyn Store, actor: &Actor, id: i64) -> Result<Seen, Problem> {
    let dossier = store
        .dossier(id)
        .await?
        .ok_or_else(|| not_found("dossier"))?;
    let round = match dossier.round_id {
        Some(r) => store.round(r).await?,
        None => None,
    };
    let seat = round
        .as_ref()
        .and_then(|r| r.seat(actor.user_id))
        .map(|s| s.role);
    let place = registry::place(&dossier.province_code, &dossier.commune_code);
    let reaches = actor.role != Role::Evaluator && actor.reaches(&place, dossier.organization_id);
    if reaches || seat.is_some() {
        Ok(Seen {
            dossier,
            round,
            seat,
        })
    } else {
        Err(not_found("dossier"))
    }
}

/// Opens a dossier (Form 01) for a product the caller may edit.
pub async fn create(
    store: &dyn Store,
    by: Requester<'_>,
    product_id: i64,
    kind: DossierKind,
    form: Value,
    today: NaiveDate,
) -> Result<Dossier, Problem> {
    if let Requester::Actor(a, _) = by {
        if !a.may(ocop_domain::access::Capability::EditRegistry) {
            return Err(forbidden(
                "producers, commune officers and OCOP offices open dossiers",
            ));
        }
    }
    let product = registry::products::visible(store, by, product_id).await?;
    forms::check_self_assessment(&form, product.criteria_set, false)?;
    let certificates = store.certificates(product_id).await?;
    let held = certificates
        .iter()
        .find(|c| c.shows_stars(today))
        .map(|c| (c.number.as_str(), c.stars, c.expires_on));
    kind.fits(held, today)
        .map_err(|e| unprocessable("kind", "invalid_dossier_kind", e.to_string()))?;
    let audit = by.audit(
        "dossier_created",
        product.province_code.parse().ok().as_ref(),
        serde_json::json!({"product": product.code, "kind": kind.as_str()}),
    );
    let new = NewDossier {
        product_id,
        kind,
        self_assessment: form,
        created_by: by.user_id(),
    };
    Ok(store.create_dossier(&new, &audit).await?)
}

pub async fn update_form(
    store: &dyn Store,
    who: Caller<'_>,
    id: i64,
    form: Value,
) -> Result<Dossier, Problem> {
    let (actor, by) = (who.actor, who.by());
    let seen = acting_on(store, actor, id).await?;
    if !seen.forms_by(actor) {
        return Err(forbidden(
            "the producer, its commune officer or the OCOP office fills Form 02",
        ));
    }
    forms::check_self_assessment(&form, seen.dossier.criteria_set, false)?;
    let audit = audit_of(
        by,
        &seen.dossier,
        "dossier_form_saved",
        serde_json::json!({}),
    );
    Ok(store.update_self_assessment(id, &form, &audit).await?)
}

/// A dossier the caller acts on as producer or office (not through a council seat).
async fn acting_on(store: &dyn Store, actor: &Actor, id: i64) -> Result<Seen, Problem> {
    let seen = seen(store, actor, id).await?;
    if !seen.moved_by(actor) {
        return Err(forbidden(
            "council members score dossiers; the producer and the offices move them",
        ));
    }
    Ok(seen)
}

fn audit_of(
    by: Requester<'_>,
    d: &Dossier,
    action: &'static str,
    details: Value,
) -> ocop_store::AuditEntry {
    let mut details = details;
    if let Value::Object(m) = &mut details {
        m.insert("product".into(), Value::String(d.product_code.clone()));
    }
    let mut entry = by.audit(action, d.province_code.parse().ok().as_ref(), details);
    entry.target = format!("dossier:{}", d.id);
    entry
}

/// What a step carries from the user.
pub enum StepInput {
    Submit,
    CommuneCheck(serde_json::Map<String, Value>),
    Return {
        reason: String,
        due_on: NaiveDate,
    },
    Assign {
        round_id: i64,
    },
    Consolidate {
        disqualified_if: Vec<usize>,
    },
    Forward,
    Recognize {
        decision_number: String,
        decided_on: NaiveDate,
    },
    Decline,
}

pub async fn step(
    store: &dyn Store,
    who: Caller<'_>,
    id: i64,
    input: StepInput,
    today: NaiveDate,
) -> Result<Dossier, Problem> {
    let (actor, by) = (who.actor, who.by());
    // Consolidation is the one step a council seat (the secretary) may take.
    let seen = match input {
        StepInput::Consolidate { .. } if actor.role == Role::Evaluator => {
            let seen = seen(store, actor, id).await?;
            if seen.seat != Some(CouncilRole::Secretary) {
                return Err(forbidden("the council's secretary consolidates its result"));
            }
            seen
        }
        _ => acting_on(store, actor, id).await?,
    };
    let d = &seen.dossier;
    let (step, action) = match &input {
        StepInput::Submit => (Step::Submit, "dossier_submitted"),
        StepInput::CommuneCheck(_) => (Step::CommuneCheck, "dossier_commune_checked"),
        StepInput::Return { .. } => (Step::Return, "dossier_returned"),
        StepInput::Assign { round_id } => {
            let central = store
                .round(*round_id)
                .await?
                .is_some_and(|r| r.is_central());
            (Step::Assign { central }, "dossier_assigned")
        }
        StepInput::Consolidate { .. } => (Step::Consolidate, "dossier_consolidated"),
        StepInput::Forward => (Step::Forward, "dossier_forwarded"),
        StepInput::Recognize { .. } => (
            Step::Recognize {
                stars: d.stars.and_then(|s| u8::try_from(s).ok()).unwrap_or(0),
            },
            "dossier_recognized",
        ),
        StepInput::Decline => (Step::Decline, "dossier_declined"),
    };
    let mut m = Move::new(step, actor.role, today);
    let mut details = serde_json::json!({});
    match input {
        StepInput::Submit => {
            forms::check_self_assessment(&d.self_assessment, d.criteria_set, true)?
        }
        StepInput::CommuneCheck(fields) => m.commune_report = Some(forms::commune_report(&fields)?),
        StepInput::Return { reason, due_on } => {
            let reason = reason.trim().to_string();
            if reason.is_empty() || reason.chars().count() > 2_000 {
                return Err(unprocessable(
                    "reason",
                    "required",
                    "say what is missing (at most 2,000 characters)",
                ));
            }
            if due_on <= today {
                return Err(unprocessable(
                    "due_on",
                    "invalid_date",
                    "the evidence must be due after today",
                ));
            }
            details = serde_json::json!({"reason": reason, "due_on": due_on});
            m.return_reason = Some(reason);
            m.return_due_on = Some(due_on);
        }
        StepInput::Assign { round_id } => {
            m.round_id = Some(round_id);
            details = serde_json::json!({"round": round_id});
        }
        StepInput::Consolidate { disqualified_if } => {
            let (result, total, stars) = consolidate(store, &seen, disqualified_if).await?;
            details = serde_json::json!({"total": total, "stars": stars});
            m.result = Some((result, total, stars));
        }
        StepInput::Recognize {
            decision_number,
            decided_on,
        } => {
            let decision_number = decision_number.trim().to_string();
            if decision_number.is_empty() || decision_number.chars().count() > 100 {
                return Err(unprocessable(
                    "decision_number",
                    "required",
                    "the decision number is required (at most 100 characters)",
                ));
            }
            let stars = d.stars.unwrap_or(0);
            let number = format!(
                "OCOP-{}-{}-{:05}",
                d.province_code,
                decided_on.format("%Y"),
                d.id
            );
            details = serde_json::json!({"certificate": number, "stars": stars, "decision": decision_number});
            m.certificate = Some(NewCertificate {
                product_id: d.product_id,
                number,
                stars,
                decision_number,
                decided_on,
                expires_on: ocop_domain::certificate::expiry(decided_on),
                recorded_by: Some(actor.user_id),
            });
        }
        StepInput::Forward | StepInput::Decline => {}
    }
    let audit = audit_of(by, d, action, details);
    Ok(store.move_dossier(id, &m, &audit).await?)
}

/// The council's result from its handed-in sheets: `ocop criteria score` on them.
async fn consolidate(
    store: &dyn Store,
    seen: &Seen,
    disqualified_if: Vec<usize>,
) -> Result<(Value, f64, Option<u8>), Problem> {
    let d = &seen.dossier;
    let round = seen
        .round
        .as_ref()
        .ok_or_else(|| unprocessable("round", "no_round", "the dossier is in no round"))?;
    let sheets: Vec<ScoreSheet> = store
        .score_sheets(d.id, round.id)
        .await?
        .into_iter()
        .filter(|s| s.submitted_at.is_some())
        .collect();
    if sheets.len() < round.members.len() {
        return Err(unprocessable(
            "sheets",
            "sheets_missing",
            format!(
                "{} of {} council members have handed in their sheets: the result waits for all",
                sheets.len(),
                round.members.len()
            ),
        ));
    }
    let members = serde_json::json!({"members": sheets.iter().map(|s| &s.answers).collect::<Vec<_>>(), "disqualified_if": disqualified_if});
    let bad = |e: criteria::ScoreError| {
        // Name the member rather than their position.
        let mut text = e.to_string();
        for (i, s) in sheets.iter().enumerate() {
            text = text.replace(&format!("member {}", i + 1), &s.user_name);
        }
        unprocessable("sheets", "invalid_answers", text)
    };
    let answers = Answers::from_json(&members).map_err(bad)?;
    let rubric = criteria::rubric(i64::from(d.criteria_set))
        .map_err(|e| unprocessable("criteria_set", "invalid_criteria_set", e.to_string()))?;
    let score = criteria::score(rubric, &answers).map_err(bad)?;
    let (total, stars) = (score.total, score.stars);
    let view = super::score::ScoreView::from(score);
    let json = serde_json::to_value(&view).map_err(|_| crate::error::internal())?;
    Ok((json, total, stars))
}

/// Saves a council member's sheet; handing it in requires every criterion answered.
pub async fn save_sheet(
    store: &dyn Store,
    who: Caller<'_>,
    id: i64,
    answers: Value,
    notes: Option<String>,
    submit: bool,
) -> Result<ScoreSheet, Problem> {
    let (actor, by) = (who.actor, who.by());
    let seen = seen(store, actor, id).await?;
    if seen.seat.is_none() {
        return Err(forbidden(
            "only the members of the dossier's council fill its score sheets",
        ));
    }
    forms::check_sheet(&answers, seen.dossier.criteria_set, submit).map_err(|e| {
        unprocessable(
            "answers",
            "invalid_answers",
            e.replace("member 1, ", "").replace("member 1 ", "you "),
        )
    })?;
    let notes = notes
        .map(|n| n.trim().chars().take(4_000).collect::<String>())
        .filter(|n| !n.is_empty());
    let audit = audit_of(
        by,
        &seen.dossier,
        "score_sheet_handed_in",
        serde_json::json!({}),
    );
    Ok(store
        .save_score_sheet(
            id,
            actor.user_id,
            &answers,
            notes.as_deref(),
            submit,
            &audit,
        )
        .await?)
}

/// The sheets the caller may read: all for the chair, the secretary and the offices; a member
/// sees only their own while the council scores (so members score independently), and all of
/// them once the result is consolidated.
pub async fn sheets(
    store: &dyn Store,
    actor: &Actor,
    seen: &Seen,
) -> Result<Vec<ScoreSheet>, Problem> {
    let Some(round) = &seen.round else {
        return Ok(Vec::new());
    };
    let all = store.score_sheets(seen.dossier.id, round.id).await?;
    let scoring = seen.dossier.state == ocop_domain::evaluation::DossierState::InRound;
    Ok(if seen.sees_all_sheets(actor) || !scoring {
        all
    } else {
        all.into_iter()
            .filter(|s| s.user_id == actor.user_id)
            .collect()
    })
}

/// "3 of 5 members done" for a dossier in its round.
pub async fn progress(store: &dyn Store, seen: &Seen) -> Result<(usize, usize), Problem> {
    let Some(round) = &seen.round else {
        return Ok((0, 0));
    };
    let done = store
        .score_sheets(seen.dossier.id, round.id)
        .await?
        .iter()
        .filter(|s| s.submitted_at.is_some())
        .count();
    Ok((done, round.members.len()))
}

/// One page of the dossiers a caller works with, each with its council progress, and how many
/// there are in all: those its scope reaches, or, for an evaluator, those of the rounds it sits
/// on.
pub async fn list(
    store: &dyn Store,
    actor: &Actor,
    mut filter: ocop_store::DossierFilter,
) -> Result<(Vec<(Dossier, (usize, usize))>, i64), Problem> {
    if actor.role == Role::Evaluator {
        filter.member = Some(actor.user_id);
    } else {
        let reach = registry::reach(actor)?;
        filter.province = reach.province.map(|p| p.to_string());
        filter.commune = reach.commune.map(|c| c.to_string());
        filter.organization_id = reach.organization_id;
    }
    let total = store.count_dossiers(&filter).await?;
    let list = store.dossiers(&filter).await?;
    // Most dossiers of a page share a few rounds: read each round once.
    let mut rounds: std::collections::HashMap<i64, Option<Round>> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for d in list {
        let round = match d.round_id {
            Some(r) => match rounds.get(&r) {
                Some(known) => known.clone(),
                None => {
                    let loaded = store.round(r).await?;
                    rounds.insert(r, loaded.clone());
                    loaded
                }
            },
            None => None,
        };
        let seen = Seen {
            dossier: d,
            round,
            seat: None,
        };
        let p = progress(store, &seen).await?;
        out.push((seen.dossier, p));
    }
    Ok((out, total))
}

/// A dossier's history from the audit log, oldest first: each step, who took it (by name), and
/// when. The caller has seen the dossier.
pub async fn history(
    store: &dyn Store,
    seen: &Seen,
) -> Result<Vec<(ocop_store::AuditRecord, String)>, Problem> {
    let trail = store
        .audit_trail(&format!("dossier:{}", seen.dossier.id))
        .await?;
    let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(trail.len());
    for e in trail {
        let who = match e.actor_id {
            Some(id) => match names.get(&id) {
                Some(n) => n.clone(),
                None => {
                    let n = store.user(id).await?.map(|u| u.name).unwrap_or_default();
                    names.insert(id, n.clone());
                    n
                }
            },
            // The operator at the command line or the demo loader.
            None => String::new(),
        };
        out.push((e, who));
    }
    Ok(out)
}
