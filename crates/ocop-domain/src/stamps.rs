//! Stamp batches, production lots and the ranges that activate or void stamps.
//!
//! A batch is one serial range; activations and voids are sub-ranges of it. These rules decide
//! what may be recorded; the store applies them inside the transaction that records it.

use chrono::NaiveDate;
use serde::Serialize;

/// One order may ask for up to ten million stamps (a province's year of a large product).
pub const MAX_BATCH: i64 = 10_000_000;
/// Serials are 40-bit (DESIGN §4).
pub const MAX_SERIAL: i64 = (1 << 40) - 1;

/// An inclusive serial range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SerialRange {
    pub from: i64,
    pub to: i64,
}

impl SerialRange {
    pub fn len(&self) -> i64 {
        self.to - self.from + 1
    }

    pub fn is_empty(&self) -> bool {
        self.to < self.from
    }

    pub fn overlaps(&self, other: &SerialRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    pub fn contains(&self, serial: i64) -> bool {
        self.from <= serial && serial <= self.to
    }

    fn intersection(&self, other: &SerialRange) -> SerialRange {
        SerialRange {
            from: self.from.max(other.from),
            to: self.to.min(other.to),
        }
    }
}

/// What a recorded range does to its stamps. A void wins over an activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeKind {
    Activated,
    Voided,
}

impl RangeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            RangeKind::Activated => "activated",
            RangeKind::Voided => "voided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "activated" => Some(RangeKind::Activated),
            "voided" => Some(RangeKind::Voided),
            _ => None,
        }
    }
}

/// A range already recorded on a batch, as the rules need to see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRange {
    pub range: SerialRange,
    pub kind: RangeKind,
    pub lot_code: Option<String>,
}

/// Why a range cannot be recorded. Each names the serials so the user can correct the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeRefusal {
    #[error("the range is backwards: {from} is after {to}; give the lower serial first")]
    Backwards { from: i64, to: i64 },
    #[error("serials {from}–{to} are not all in this batch, which holds {first}–{last}")]
    OutsideBatch {
        from: i64,
        to: i64,
        first: i64,
        last: i64,
    },
    #[error("serials {from}–{to} were voided and cannot be activated")]
    Voided { from: i64, to: i64 },
    #[error("serials {from}–{to} are already activated for lot {lot}")]
    AlreadyActivated { from: i64, to: i64, lot: String },
    #[error("serials {from}–{to} are already voided")]
    AlreadyVoided { from: i64, to: i64 },
    #[error("lot {lot} has {quantity} units and {stamped} stamps already; at most {room} more can be activated for it")]
    BeyondLot {
        lot: String,
        quantity: i64,
        stamped: i64,
        room: i64,
    },
    #[error("the lot belongs to another product than this batch")]
    OtherProduct,
    #[error("a void needs a reason (damaged, lost, stolen roll…)")]
    NoReason,
}

impl RangeRefusal {
    /// Stable machine code for problem+json answers.
    pub fn code(&self) -> &'static str {
        match self {
            RangeRefusal::Backwards { .. } => "range_backwards",
            RangeRefusal::OutsideBatch { .. } => "range_outside_batch",
            RangeRefusal::Voided { .. } => "range_voided",
            RangeRefusal::AlreadyActivated { .. } => "range_already_activated",
            RangeRefusal::AlreadyVoided { .. } => "range_already_voided",
            RangeRefusal::BeyondLot { .. } => "range_beyond_lot",
            RangeRefusal::OtherProduct => "lot_other_product",
            RangeRefusal::NoReason => "void_reason_missing",
        }
    }
}

/// A batch as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSpan {
    pub first_serial: i64,
    pub count: i64,
}

impl BatchSpan {
    pub fn range(&self) -> SerialRange {
        SerialRange {
            from: self.first_serial,
            to: self.first_serial + self.count - 1,
        }
    }

    fn check_within(&self, r: SerialRange) -> Result<(), RangeRefusal> {
        if r.is_empty() {
            return Err(RangeRefusal::Backwards {
                from: r.from,
                to: r.to,
            });
        }
        let all = self.range();
        if r.from < all.from || r.to > all.to {
            return Err(RangeRefusal::OutsideBatch {
                from: r.from,
                to: r.to,
                first: all.from,
                last: all.to,
            });
        }
        Ok(())
    }
}

/// The lot an activation binds stamps to, with the stamps it already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotRoom {
    pub code: String,
    pub quantity: i64,
    pub stamped: i64,
    pub same_product: bool,
}

/// Activation binds stamps to a lot when they are stuck on goods: never a voided or an
/// already-bound stamp, never more stamps than the lot has units.
pub fn check_activation(
    batch: BatchSpan,
    range: SerialRange,
    lot: &LotRoom,
    recorded: &[RecordedRange],
) -> Result<(), RangeRefusal> {
    batch.check_within(range)?;
    if !lot.same_product {
        return Err(RangeRefusal::OtherProduct);
    }
    if let Some(r) = recorded.iter().find(|r| r.range.overlaps(&range)) {
        let clash = r.range.intersection(&range);
        return Err(match r.kind {
            RangeKind::Voided => RangeRefusal::Voided {
                from: clash.from,
                to: clash.to,
            },
            RangeKind::Activated => RangeRefusal::AlreadyActivated {
                from: clash.from,
                to: clash.to,
                lot: r.lot_code.clone().unwrap_or_default(),
            },
        });
    }
    let room = (lot.quantity - lot.stamped).max(0);
    if range.len() > room {
        return Err(RangeRefusal::BeyondLot {
            lot: lot.code.clone(),
            quantity: lot.quantity,
            stamped: lot.stamped,
            room,
        });
    }
    Ok(())
}

/// A void takes stamps out of use (damaged, lost, stolen): activated ones too, since a stolen
/// roll may already be bound. Voiding twice is refused so the record stays one reason a stamp.
pub fn check_void(
    batch: BatchSpan,
    range: SerialRange,
    reason: &str,
    recorded: &[RecordedRange],
) -> Result<(), RangeRefusal> {
    batch.check_within(range)?;
    if reason.trim().is_empty() {
        return Err(RangeRefusal::NoReason);
    }
    if let Some(r) = recorded
        .iter()
        .find(|r| r.kind == RangeKind::Voided && r.range.overlaps(&range))
    {
        let clash = r.range.intersection(&range);
        return Err(RangeRefusal::AlreadyVoided {
            from: clash.from,
            to: clash.to,
        });
    }
    Ok(())
}

/// The state of a stretch of a batch, for the picture of the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Stretch {
    Issued,
    Activated { lot: String },
    Voided,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub range: SerialRange,
    #[serde(flatten)]
    pub stretch: Stretch,
}

/// The state of one serial: a void wins over an activation, as it does when a stamp is scanned.
pub fn stretch_at(recorded: &[RecordedRange], serial: i64) -> Stretch {
    let mut stretch = Stretch::Issued;
    for r in recorded.iter().filter(|r| r.range.contains(serial)) {
        match r.kind {
            RangeKind::Voided => return Stretch::Voided,
            RangeKind::Activated => {
                stretch = Stretch::Activated {
                    lot: r.lot_code.clone().unwrap_or_default(),
                }
            }
        }
    }
    stretch
}

/// Splits a batch into consecutive segments: issued (not yet bound), activated per lot, voided.
/// Voids win over activations, as they do when a stamp is verified.
pub fn segments(batch: BatchSpan, recorded: &[RecordedRange]) -> Vec<Segment> {
    let all = batch.range();
    // Every boundary where the state may change.
    let mut cuts = vec![all.from, all.to + 1];
    for r in recorded {
        cuts.push(r.range.from.max(all.from));
        cuts.push((r.range.to + 1).min(all.to + 1));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for w in cuts.windows(2) {
        let piece = SerialRange {
            from: w[0],
            to: w[1] - 1,
        };
        let stretch = stretch_at(recorded, piece.from);
        match out.last_mut() {
            Some(last) if last.stretch == stretch && last.range.to + 1 == piece.from => {
                last.range.to = piece.to
            }
            _ => out.push(Segment {
                range: piece,
                stretch,
            }),
        }
    }
    out
}

/// How far a product's lots are covered by activated stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub lots: i64,
    /// Lots with as many activated stamps as units.
    pub lots_covered: i64,
    pub units: i64,
    pub units_stamped: i64,
}

impl Coverage {
    /// `(quantity, stamped)` per lot.
    pub fn of(lots: impl IntoIterator<Item = (i64, i64)>) -> Self {
        let mut c = Coverage {
            lots: 0,
            lots_covered: 0,
            units: 0,
            units_stamped: 0,
        };
        for (quantity, stamped) in lots {
            c.lots += 1;
            c.units += quantity;
            c.units_stamped += stamped.min(quantity);
            if stamped >= quantity {
                c.lots_covered += 1;
            }
        }
        c
    }

    /// Whole percent of lots fully covered (0 when there are no lots).
    pub fn lots_percent(&self) -> i64 {
        percent(self.lots_covered, self.lots)
    }

    pub fn units_percent(&self) -> i64 {
        percent(self.units_stamped, self.units)
    }
}

pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        part * 100 / whole
    }
}

/// Checked fields of a new production lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotFields {
    pub code: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub quantity: i64,
    pub area_code: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadLot {
    #[error("the lot code is empty or longer than 40 characters")]
    Code,
    #[error("the expiry date is before the production date")]
    ExpiresBeforeProduced,
    #[error("the quantity must be a whole number from 1 to 100,000,000")]
    Quantity,
    #[error("the raw-material area code is longer than 60 characters")]
    AreaCode,
    #[error("the notes are longer than 2,000 characters")]
    Notes,
}

impl BadLot {
    /// The field to point at in forms and problem+json.
    pub fn field(&self) -> &'static str {
        match self {
            BadLot::Code => "code",
            BadLot::ExpiresBeforeProduced => "expires_on",
            BadLot::Quantity => "quantity",
            BadLot::AreaCode => "area_code",
            BadLot::Notes => "notes",
        }
    }
}

fn optional(s: Option<&str>, max: usize, err: BadLot) -> Result<Option<String>, BadLot> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(err),
        other => Ok(other.map(str::to_string)),
    }
}

impl LotFields {
    pub fn check(
        code: &str,
        produced_on: NaiveDate,
        expires_on: Option<NaiveDate>,
        quantity: i64,
        area_code: Option<&str>,
        notes: Option<&str>,
    ) -> Result<Self, BadLot> {
        let code = code.trim();
        if code.is_empty() || code.chars().count() > 40 || code.chars().any(char::is_control) {
            return Err(BadLot::Code);
        }
        if expires_on.is_some_and(|e| e < produced_on) {
            return Err(BadLot::ExpiresBeforeProduced);
        }
        if !(1..=100_000_000).contains(&quantity) {
            return Err(BadLot::Quantity);
        }
        Ok(LotFields {
            code: code.to_string(),
            produced_on,
            expires_on,
            quantity,
            area_code: optional(area_code, 60, BadLot::AreaCode)?,
            notes: optional(notes, 2000, BadLot::Notes)?,
        })
    }
}

/// How many stamps one batch may hold, with the reason when not.
pub fn check_batch_count(count: i64) -> Result<(), String> {
    if (1..=MAX_BATCH).contains(&count) {
        Ok(())
    } else {
        Err(format!(
            "a batch holds from 1 to {MAX_BATCH} stamps; {count} is outside that: order several batches for more"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BATCH: BatchSpan = BatchSpan {
        first_serial: 101,
        count: 100,
    };

    fn r(from: i64, to: i64) -> SerialRange {
        SerialRange { from, to }
    }

    fn lot(quantity: i64, stamped: i64) -> LotRoom {
        LotRoom {
            code: "L1".into(),
            quantity,
            stamped,
            same_product: true,
        }
    }

    fn rec(from: i64, to: i64, kind: RangeKind) -> RecordedRange {
        RecordedRange {
            range: r(from, to),
            kind,
            lot_code: (kind == RangeKind::Activated).then(|| "L0".to_string()),
        }
    }

    #[test]
    fn activation_stays_inside_the_batch_and_clear_of_other_ranges() {
        assert_eq!(
            check_activation(BATCH, r(101, 200), &lot(100, 0), &[]),
            Ok(())
        );
        assert!(matches!(
            check_activation(BATCH, r(100, 110), &lot(100, 0), &[]),
            Err(RangeRefusal::OutsideBatch {
                first: 101,
                last: 200,
                ..
            })
        ));
        assert!(matches!(
            check_activation(BATCH, r(195, 201), &lot(100, 0), &[]),
            Err(RangeRefusal::OutsideBatch { .. })
        ));
        assert!(matches!(
            check_activation(BATCH, r(120, 110), &lot(100, 0), &[]),
            Err(RangeRefusal::Backwards { .. })
        ));
        let recorded = [
            rec(150, 159, RangeKind::Voided),
            rec(101, 110, RangeKind::Activated),
        ];
        assert_eq!(
            check_activation(BATCH, r(140, 155), &lot(100, 0), &recorded),
            Err(RangeRefusal::Voided { from: 150, to: 155 })
        );
        assert_eq!(
            check_activation(BATCH, r(105, 120), &lot(100, 0), &recorded),
            Err(RangeRefusal::AlreadyActivated {
                from: 105,
                to: 110,
                lot: "L0".into()
            })
        );
        assert_eq!(
            check_activation(BATCH, r(111, 149), &lot(100, 0), &recorded),
            Ok(())
        );
    }

    #[test]
    fn activation_never_exceeds_the_lot() {
        assert_eq!(
            check_activation(BATCH, r(101, 110), &lot(10, 0), &[]),
            Ok(())
        );
        let refused = check_activation(BATCH, r(101, 111), &lot(15, 5), &[]).unwrap_err();
        assert_eq!(
            refused,
            RangeRefusal::BeyondLot {
                lot: "L1".into(),
                quantity: 15,
                stamped: 5,
                room: 10
            }
        );
        assert!(refused.to_string().contains("at most 10 more"));
        let other = LotRoom {
            same_product: false,
            ..lot(100, 0)
        };
        assert_eq!(
            check_activation(BATCH, r(101, 101), &other, &[]),
            Err(RangeRefusal::OtherProduct)
        );
    }

    #[test]
    fn voids_cover_activations_but_not_other_voids() {
        let recorded = [
            rec(101, 150, RangeKind::Activated),
            rec(180, 190, RangeKind::Voided),
        ];
        assert_eq!(
            check_void(BATCH, r(140, 170), "roll damaged", &recorded),
            Ok(())
        );
        assert_eq!(
            check_void(BATCH, r(170, 185), "stolen", &recorded),
            Err(RangeRefusal::AlreadyVoided { from: 180, to: 185 })
        );
        assert_eq!(
            check_void(BATCH, r(160, 170), "  ", &recorded),
            Err(RangeRefusal::NoReason)
        );
        assert!(matches!(
            check_void(BATCH, r(199, 250), "lost", &recorded),
            Err(RangeRefusal::OutsideBatch { .. })
        ));
    }

    #[test]
    fn segments_picture_the_whole_batch_with_voids_on_top() {
        let recorded = [
            rec(101, 150, RangeKind::Activated),
            rec(140, 160, RangeKind::Voided),
            RecordedRange {
                range: r(161, 170),
                kind: RangeKind::Activated,
                lot_code: Some("L0".into()),
            },
        ];
        let s = segments(BATCH, &recorded);
        let lot0 = Stretch::Activated { lot: "L0".into() };
        assert_eq!(
            s,
            vec![
                Segment {
                    range: r(101, 139),
                    stretch: lot0.clone()
                },
                Segment {
                    range: r(140, 160),
                    stretch: Stretch::Voided
                },
                Segment {
                    range: r(161, 170),
                    stretch: lot0
                },
                Segment {
                    range: r(171, 200),
                    stretch: Stretch::Issued
                },
            ]
        );
        assert_eq!(s.iter().map(|x| x.range.len()).sum::<i64>(), 100);
        assert_eq!(
            segments(BATCH, &[]),
            vec![Segment {
                range: r(101, 200),
                stretch: Stretch::Issued
            }]
        );
    }

    #[test]
    fn coverage_counts_lots_fully_stamped() {
        let c = Coverage::of([(100, 100), (50, 10), (20, 0), (10, 12)]);
        assert_eq!(c.lots, 4);
        assert_eq!(c.lots_covered, 2);
        assert_eq!(c.lots_percent(), 50);
        assert_eq!(c.units, 180);
        assert_eq!(c.units_stamped, 120);
        assert_eq!(c.units_percent(), 66);
        assert_eq!(Coverage::of([]).lots_percent(), 0);
    }

    #[test]
    fn lots_and_batch_sizes_are_checked() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ok = LotFields::check(
            " L-2026-01 ",
            d("2026-11-01"),
            Some(d("2027-11-01")),
            500,
            Some(" "),
            None,
        )
        .unwrap();
        assert_eq!(ok.code, "L-2026-01");
        assert_eq!(ok.area_code, None);
        assert_eq!(
            LotFields::check("L", d("2026-11-01"), Some(d("2026-10-01")), 1, None, None),
            Err(BadLot::ExpiresBeforeProduced)
        );
        assert_eq!(
            LotFields::check("", d("2026-11-01"), None, 1, None, None),
            Err(BadLot::Code)
        );
        assert_eq!(
            LotFields::check("L", d("2026-11-01"), None, 0, None, None),
            Err(BadLot::Quantity)
        );
        assert!(check_batch_count(1).is_ok());
        assert!(check_batch_count(MAX_BATCH).is_ok());
        assert!(check_batch_count(0).is_err());
        assert!(check_batch_count(MAX_BATCH + 1)
            .unwrap_err()
            .contains("10000000"));
    }
}
