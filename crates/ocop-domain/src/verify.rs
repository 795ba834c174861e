//! What a scan of a stamp means (DESIGN §4 verdicts), what a PIN check answers, and when scans
//! look like copies. Pure rules: the store gathers the facts, the server shows the answer.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// The verdict a shopper sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Genuine,
    /// Not a code of this system: malformed, no batch, or a bad tag — possibly counterfeit.
    Unknown,
    /// A real stamp not yet bound to a lot: it should not be on a shelf.
    NotActivated,
    Void,
    Recalled,
    Expired,
    /// Genuine, but the evidence suggests copies.
    Suspicious,
}

impl Verdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Genuine => "genuine",
            Verdict::Unknown => "unknown",
            Verdict::NotActivated => "not_activated",
            Verdict::Void => "void",
            Verdict::Recalled => "recalled",
            Verdict::Expired => "expired",
            Verdict::Suspicious => "suspicious",
        }
    }

    /// Whether the stamp is on goods: bound to a lot, whatever became of the lot since. A void
    /// stamp, one never activated and a code not of ours are not; a stolen roll carries their
    /// codes and PINs alike, so a right PIN proves nothing about them.
    pub fn on_goods(&self) -> bool {
        matches!(
            self,
            Verdict::Genuine | Verdict::Suspicious | Verdict::Recalled | Verdict::Expired
        )
    }
}

/// Why: each reason has a stable code the UI words for shoppers in Vietnamese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Malformed,
    NoBatch,
    BadTag,
    NotActivated,
    Voided,
    Recalled,
    Expired,
    ManyScans,
    ManyPlaces,
    PinReused,
    PinLocked,
    /// A GS1 Digital Link whose GTIN is not the product's: the URL was not printed by us.
    GtinMismatch,
    /// The positive reason: issued by the programme and bound to a lot.
    Registered,
}

impl Reason {
    pub fn as_str(&self) -> &'static str {
        match self {
            Reason::Malformed => "malformed",
            Reason::NoBatch => "no_batch",
            Reason::BadTag => "bad_tag",
            Reason::NotActivated => "not_activated",
            Reason::Voided => "voided",
            Reason::Recalled => "recalled",
            Reason::Expired => "expired",
            Reason::ManyScans => "many_scans",
            Reason::ManyPlaces => "many_places",
            Reason::PinReused => "pin_reused",
            Reason::PinLocked => "pin_locked",
            Reason::GtinMismatch => "gtin_mismatch",
            Reason::Registered => "registered",
        }
    }
}

/// Where a real stamp stands in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StampState {
    Issued,
    Voided,
    Activated {
        expires_on: Option<NaiveDate>,
        recalled: bool,
    },
}

/// What is known of a stamp's use when it is scanned again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Scans before this one.
    pub scans: i64,
    /// Distinct coarse places among them.
    pub places: i64,
    /// A PIN was entered again after its first use.
    pub pin_reused: bool,
    pub pin_locked: bool,
}

/// Thresholds of the anomaly rules; an office sets them to what its products see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A stamp scanned more often than a product ever is.
    pub scans: i64,
    /// A stamp seen from more distinct places than one pack travels.
    pub places: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            scans: 50,
            places: 5,
        }
    }
}

/// The verdict for a genuine code (tag checked) in the given state. Life-cycle verdicts come
/// first (a void or recalled stamp says so whatever its scans); then the evidence of copies.
pub fn judge(
    state: &StampState,
    evidence: &Evidence,
    limits: &Thresholds,
    today: NaiveDate,
) -> (Verdict, Vec<Reason>) {
    match state {
        StampState::Voided => return (Verdict::Void, vec![Reason::Voided]),
        StampState::Issued => return (Verdict::NotActivated, vec![Reason::NotActivated]),
        StampState::Activated { recalled: true, .. } => {
            return (Verdict::Recalled, vec![Reason::Recalled])
        }
        StampState::Activated {
            expires_on: Some(e),
            ..
        } if *e < today => return (Verdict::Expired, vec![Reason::Expired]),
        StampState::Activated { .. } => {}
    }
    let mut reasons = Vec::new();
    if evidence.scans >= limits.scans {
        reasons.push(Reason::ManyScans);
    }
    if evidence.places > limits.places {
        reasons.push(Reason::ManyPlaces);
    }
    if evidence.pin_reused {
        reasons.push(Reason::PinReused);
    }
    if evidence.pin_locked {
        reasons.push(Reason::PinLocked);
    }
    if reasons.is_empty() {
        (Verdict::Genuine, vec![Reason::Registered])
    } else {
        (Verdict::Suspicious, reasons)
    }
}

/// Wrong PINs before a stamp's PIN check locks.
pub const MAX_WRONG_PINS: i32 = 5;

/// The PIN record of one stamp.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinRecord {
    pub first_checked_at: Option<DateTime<Utc>>,
    pub wrong: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum PinOutcome {
    FirstCheck,
    AlreadyChecked {
        first_checked_at: DateTime<Utc>,
    },
    WrongPin {
        attempts_left: i32,
    },
    Locked,
    /// The stamp is not on goods ([`Verdict::on_goods`]): its PIN was not checked.
    NotInUse,
}

/// What one PIN attempt on a stamp judged `verdict` answers, and the record after it. A stamp
/// that is not on goods is not checked at all (nor counted against its tries). A locked stamp
/// stays locked even for the right PIN: whoever guessed five times may be the one now holding
/// it.
pub fn check_pin(
    verdict: Verdict,
    record: PinRecord,
    correct: bool,
    now: DateTime<Utc>,
) -> (PinOutcome, PinRecord) {
    if !verdict.on_goods() {
        return (PinOutcome::NotInUse, record);
    }
    if record.wrong >= MAX_WRONG_PINS {
        return (PinOutcome::Locked, record);
    }
    match (correct, record.first_checked_at) {
        (true, None) => (
            PinOutcome::FirstCheck,
            PinRecord {
                first_checked_at: Some(now),
                ..record
            },
        ),
        (true, Some(at)) => (
            PinOutcome::AlreadyChecked {
                first_checked_at: at,
            },
            record,
        ),
        (false, _) => {
            let after = PinRecord {
                wrong: record.wrong + 1,
                ..record
            };
            if after.wrong >= MAX_WRONG_PINS {
                (PinOutcome::Locked, after)
            } else {
                (
                    PinOutcome::WrongPin {
                        attempts_left: MAX_WRONG_PINS - after.wrong,
                    },
                    after,
                )
            }
        }
    }
}

/// Whether a PIN answer may tell the shopper the goods are genuine: only a right PIN at its
/// first check, on a stamp judged genuine. Every other answer goes with the stamp's verdict
/// (recalled, expired, suspicious…) and must not read as a reassurance.
pub fn pin_confirms_genuine(verdict: Verdict, outcome: &PinOutcome) -> bool {
    verdict == Verdict::Genuine && *outcome == PinOutcome::FirstCheck
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn active(expires: Option<&str>, recalled: bool) -> StampState {
        StampState::Activated {
            expires_on: expires.map(day),
            recalled,
        }
    }

    #[test]
    fn life_cycle_verdicts_come_before_evidence() {
        let busy = Evidence {
            scans: 1000,
            places: 40,
            ..Default::default()
        };
        let t = Thresholds::default();
        let today = day("2026-11-29");
        assert_eq!(
            judge(&StampState::Voided, &busy, &t, today).0,
            Verdict::Void
        );
        assert_eq!(
            judge(&StampState::Issued, &busy, &t, today).0,
            Verdict::NotActivated
        );
        assert_eq!(
            judge(&active(Some("2027-01-01"), true), &busy, &t, today),
            (Verdict::Recalled, vec![Reason::Recalled])
        );
        assert_eq!(
            judge(&active(Some("2026-11-28"), false), &busy, &t, today).0,
            Verdict::Expired
        );
        // The expiry day itself is still good.
        assert_eq!(
            judge(
                &active(Some("2026-11-29"), false),
                &Evidence::default(),
                &t,
                today
            ),
            (Verdict::Genuine, vec![Reason::Registered])
        );
        assert_eq!(
            judge(&active(None, false), &Evidence::default(), &t, today).0,
            Verdict::Genuine
        );
    }

    #[test]
    fn evidence_of_copies_makes_a_genuine_stamp_suspicious() {
        let t = Thresholds {
            scans: 10,
            places: 3,
        };
        let today = day("2026-11-29");
        let judge_with = |e: Evidence| judge(&active(None, false), &e, &t, today);
        assert_eq!(
            judge_with(Evidence {
                scans: 9,
                places: 3,
                ..Default::default()
            })
            .0,
            Verdict::Genuine
        );
        assert_eq!(
            judge_with(Evidence {
                scans: 10,
                ..Default::default()
            }),
            (Verdict::Suspicious, vec![Reason::ManyScans])
        );
        assert_eq!(
            judge_with(Evidence {
                places: 4,
                pin_reused: true,
                ..Default::default()
            }),
            (
                Verdict::Suspicious,
                vec![Reason::ManyPlaces, Reason::PinReused]
            )
        );
    }

    #[test]
    fn pins_are_accepted_once_and_lock_after_five_wrong() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap();
        let t1 = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
        let g = Verdict::Genuine;
        let (first, rec) = check_pin(g, PinRecord::default(), true, t0);
        assert_eq!(first, PinOutcome::FirstCheck);
        let (again, rec2) = check_pin(g, rec, true, t1);
        assert_eq!(
            again,
            PinOutcome::AlreadyChecked {
                first_checked_at: t0
            }
        );
        assert_eq!(rec2, rec);
        let mut rec = PinRecord::default();
        for left in (1..MAX_WRONG_PINS).rev() {
            let (out, next) = check_pin(g, rec, false, t0);
            assert_eq!(
                out,
                PinOutcome::WrongPin {
                    attempts_left: left
                }
            );
            rec = next;
        }
        let (out, rec) = check_pin(g, rec, false, t0);
        assert_eq!(out, PinOutcome::Locked);
        assert_eq!(
            check_pin(g, rec, true, t1).0,
            PinOutcome::Locked,
            "the right PIN no longer opens it"
        );
    }

    #[test]
    fn a_pin_proves_nothing_for_a_stamp_that_is_not_on_goods() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap();
        for v in [Verdict::Void, Verdict::NotActivated, Verdict::Unknown] {
            let (out, rec) = check_pin(v, PinRecord::default(), true, now);
            assert_eq!(out, PinOutcome::NotInUse, "{v:?}");
            assert_eq!(rec, PinRecord::default(), "nothing recorded");
            assert!(!pin_confirms_genuine(v, &out));
        }
        // Recalled and expired stamps are on goods: the PIN is checked, but the answer does
        // not call the goods genuine.
        for v in [Verdict::Recalled, Verdict::Expired, Verdict::Suspicious] {
            let (out, _) = check_pin(v, PinRecord::default(), true, now);
            assert_eq!(out, PinOutcome::FirstCheck, "{v:?}");
            assert!(!pin_confirms_genuine(v, &out), "{v:?}");
        }
        assert!(pin_confirms_genuine(
            Verdict::Genuine,
            &PinOutcome::FirstCheck
        ));
        let again = PinOutcome::AlreadyChecked {
            first_checked_at: now,
        };
        assert!(!pin_confirms_genuine(Verdict::Genuine, &again));
    }
}
