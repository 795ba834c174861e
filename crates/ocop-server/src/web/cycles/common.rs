//! What the cycle pages share: who is acting, refusals shown beside a form, the six steps as a
//! timeline, proposal states and amounts in đồng.

use crate::auth::WebUser;
use crate::error::{not_found, unprocessable, Problem, WebError};
use crate::evaluation::Caller;
use crate::i18n::Tr;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
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

/// Today in Vietnam (UTC+7): the steps change at local midnight.
pub fn vn_today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

pub fn vn_day(t: DateTime<Utc>) -> String {
    let vn = FixedOffset::east_opt(7 * 3600).expect("a valid offset");
    t.with_timezone(&vn).format("%d/%m/%Y").to_string()
}

pub fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
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
            starts: day(c.calendar.starts()[n - 1]),
            ends: day(c.calendar.ends(n)),
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

/// An amount as Vietnamese write it: `50.000.000 ₫`.
pub fn dong(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out.push_str(" ₫");
    out
}

/// An amount in đồng as typed: `50000000`, `50.000.000`, `50,000,000`, `50 000 000 đ`;
/// empty is `None`. Đồng have no decimals, so a dot or comma only ever groups thousands.
pub fn parse_dong(v: &str, field: &'static str) -> Result<Option<i64>, Problem> {
    let mut s: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    for unit in ["vnđ", "VNĐ", "vnd", "VND", "₫", "đ", "Đ"] {
        if let Some(rest) = s.strip_suffix(unit) {
            s = rest.to_string();
            break;
        }
    }
    if s.is_empty() {
        return Ok(None);
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let plain = if body.contains(['.', ',']) {
        let (sep, other) = if body.contains('.') {
            ('.', ',')
        } else {
            (',', '.')
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let mut parts = body.split(sep);
        let first = parts.next().unwrap_or("");
        let grouped = !body.contains(other)
            && first.len() <= 3
            && digits(first)
            && parts.all(|p| p.len() == 3 && digits(p));
        grouped.then(|| body.replace(sep, ""))
    } else {
        Some(body.to_string())
    };
    plain
        .and_then(|p| format!("{sign}{p}").parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
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
    fn amounts_read_and_write_the_vietnamese_way() {
        assert_eq!(dong(50_000_000), "50.000.000 ₫");
        assert_eq!(dong(500), "500 ₫");
        assert_eq!(dong(1_000), "1.000 ₫");
        assert_eq!(dong(0), "0 ₫");
        for typed in [
            "50000000",
            "50.000.000",
            "50,000,000",
            "50 000 000 đ",
            "50.000.000₫",
        ] {
            assert_eq!(
                parse_dong(typed, "amount_vnd").unwrap(),
                Some(50_000_000),
                "{typed}"
            );
        }
        assert_eq!(parse_dong("  ", "amount_vnd").unwrap(), None);
        assert_eq!(parse_dong("-5", "amount_vnd").unwrap(), Some(-5));
        for bad in ["5.0", "50.000,000", "abc", "1.2345", "đ5", ".000"] {
            let p = parse_dong(bad, "amount_vnd").unwrap_err();
            assert_eq!(
                (p.code, p.field),
                ("invalid_number", Some("amount_vnd")),
                "{bad}"
            );
        }
    }

    fn cycle(steps: [&str; 6]) -> Cycle {
        let starts: Vec<NaiveDate> = steps.iter().map(|s| s.parse().unwrap()).collect();
        Cycle {
            id: 1,
            province_code: "22".into(),
            calendar: ocop_domain::cycle::Calendar::new(2026, &starts).unwrap(),
            theme: "t".into(),
            created_at: Utc::now(),
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
