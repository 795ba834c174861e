//! What the cycle pages share: who is acting, refusals shown beside a form, the six steps as a
//! timeline, proposal states and amounts in đồng.

use crate::auth::WebUser;
use crate::error::{not_found, unprocessable, Problem, WebError};
use crate::evaluation::Caller;
use crate::i18n::Tr;
use crate::present;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ocop_domain::cycle::{Phase, ProposalState, STEPS};
use ocop_store::Cycle;

pub fn caller(me: &WebUser) -> Caller<'_> {
    Caller {
        actor: &me.actor,
        email: &me.user.email,
    }
}

/// A record's id in the path: anything else is the friendly "not found" page rather than
/// axum's plain-text rejection.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| WebError(not_found("page")))?;
        raw.trim()
            .parse()
            .map(Id)
            .map_err(|_| WebError(not_found("page")))
    }
}

/// A refusal shown beside the form that caused it, with what was typed kept.
pub struct Refusal {
    pub status: StatusCode,
    /// Which form: `open`, `idea`, `plan`, `screen`, `resubmit` or `support`.
    pub form: &'static str,
    pub message: &'static str,
    /// The service's English detail, for support.
    pub detail: String,
    pub field: Option<&'static str>,
}

/// Any refusal of a form becomes a message on its page; only "not found" (the record is out of
/// reach, or gone) and server trouble become the error page.
pub fn refusal(tr: Tr, form: &'static str, problem: Problem) -> Result<Refusal, WebError> {
    if problem.status == 404 || problem.status >= 500 {
        return Err(WebError(problem));
    }
    let code = problem.code;
    let message = problem
        .field
        .and_then(|f| tr.get(&format!("cycle.problem.{code}.{f}")))
        .or_else(|| tr.get(&format!("cycle.problem.{code}")))
        .unwrap_or_else(|| tr.problem(code));
    Ok(Refusal {
        status: problem.status(),
        form,
        message,
        detail: problem.detail,
        field: problem.field,
    })
}

/// "Waiting", "Accepted"… in the visitor's language.
pub fn state_label(tr: Tr, state: ProposalState) -> &'static str {
    tr.t(&format!("proposal.state.{state}"))
}

/// The badge colour of a state, from the shared stylesheet's product statuses.
pub fn state_class(state: ProposalState) -> &'static str {
    match state {
        ProposalState::Accepted => "status-active",
        ProposalState::Returned => "status-suspended",
        ProposalState::Rejected => "status-discontinued",
        ProposalState::Submitted => "status-draft",
    }
}

/// One of a cycle's six steps, as the timeline shows it.
pub struct Step {
    pub number: usize,
    pub name: &'static str,
    pub starts: String,
    pub ends: String,
    pub past: bool,
    pub current: bool,
}

pub fn timeline(tr: Tr, c: &Cycle, today: NaiveDate) -> Vec<Step> {
    let now = c.calendar.phase(today);
    (1..=STEPS)
        .map(|n| Step {
            number: n,
            name: tr.t(&format!("cycle.step.{n}")),
            starts: present::date(c.calendar.starts()[n - 1]),
            ends: present::date(c.calendar.ends(n)),
            past: now.is_past(n),
            current: now == Phase::Step(n),
        })
        .collect()
}

/// What the timeline says above the steps: "now: step 3", "not started", "over".
pub fn phase_text(tr: Tr, c: &Cycle, today: NaiveDate) -> String {
    match c.calendar.phase(today) {
        Phase::NotStarted => tr.t("cycle.not_started").to_string(),
        Phase::Over => tr.t("cycle.over").to_string(),
        Phase::Step(n) => format!(
            "{} {n}: {}",
            tr.t("cycle.now_step"),
            tr.t(&format!("cycle.step.{n}"))
        ),
    }
}

/// An amount in đồng as typed (see [`present::parse_dong`]); empty is `None`.
pub fn parse_dong(v: &str, field: &'static str) -> Result<Option<i64>, Problem> {
    present::parse_dong(v).map_err(|_| {
        unprocessable(
            field,
            "invalid_number",
            format!("{field} `{}` is not an amount in đồng", v.trim()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_bad_amount_names_its_field() {
        assert_eq!(parse_dong("50.000 đ", "amount_vnd").unwrap(), Some(50_000));
        let p = parse_dong("5.0", "amount_vnd").unwrap_err();
        assert_eq!((p.code, p.field), ("invalid_number", Some("amount_vnd")));
    }

    fn cycle(steps: [&str; 6]) -> Cycle {
        let starts: Vec<NaiveDate> = steps.iter().map(|s| s.parse().unwrap()).collect();
        Cycle {
            id: 1,
            province_code: "22".into(),
            calendar: ocop_domain::cycle::Calendar::new(2026, &starts).unwrap(),
            theme: "t".into(),
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_timeline_marks_the_current_step() {
        let c = cycle([
            "2026-01-05",
            "2026-02-01",
            "2026-04-01",
            "2026-06-01",
            "2026-08-01",
            "2026-10-01",
        ]);
        let steps = timeline(Tr(Lang::En), &c, "2026-04-15".parse().unwrap());
        assert!(steps[1].past && !steps[1].current);
        assert!(steps[2].current && !steps[2].past);
        assert!(!steps[3].past && !steps[3].current);
        assert_eq!(steps[1].ends, "31/03/2026");
        assert_eq!(steps[5].ends, "31/12/2026");
        assert_eq!(steps[0].name, "Outreach and guidance");
    }
}
