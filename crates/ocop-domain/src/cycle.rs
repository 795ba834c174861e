//! The yearly OCOP cycle (Decision 490/2018): six steps with their start dates, producers'
//! product ideas and business plans (proposals) and their screening, and the support given to
//! accepted plans.
//!
//! A proposal is submitted, then screened: accepted, returned with a reason (the producer
//! changes it and submits it again) or rejected with a reason. Support (training, advice,
//! loans) is recorded for accepted plans.

use crate::role::Role;
use chrono::{Datelike, Days, NaiveDate};

crate::named_enum! {
    /// What a proposal is.
    pub enum ProposalKind("proposal kind") {
        /// A product idea (step 2 of the cycle).
        Idea = "idea",
        /// A business plan that carries out an accepted idea (step 3).
        Plan = "plan",
    }
}

crate::named_enum! {
    /// Where a proposal stands, in the order pages count them.
    pub enum ProposalState("proposal state") {
        Submitted = "submitted",
        Accepted = "accepted",
        Returned = "returned",
        Rejected = "rejected",
    }
}

crate::named_enum! {
    /// A screening decision.
    pub enum Decision("decision") {
        Accept = "accept",
        Return = "return",
        Reject = "reject",
    }
}

crate::named_enum! {
    /// The support an accepted plan receives (step 4 of the cycle).
    pub enum SupportKind("support kind") {
        Training = "training",
        Advice = "advice",
        Loan = "loan",
        Other = "other",
    }
}

/// What someone does to a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStep {
    /// A producer (or its officer or office) submits a new idea or plan.
    Submit,
    Screen(Decision),
    /// A returned proposal, changed, goes back for screening.
    Resubmit,
    /// Support is recorded for an accepted plan; the state stays.
    Support,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalRefused {
    #[error("a {role} cannot do this: {who}")]
    Role { role: Role, who: &'static str },
    #[error("this {kind} is {state}: {only}")]
    State {
        kind: ProposalKind,
        state: ProposalState,
        only: &'static str,
    },
    #[error("say why: the producer reads it to resubmit")]
    ReasonRequired,
    #[error("the idea is {0}: a plan follows an accepted idea")]
    IdeaNotAccepted(ProposalState),
}

impl Decision {
    pub fn outcome(self) -> ProposalState {
        match self {
            Decision::Accept => ProposalState::Accepted,
            Decision::Return => ProposalState::Returned,
            Decision::Reject => ProposalState::Rejected,
        }
    }

    /// The reason the decision goes out with: a return or a rejection must say why.
    pub fn reason(self, typed: Option<&str>) -> Result<Option<&str>, ProposalRefused> {
        let reason = typed.map(str::trim).filter(|r| !r.is_empty());
        match (self, reason) {
            (Decision::Accept, _) => Ok(reason),
            (_, None) => Err(ProposalRefused::ReasonRequired),
            (_, Some(r)) => Ok(Some(r)),
        }
    }
}

impl ProposalStep {
    /// Which roles take this step (locality scope is checked by the caller).
    pub fn roles(self) -> (&'static [Role], &'static str) {
        use Role::*;
        match self {
            ProposalStep::Submit | ProposalStep::Resubmit => (
                &[Producer, Officer, Admin, Central],
                "producers and their officers submit ideas and plans",
            ),
            ProposalStep::Screen(_) => (
                &[Officer, Admin, Central],
                "commune officers and OCOP offices screen ideas and plans",
            ),
            ProposalStep::Support => (
                &[Officer, Admin, Central],
                "officers record the support given to a plan",
            ),
        }
    }

    /// Whether the role takes this step at all.
    pub fn taken_by(self, role: Role) -> Result<(), ProposalRefused> {
        let (roles, who) = self.roles();
        if roles.contains(&role) {
            Ok(())
        } else {
            Err(ProposalRefused::Role { role, who })
        }
    }
}

impl ProposalState {
    /// The state after `step` by `role` on a proposal of `kind` in this state, or why not.
    pub fn after(
        self,
        kind: ProposalKind,
        step: ProposalStep,
        role: Role,
    ) -> Result<ProposalState, ProposalRefused> {
        use ProposalState::*;
        step.taken_by(role)?;
        let refused = |only| ProposalRefused::State {
            kind,
            state: self,
            only,
        };
        match (self, step) {
            (Submitted, ProposalStep::Screen(d)) => Ok(d.outcome()),
            (_, ProposalStep::Screen(_)) => Err(refused("only a submitted one is screened")),
            (Returned, ProposalStep::Resubmit) => Ok(Submitted),
            (_, ProposalStep::Resubmit) => Err(refused("only a returned one is submitted again")),
            (Accepted, ProposalStep::Support) if kind == ProposalKind::Plan => Ok(Accepted),
            (_, ProposalStep::Support) => {
                Err(refused("support is recorded for accepted business plans"))
            }
            (_, ProposalStep::Submit) => Err(refused("it is submitted already")),
        }
    }

    /// Whether `role` may take `step` now: what the pages ask before showing its form.
    pub fn allows(self, kind: ProposalKind, step: ProposalStep, role: Role) -> bool {
        self.after(kind, step, role).is_ok()
    }

    /// A decision that still stands: a resubmitted proposal waits again, its old decision (and
    /// reason) no longer hold.
    pub fn decided(self) -> bool {
        self != ProposalState::Submitted
    }

    /// The screening's reason is worth showing (a return or a rejection).
    pub fn has_reason(self) -> bool {
        matches!(self, ProposalState::Returned | ProposalState::Rejected)
    }
}

/// Who follows the cycle (its pages, ideas and plans): everyone but council members, who work
/// through their rounds.
pub fn may_follow(role: Role) -> bool {
    role != Role::Evaluator
}

/// Who opens a province's yearly cycle: its OCOP office, or the central office for any
/// province it names.
pub fn may_open(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Central)
}

/// A plan follows an accepted idea.
pub fn plan_may_follow(idea: ProposalState) -> Result<(), ProposalRefused> {
    match idea {
        ProposalState::Accepted => Ok(()),
        other => Err(ProposalRefused::IdeaNotAccepted(other)),
    }
}

/// The six steps of the cycle, in order.
pub const STEPS: usize = 6;

/// A province's cycle for a year: the start date of each of the six steps (outreach, ideas,
/// plans, carrying out, evaluation, promotion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    year: i32,
    starts: [NaiveDate; STEPS],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarRefused {
    #[error("the year is between 2000 and 2100")]
    Year,
    #[error("give the start dates of the six steps in order: outreach, ideas, plans, carrying out, evaluation, promotion")]
    Steps,
}

/// Where a cycle stands on a day: before its first step, in a step (1–6), or over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    NotStarted,
    Step(usize),
    Over,
}

impl Calendar {
    pub fn new(year: i32, starts: &[NaiveDate]) -> Result<Calendar, CalendarRefused> {
        if !(2000..=2100).contains(&year) {
            return Err(CalendarRefused::Year);
        }
        let starts: [NaiveDate; STEPS] = starts.try_into().map_err(|_| CalendarRefused::Steps)?;
        if starts.windows(2).any(|w| w[0] > w[1]) {
            return Err(CalendarRefused::Steps);
        }
        Ok(Calendar { year, starts })
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn starts(&self) -> &[NaiveDate; STEPS] {
        &self.starts
    }

    /// The last day of the cycle: the end of the year its last step starts in (at least the
    /// cycle's own year), since trade promotion runs on to the year's end.
    pub fn last_day(&self) -> NaiveDate {
        let year = self.starts[STEPS - 1].year().max(self.year);
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(self.starts[STEPS - 1])
    }

    /// The last day of step `n` (1–6): the day before the next starts (a step given no days of
    /// its own still has its start day), or the cycle's last day.
    pub fn ends(&self, n: usize) -> NaiveDate {
        let start = self.starts[n - 1];
        match self.starts.get(n) {
            Some(next) => (*next - Days::new(1)).max(start),
            None => self.last_day(),
        }
    }

    pub fn phase(&self, today: NaiveDate) -> Phase {
        match self.starts.iter().rposition(|start| *start <= today) {
            None => Phase::NotStarted,
            Some(_) if today > self.last_day() => Phase::Over,
            Some(i) => Phase::Step(i + 1),
        }
    }
}

impl Phase {
    /// Step `n` (1–6) is behind us.
    pub fn is_past(self, n: usize) -> bool {
        match self {
            Phase::Over => true,
            Phase::Step(now) => now > n,
            Phase::NotStarted => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProposalKind::*;
    use ProposalState::*;

    #[test]
    fn screening_moves_only_submitted_proposals_and_only_by_officers() {
        let screen = |d| ProposalStep::Screen(d);
        assert_eq!(
            Submitted.after(Idea, screen(Decision::Accept), Role::Officer),
            Ok(Accepted)
        );
        assert_eq!(
            Submitted.after(Plan, screen(Decision::Return), Role::Admin),
            Ok(Returned)
        );
        assert_eq!(
            Submitted.after(Plan, screen(Decision::Reject), Role::Central),
            Ok(Rejected)
        );
        for role in [Role::Producer, Role::Evaluator, Role::Inspector] {
            assert!(matches!(
                Submitted.after(Idea, screen(Decision::Accept), role),
                Err(ProposalRefused::Role { .. })
            ));
        }
        let again = Accepted
            .after(Idea, screen(Decision::Reject), Role::Admin)
            .unwrap_err();
        assert_eq!(
            again.to_string(),
            "this idea is accepted: only a submitted one is screened"
        );
    }

    #[test]
    fn returned_proposals_come_back_and_support_goes_to_accepted_plans() {
        assert_eq!(
            Returned.after(Idea, ProposalStep::Resubmit, Role::Producer),
            Ok(Submitted)
        );
        assert!(!Rejected.allows(Idea, ProposalStep::Resubmit, Role::Producer));
        assert!(!Returned.allows(Idea, ProposalStep::Resubmit, Role::Inspector));
        assert!(Accepted.allows(Plan, ProposalStep::Support, Role::Officer));
        assert!(!Accepted.allows(Idea, ProposalStep::Support, Role::Officer));
        assert!(!Submitted.allows(Plan, ProposalStep::Support, Role::Officer));
        assert!(!Accepted.allows(Plan, ProposalStep::Support, Role::Producer));
        assert_eq!(plan_may_follow(Accepted), Ok(()));
        assert_eq!(
            plan_may_follow(Returned),
            Err(ProposalRefused::IdeaNotAccepted(Returned))
        );
    }

    #[test]
    fn returns_and_rejections_say_why() {
        assert_eq!(Decision::Accept.reason(None), Ok(None));
        assert_eq!(
            Decision::Return.reason(Some("  ")),
            Err(ProposalRefused::ReasonRequired)
        );
        assert_eq!(Decision::Reject.reason(Some(" dup ")), Ok(Some("dup")));
        assert!(Returned.has_reason() && Rejected.has_reason() && !Accepted.has_reason());
        assert!(!Submitted.decided() && Accepted.decided());
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_current_step_follows_the_dates() {
        let starts = [
            "2026-01-05",
            "2026-02-01",
            "2026-04-01",
            "2026-06-01",
            "2026-08-01",
            "2026-10-01",
        ]
        .map(day);
        let c = Calendar::new(2026, &starts).unwrap();
        let on = |s: &str| c.phase(day(s));
        assert_eq!(on("2026-01-04"), Phase::NotStarted);
        assert_eq!(on("2026-01-05"), Phase::Step(1));
        assert_eq!(on("2026-03-31"), Phase::Step(2));
        assert_eq!(on("2026-04-01"), Phase::Step(3));
        assert_eq!(on("2026-12-31"), Phase::Step(6));
        assert_eq!(on("2027-01-01"), Phase::Over);
        assert_eq!(c.ends(2), day("2026-03-31"));
        assert_eq!(c.ends(6), day("2026-12-31"));
        assert!(Phase::Step(3).is_past(2) && !Phase::Step(3).is_past(3));
        assert!(Phase::Over.is_past(6) && !Phase::NotStarted.is_past(1));
    }

    #[test]
    fn a_calendar_has_six_steps_in_order_in_a_plausible_year() {
        let d = day("2026-01-01");
        assert_eq!(Calendar::new(1999, &[d; 6]), Err(CalendarRefused::Year));
        assert_eq!(Calendar::new(2026, &[d; 5]), Err(CalendarRefused::Steps));
        let mut backwards = [d; 6];
        backwards[0] = day("2026-02-01");
        assert_eq!(Calendar::new(2026, &backwards), Err(CalendarRefused::Steps));
        // A step given no days of its own still shows its start day.
        let same = Calendar::new(2026, &[d; 6]).unwrap();
        assert_eq!(same.ends(1), d);
    }
}
