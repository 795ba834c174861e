//! `/cycles`: the yearly cycles of the caller's province (every province's, for central users),
//! each with its six steps, and the form with which an OCOP office opens the year's cycle.

use super::common::{caller, phase_text, refusal, timeline, Refusal, Step};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, Problem, WebError};
use crate::evaluation::cycles;
use crate::i18n::{Lang, Tr};
use crate::present;
use crate::web::registry_common::{choices, Choice};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;

/// The names of the six date fields, as the form sends them and problems name them.
const STEP_FIELDS: [&str; 6] = ["step1", "step2", "step3", "step4", "step5", "step6"];

/// The open-a-cycle form, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OpenForm {
    province_code: String,
    year: String,
    theme: String,
    step1: String,
    step2: String,
    step3: String,
    step4: String,
    step5: String,
    step6: String,
}

impl OpenForm {
    fn step_values(&self) -> [&String; 6] {
        [
            &self.step1,
            &self.step2,
            &self.step3,
            &self.step4,
            &self.step5,
            &self.step6,
        ]
    }

    /// A suggestion the office adjusts: the year ahead, its steps on the first of a month.
    fn suggested(year: i32) -> OpenForm {
        let on = |m: u32| {
            NaiveDate::from_ymd_opt(year, m, 1)
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        OpenForm {
            year: year.to_string(),
            step1: on(1),
            step2: on(2),
            step3: on(4),
            step4: on(6),
            step5: on(8),
            step6: on(10),
            ..Default::default()
        }
    }

    fn year(&self) -> Result<i32, Problem> {
        self.year.trim().parse().map_err(|_| {
            unprocessable(
                "year",
                "invalid_year",
                format!("the year `{}` is not a number", self.year.trim()),
            )
        })
    }

    fn steps(&self) -> Result<Vec<NaiveDate>, Problem> {
        let mut steps = Vec::with_capacity(6);
        for (field, value) in STEP_FIELDS.into_iter().zip(self.step_values()) {
            let date = crate::registry::date(&Some(value.clone()), field)?.ok_or_else(|| {
                unprocessable(
                    field,
                    "required",
                    format!("{field}: the step's start date is required"),
                )
            })?;
            steps.push(date);
        }
        Ok(steps)
    }
}

/// A date field of the form.
pub struct StepField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub invalid: bool,
}

pub struct CycleCard {
    pub id: i64,
    pub year: i32,
    pub province: String,
    pub theme: String,
    pub phase: String,
    pub steps: Vec<Step>,
}

#[derive(Template)]
#[template(path = "cycles.html")]
struct CyclesPage {
    tr: Tr,
    nav: Nav,
    cycles: Vec<CycleCard>,
    can_open: bool,
    /// Central users name the province; an admin opens its own.
    choose_province: bool,
    provinces: Vec<Choice>,
    form: OpenForm,
    step_fields: Vec<StepField>,
    error: Option<Refusal>,
}

impl CyclesPage {
    fn invalid(&self, field: &str) -> bool {
        self.error.as_ref().and_then(|e| e.field) == Some(field)
    }
}

async fn page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    form: Option<OpenForm>,
) -> Result<CyclesPage, WebError> {
    let list = cycles::cycles(&*state.store, &me.actor).await?;
    let provinces = state.store.localities(None).await?;
    let names: HashMap<String, String> = provinces
        .iter()
        .map(|p| (p.code.as_str().to_string(), p.name.clone()))
        .collect();
    let today = present::today_in_vietnam();
    let form = form.unwrap_or_else(|| {
        // The first year this province has no cycle for, from this one on.
        let mut year = today.year();
        // (A central user's list holds every province's cycles: any year may be free.)
        while me.actor.province.is_some() && list.iter().any(|c| c.year() == year) {
            year += 1;
        }
        OpenForm::suggested(year)
    });
    let cycles = list
        .into_iter()
        .map(|c| CycleCard {
            id: c.id,
            year: c.year(),
            province: names
                .get(&c.province_code)
                .cloned()
                .unwrap_or_else(|| c.province_code.clone()),
            phase: phase_text(tr, &c, today),
            steps: timeline(tr, &c, today),
            theme: c.theme,
        })
        .collect();
    Ok(CyclesPage {
        tr,
        nav: Nav::for_user(me, "/cycles"),
        cycles,
        can_open: ocop_domain::cycle::may_open(me.actor.role),
        // Central users open any province's cycle; an office, its own.
        choose_province: me.actor.province.is_none(),
        provinces: choices(
            provinces
                .iter()
                .map(|p| (p.code.as_str().to_string(), p.name.clone())),
            &form.province_code,
        ),
        step_fields: Vec::new(),
        form,
        error: None,
    }
    .with_step_fields(tr))
}

impl CyclesPage {
    fn with_step_fields(mut self, tr: Tr) -> Self {
        let all_steps = self.invalid("steps");
        self.step_fields = STEP_FIELDS
            .into_iter()
            .zip(self.form.step_values())
            .enumerate()
            .map(|(i, (name, value))| StepField {
                name,
                label: tr.t(&format!("cycle.step.{}", i + 1)),
                value: value.clone(),
                invalid: all_steps || self.invalid(name),
            })
            .collect();
        self
    }
}

pub async fn show(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
) -> Result<Response, WebError> {
    Ok(render(&page(&state, &me, Tr(lang), None).await?))
}

pub async fn open(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let province = Some(form.province_code.trim().to_string()).filter(|p| !p.is_empty());
    let result = match (form.year(), form.steps()) {
        (Ok(year), Ok(steps)) => {
            cycles::open(
                &*state.store,
                caller(&me),
                province,
                year,
                &form.theme,
                steps,
            )
            .await
        }
        (Err(p), _) | (_, Err(p)) => Err(p),
    };
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/cycles/{}?opened=1", c.id)).into_response()),
        Err(problem) => {
            let error = refusal(tr, "open", problem)?;
            let status = error.status;
            let mut p = page(&state, &me, tr, Some(form)).await?;
            p.error = Some(error);
            let p = p.with_step_fields(tr);
            let mut response = render(&p);
            *response.status_mut() = status;
            Ok(response)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_its_dates_in_either_writing() {
        let mut f = OpenForm::suggested(2026);
        f.step3 = "01/04/2026".into();
        let steps = f.steps().unwrap();
        assert_eq!(steps.len(), 6);
        assert_eq!(steps[2], NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
        f.step5 = " ".into();
        assert_eq!(f.steps().unwrap_err().field, Some("step5"));
        f.year = "năm".into();
        assert_eq!(f.year().unwrap_err().code, "invalid_year");
    }
}
