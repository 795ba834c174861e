//! The OCOP evaluation procedure (DESIGN §2): a dossier's states and who moves it, the
//! commune's deadline, councils, and the certificate calendar (notice, re-evaluation window).
//!
//! A dossier goes draft → submitted → commune_checked → in_round → scored → recognized or
//! not_recognized. "Returned" sends it back to its producer with a reason and a due date, from
//! any state before scoring. A provincial result of 5★ is forwarded to the central council
//! (forwarded → in_round in a central round → scored); only central users recognize 5★, and a
//! central result below 5★ comes back to the province as `scored` for 3★/4★ recognition.

use crate::role::Role;
use chrono::{Datelike, Days, NaiveDate, Weekday};

crate::named_enum! {
    /// Form 01's kinds of registration.
    pub enum DossierKind("dossier kind") {
        FirstTime = "first_time",
        Upgrade = "upgrade",
        Reevaluation = "reevaluation",
    }
}

crate::named_enum! {
    /// Where a dossier stands in the procedure, in its order.
    pub enum DossierState("dossier state") {
        Draft = "draft",
        Submitted = "submitted",
        Returned = "returned",
        CommuneChecked = "commune_checked",
        InRound = "in_round",
        Scored = "scored",
        Forwarded = "forwarded",
        Recognized = "recognized",
        NotRecognized = "not_recognized",
    }
}

/// What someone does to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The producer files (or re-files after a return).
    Submit,
    /// The commune officer completes Form 03 and forwards the dossier.
    CommuneCheck,
    /// Back to the producer for more evidence.
    Return,
    /// Into a council's round.
    Assign { central: bool },
    /// The council's result is consolidated.
    Consolidate,
    /// A provincial 5★ result goes to the central council.
    Forward,
    /// The recognition decision is recorded (a certificate follows).
    Recognize { stars: u8 },
    /// The result gets no recognition.
    Decline,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    #[error("a {state} dossier cannot be {step}")]
    State {
        state: DossierState,
        step: &'static str,
    },
    #[error("a {role} cannot do this: {who}")]
    Role { role: Role, who: &'static str },
    #[error("only the central council recognizes 5★; forward the dossier instead")]
    FiveStarsAreCentral,
    #[error("a {stars}★ result is recognized by the province, not the central office")]
    ProvinceStars { stars: u8 },
    #[error("only 3★ to 5★ are recognized: decline a {0}★ result")]
    Stars(u8),
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Submit => "submitted",
            Step::CommuneCheck => "checked by the commune",
            Step::Return => "returned",
            Step::Assign { .. } => "assigned to a round",
            Step::Consolidate => "consolidated",
            Step::Forward => "forwarded to the central council",
            Step::Recognize { .. } => "recognized",
            Step::Decline => "declined",
        }
    }

    /// Which roles take this step (locality scope is checked by the caller).
    fn roles(self) -> (&'static [Role], &'static str) {
        use Role::*;
        match self {
            Step::Submit => (
                &[Producer, Officer, Admin, Central],
                "the producer files its dossier",
            ),
            Step::CommuneCheck => (&[Officer, Admin, Central], "the commune officer checks it"),
            Step::Return => (&[Officer, Admin, Central], "officers return dossiers"),
            Step::Assign { central: false } | Step::Forward | Step::Decline => {
                (&[Admin, Central], "the province's OCOP office does this")
            }
            // A council's secretary (an evaluator; the server checks the seat) or the office.
            Step::Consolidate => (
                &[Admin, Central, Evaluator],
                "the council's secretary or the OCOP office consolidates",
            ),
            Step::Assign { central: true } => {
                (&[Central], "the central office runs central rounds")
            }
            Step::Recognize { .. } => (
                &[Admin, Central],
                "the recognizing authority records its decision",
            ),
        }
    }
}

impl Step {
    /// Whose work the step is — the roles a dossier waits for at it. Others in
    /// [`Step::roles`] may stand in (an office may file for a producer), but a hub does not
    /// count the dossier as waiting for them.
    fn owners(self) -> &'static [Role] {
        use Role::*;
        match self {
            Step::Submit => &[Producer],
            Step::CommuneCheck => &[Officer],
            Step::Return => &[],
            Step::Assign { central: false } | Step::Forward | Step::Decline => &[Admin],
            Step::Assign { central: true } => &[Central],
            Step::Consolidate => &[Evaluator],
            Step::Recognize { .. } => &[Admin, Central],
        }
    }
}

impl DossierState {
    /// The steps that take a dossier on from this state (a return aside).
    pub fn next_steps(self) -> &'static [Step] {
        use DossierState::*;
        match self {
            Draft | Returned => &[Step::Submit],
            Submitted => &[Step::CommuneCheck],
            CommuneChecked => &[Step::Assign { central: false }],
            InRound => &[Step::Consolidate],
            Scored => &[Step::Forward, Step::Recognize { stars: 0 }, Step::Decline],
            Forwarded => &[Step::Assign { central: true }],
            Recognized | NotRecognized => &[],
        }
    }

    /// The states in which a dossier waits for `role`: those whose next step is its work.
    pub fn waiting_for(role: Role) -> Vec<DossierState> {
        DossierState::ALL
            .iter()
            .copied()
            .filter(|s| s.next_steps().iter().any(|st| st.owners().contains(&role)))
            .collect()
    }

    /// The state after `step` by `role`, or why not. `stars` is the consolidated result where
    /// one exists; `central_round` whether the dossier's round is the central council's.
    pub fn after(
        self,
        step: Step,
        role: Role,
        stars: Option<u8>,
        central_round: bool,
    ) -> Result<DossierState, StepRefused> {
        use DossierState::*;
        let (roles, who) = step.roles();
        if !roles.contains(&role) {
            return Err(StepRefused::Role { role, who });
        }
        let refused = || StepRefused::State {
            state: self,
            step: step.name(),
        };
        match (self, step) {
            (Draft | Returned, Step::Submit) => Ok(Submitted),
            (Submitted, Step::CommuneCheck) => Ok(CommuneChecked),
            (Submitted, Step::Return) => Ok(Returned),
            (CommuneChecked | InRound, Step::Return) if role != Role::Officer => Ok(Returned),
            (CommuneChecked, Step::Assign { central: false }) => Ok(InRound),
            (Forwarded, Step::Assign { central: true }) => Ok(InRound),
            (InRound, Step::Consolidate) if central_round && role == Role::Admin => {
                Err(StepRefused::Role {
                    role,
                    who: "the central office consolidates central rounds",
                })
            }
            (InRound, Step::Consolidate) => Ok(Scored),
            (Scored, Step::Forward) if stars == Some(5) && !central_round => Ok(Forwarded),
            (Scored, Step::Recognize { stars: s }) => {
                if stars != Some(s) {
                    return Err(refused());
                }
                match (s, role) {
                    (5, Role::Central) if central_round => Ok(Recognized),
                    (5, _) => Err(StepRefused::FiveStarsAreCentral),
                    (3 | 4, Role::Admin) => Ok(Recognized),
                    (3 | 4, _) => Err(StepRefused::ProvinceStars { stars: s }),
                    (s, _) => Err(StepRefused::Stars(s)),
                }
            }
            (Scored, Step::Decline) if stars.is_none_or(|s| s < 3) => Ok(NotRecognized),
            _ => Err(refused()),
        }
    }

    /// The producer may still change its forms.
    pub fn editable(self) -> bool {
        matches!(self, DossierState::Draft | DossierState::Returned)
    }
}

/// Why Form 01's kind does not fit the certificate the product holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KindRefused {
    #[error("the product already holds certificate {number} ({stars}★): file an upgrade or a re-evaluation")]
    AlreadyCertified { number: String, stars: i32 },
    #[error("the product holds no valid certificate: file a first-time registration")]
    NotCertified,
    #[error("re-evaluation is filed 180 to 120 days before the certificate expires: from {} to {}", .from.format("%d/%m/%Y"), .to.format("%d/%m/%Y"))]
    OutsideWindow { from: NaiveDate, to: NaiveDate },
}

impl DossierKind {
    /// A first registration is for a product without a valid certificate; an upgrade or a
    /// re-evaluation needs one (`held`: its number, stars and expiry), and a re-evaluation is
    /// filed in its window.
    pub fn fits(
        self,
        held: Option<(&str, i32, NaiveDate)>,
        today: NaiveDate,
    ) -> Result<(), KindRefused> {
        match (self, held) {
            (DossierKind::FirstTime, Some((number, stars, _))) => {
                Err(KindRefused::AlreadyCertified {
                    number: number.to_string(),
                    stars,
                })
            }
            (DossierKind::Upgrade | DossierKind::Reevaluation, None) => {
                Err(KindRefused::NotCertified)
            }
            (DossierKind::Reevaluation, Some((_, _, expires)))
                if !may_file_reevaluation(expires, today) =>
            {
                let (from, to) = reevaluation_window(expires);
                Err(KindRefused::OutsideWindow { from, to })
            }
            _ => Ok(()),
        }
    }
}

/// The commune checks its part within 15 working days (weekends skipped; public holidays are
/// not known to the system, so officers may find the real deadline a little later).
pub const COMMUNE_WORKING_DAYS: u32 = 15;

pub fn working_days_after(start: NaiveDate, days: u32) -> NaiveDate {
    let mut d = start;
    let mut left = days;
    while left > 0 {
        d = d + Days::new(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

crate::named_enum! {
    /// A council member's place on the council.
    pub enum CouncilRole("council role") {
        Chair = "chair",
        Secretary = "secretary",
        Member = "member",
    }
}

/// A council has one chair and one secretary (both score) and any number of other members;
/// nobody sits twice. Provinces name councils of five to nine; the rule does not fix a size.
pub fn check_council(members: &[(i64, CouncilRole)]) -> Result<(), &'static str> {
    let count = |r| members.iter().filter(|(_, x)| *x == r).count();
    if count(CouncilRole::Chair) != 1 || count(CouncilRole::Secretary) != 1 {
        return Err("a council has exactly one chair and one secretary");
    }
    let mut ids: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != members.len() {
        return Err("a user sits on a council once");
    }
    Ok(())
}

/// Who takes part in the cycle and the evaluation: everyone but market inspectors, who watch
/// the shelves rather than the procedure.
pub fn takes_part(role: Role) -> bool {
    role != Role::Inspector
}

/// The OCOP offices run rounds: they name councils and follow their rounds' dossiers.
pub fn runs_rounds(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Central)
}

/// Who names a council: a province's OCOP office for its own rounds, the central office for
/// the central council's.
pub fn may_name_council(role: Role, central: bool) -> bool {
    match central {
        true => role == Role::Central,
        false => role == Role::Admin,
    }
}

/// Who works with rounds at all: the offices, and council members on their own rounds.
pub fn works_in_rounds(role: Role) -> bool {
    runs_rounds(role) || role == Role::Evaluator
}

/// Who may sit on a council: central users anywhere; a province's evaluators and OCOP officers
/// on its councils, and on the central council (`round_province` `None`) from any province.
pub fn may_sit(role: Role, user_province: Option<&str>, round_province: Option<&str>) -> bool {
    match role {
        Role::Central => true,
        Role::Evaluator | Role::Admin => {
            round_province.is_none() || user_province == round_province
        }
        _ => false,
    }
}

/// The certificate calendar: the issuer notifies at least 30 days before expiry.
pub const NOTICE_DAYS: u64 = 30;

pub fn needs_expiry_notice(expires_on: NaiveDate, today: NaiveDate) -> bool {
    today <= expires_on && today + Days::new(NOTICE_DAYS) >= expires_on
}

/// Re-evaluation is filed 180 to 120 days before expiry.
pub fn reevaluation_window(expires_on: NaiveDate) -> (NaiveDate, NaiveDate) {
    (expires_on - Days::new(180), expires_on - Days::new(120))
}

pub fn may_file_reevaluation(expires_on: NaiveDate, today: NaiveDate) -> bool {
    let (from, to) = reevaluation_window(expires_on);
    from <= today && today <= to
}

/// What a certificate's holder and issuer must be told on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateNotice {
    /// Expires within the 30-day notice period.
    ExpiresSoon,
    /// The re-evaluation window (180 to 120 days before expiry) is open.
    ReevaluationOpen,
}

impl CertificateNotice {
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateNotice::ExpiresSoon => "expires_soon",
            CertificateNotice::ReevaluationOpen => "reevaluation_open",
        }
    }
}

/// The notice due for an unrevoked certificate today, if any.
pub fn notice(expires_on: NaiveDate, today: NaiveDate) -> Option<CertificateNotice> {
    if needs_expiry_notice(expires_on, today) {
        Some(CertificateNotice::ExpiresSoon)
    } else if may_file_reevaluation(expires_on, today) {
        Some(CertificateNotice::ReevaluationOpen)
    } else {
        None
    }
}

/// The furthest ahead a notice looks: the start of the re-evaluation window.
pub const NOTICE_HORIZON_DAYS: u64 = 180;

#[cfg(test)]
mod tests;
