//! `POST /dossiers/{id}/step/{step}`: one step on a dossier from its small form. A refusal is
//! shown on the dossier's page beside that form, with what was typed kept.

use super::show::page;
use super::{caller, field, refusal, with_status};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{not_found, unprocessable, Problem, WebError};
use crate::evaluation::dossiers::{self, StepInput};
use crate::evaluation::forms::COMMUNE_FIELDS;
use crate::i18n::{Lang, Tr};
use crate::web::render;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What the step forms hold, as typed.
#[derive(Default)]
pub struct StepTyped {
    pub reason: String,
    pub due_on: String,
    pub report: HashMap<String, String>,
    pub round_id: String,
    pub conditions: Vec<usize>,
    pub decision_number: String,
    pub decided_on: String,
}

impl StepTyped {
    /// Empty forms; the decision's date defaults to today.
    pub fn fresh() -> StepTyped {
        StepTyped {
            decided_on: crate::present::today_in_vietnam()
                .format("%Y-%m-%d")
                .to_string(),
            ..Default::default()
        }
    }

    fn of(pairs: &[(String, String)]) -> StepTyped {
        let mut report = HashMap::new();
        for k in COMMUNE_FIELDS.iter().map(|(k, _)| *k).chain(["notes"]) {
            report.insert(k.to_string(), field(pairs, k).to_string());
        }
        StepTyped {
            reason: field(pairs, "reason").to_string(),
            due_on: field(pairs, "due_on").to_string(),
            report,
            round_id: field(pairs, "round_id").to_string(),
            conditions: pairs
                .iter()
                .filter(|(k, _)| k == "dq")
                .filter_map(|(_, v)| v.trim().parse().ok())
                .collect(),
            decision_number: field(pairs, "decision_number").to_string(),
            decided_on: field(pairs, "decided_on").to_string(),
        }
    }
}

fn date(v: &str, field: &'static str) -> Result<NaiveDate, Problem> {
    crate::registry::date(&Some(v.to_string()), field)?
        .ok_or_else(|| unprocessable(field, "required", format!("{field} is required")))
}

/// The step's name (as its form and notice are called) and what it carries.
fn input(step: &str, t: &StepTyped) -> Result<(&'static str, Result<StepInput, Problem>), Problem> {
    let name = match step {
        "submit" => "submit",
        "commune-check" => "commune-check",
        "return" => "return",
        "assign" => "assign",
        "consolidate" => "consolidate",
        "forward" => "forward",
        "recognize" => "recognize",
        "decline" => "decline",
        _ => return Err(not_found("step")),
    };
    let carried = (|| {
        Ok(match name {
            "submit" => StepInput::Submit,
            "commune-check" => StepInput::CommuneCheck(
                t.report
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect(),
            ),
            "return" => StepInput::Return {
                reason: t.reason.clone(),
                due_on: date(&t.due_on, "due_on")?,
            },
            "assign" => StepInput::Assign {
                round_id: t
                    .round_id
                    .trim()
                    .parse()
                    .map_err(|_| unprocessable("round_id", "required", "choose the round"))?,
            },
            "consolidate" => StepInput::Consolidate {
                disqualified_if: t.conditions.clone(),
            },
            "forward" => StepInput::Forward,
            "recognize" => StepInput::Recognize {
                decision_number: t.decision_number.clone(),
                decided_on: date(&t.decided_on, "decided_on")?,
            },
            _ => StepInput::Decline,
        })
    })();
    Ok((name, carried))
}

pub async fn step(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path((id, step)): Path<(i64, String)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let typed = StepTyped::of(&pairs);
    let (name, carried) = input(&step, &typed)?;
    let today = crate::present::today_in_vietnam();
    let result = match carried {
        Ok(i) => dossiers::step(&*state.store, caller(&me), id, i, today).await,
        Err(p) => Err(p),
    };
    let problem = match result {
        Ok(_) => {
            return Ok(Redirect::to(&format!("/dossiers/{id}?done={name}")).into_response());
        }
        Err(p) => p,
    };
    let error = refusal(tr, name, problem)?;
    let status = error.status;
    let seen = dossiers::seen(&*state.store, &me.actor, id).await?;
    let mut p = page(&state, &me, tr, seen, typed).await?;
    p.error = Some(error);
    Ok(with_status(render(&p), Some(status)))
}
