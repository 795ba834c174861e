//! Lots, stamp batches and their ranges: one path for the API, the web pages and the CLI, so the
//! same checks (input, reach, authorization, audit) apply everywhere.
//!
//! Who may do what: whoever may edit a product in the register (its producer, the commune
//! officer, the province's admins, central users) orders stamps, records lots, activates and
//! voids ranges, and exports codes; inspectors read. Anything out of reach is "not found".

pub mod cli;
pub mod export;
pub mod respond;

use crate::error::{conflict, not_found, unprocessable, Problem};
use crate::registry::products::visible;
use crate::registry::require_edit;
use crate::users::Requester;
use chrono::NaiveDate;
use ocop_domain::stamps::{self as rules, Coverage, RangeKind, Segment};
use ocop_store::{
    Lot, NewBatch, NewLot, NewRange, Product, StampBatch, StampRange, Store, StoreError,
};
use serde::Serialize;

/// A product the requester may see, and change when `edit`.
pub async fn product(
    store: &dyn Store,
    by: Requester<'_>,
    product_id: i64,
    edit: bool,
) -> Result<Product, Problem> {
    let p = visible(store, by, product_id).await?;
    if edit {
        require_edit(by)?;
    }
    Ok(p)
}

/// A batch and its product, if the requester may see the product (and change it when `edit`).
pub async fn batch(
    store: &dyn Store,
    by: Requester<'_>,
    batch_id: i64,
    edit: bool,
) -> Result<(StampBatch, Product), Problem> {
    let b = store
        .stamp_batch(batch_id)
        .await?
        .ok_or_else(|| not_found("stamp batch"))?;
    // A batch out of reach is as unknown as a missing one.
    let p = product(store, by, b.product_id, edit).await.map_err(|e| {
        if e.status == 404 {
            not_found("stamp batch")
        } else {
            e
        }
    })?;
    Ok((b, p))
}

fn audit(
    by: Requester<'_>,
    action: &'static str,
    p: &Product,
    details: serde_json::Value,
) -> ocop_store::AuditEntry {
    by.audit(action, p.province_code.parse().ok().as_ref(), details)
}

/// A new lot as typed in a form or sent to the API.
#[derive(Debug, Clone)]
pub struct LotInput {
    pub product_id: i64,
    pub code: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub quantity: i64,
    pub area_code: Option<String>,
    pub notes: Option<String>,
}

pub async fn create_lot(
    store: &dyn Store,
    by: Requester<'_>,
    input: &LotInput,
) -> Result<Lot, Problem> {
    let p = product(store, by, input.product_id, true).await?;
    let f = rules::LotFields::check(
        &input.code,
        input.produced_on,
        input.expires_on,
        input.quantity,
        input.area_code.as_deref(),
        input.notes.as_deref(),
    )
    .map_err(|e| unprocessable(e.field(), "invalid_lot", e.to_string()))?;
    let new = NewLot {
        product_id: p.id,
        code: f.code,
        produced_on: f.produced_on,
        expires_on: f.expires_on,
        quantity: f.quantity,
        area_code: f.area_code,
        notes: f.notes,
        created_by: by.user_id(),
    };
    let entry = audit(
        by,
        "lot_created",
        &p,
        serde_json::json!({"product": p.code, "lot": new.code, "quantity": new.quantity}),
    );
    store.create_lot(&new, &entry).await.map_err(|e| match e {
        StoreError::Conflict(_) => conflict(
            "lot_code_taken",
            format!(
                "this product already has a lot {}: give the new lot another code",
                new.code
            ),
        )
        .with_field("code"),
        other => other.into(),
    })
}

pub async fn issue_batch(
    store: &dyn Store,
    by: Requester<'_>,
    product_id: i64,
    count: i64,
    kid: u32,
) -> Result<StampBatch, Problem> {
    let p = product(store, by, product_id, true).await?;
    rules::check_batch_count(count).map_err(|why| unprocessable("count", "invalid_count", why))?;
    let entry = audit(
        by,
        "stamp_batch_issued",
        &p,
        serde_json::json!({"product": p.code, "count": count, "kid": kid}),
    );
    let new = NewBatch {
        product_id: p.id,
        kid: kid as i32,
        count,
        created_by: by.user_id(),
    };
    store.issue_batch(&new, &entry).await.map_err(range_problem)
}

/// An activation (with `lot_id`) or a void (with `reason`) of a batch's serials.
#[derive(Debug, Clone)]
pub struct RangeInput {
    pub kind: RangeKind,
    pub from_serial: i64,
    pub to_serial: i64,
    pub lot_id: Option<i64>,
    pub reason: Option<String>,
}

pub async fn record_range(
    store: &dyn Store,
    by: Requester<'_>,
    batch_id: i64,
    input: &RangeInput,
) -> Result<StampRange, Problem> {
    let (b, p) = batch(store, by, batch_id, true).await?;
    let lot_id = match input.kind {
        RangeKind::Activated => {
            let id = input.lot_id.ok_or_else(|| {
                unprocessable("lot_id", "required", "choose the lot these stamps go on")
            })?;
            // A lot of a product out of reach is as unknown as a missing one.
            match store.lot(id).await? {
                Some(l) if l.product_id == p.id => Some(id),
                Some(_) => {
                    return Err(unprocessable(
                        "lot_id",
                        "lot_other_product",
                        "the lot belongs to another product than this batch",
                    ))
                }
                None => {
                    return Err(unprocessable(
                        "lot_id",
                        "unknown_reference",
                        "the lot does not exist",
                    ))
                }
            }
        }
        RangeKind::Voided => None,
    };
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(unprocessable(
            "reason",
            "too_long",
            "the reason is longer than 500 characters",
        ));
    }
    let new = NewRange {
        batch_id: b.id,
        kind: input.kind,
        from_serial: input.from_serial,
        to_serial: input.to_serial,
        lot_id,
        reason: reason.map(str::to_string),
        created_by: by.user_id(),
    };
    let action = match input.kind {
        RangeKind::Activated => "stamps_activated",
        RangeKind::Voided => "stamps_voided",
    };
    let entry = audit(
        by,
        action,
        &p,
        serde_json::json!({"product": p.code, "batch": b.id, "from": new.from_serial, "to": new.to_serial,
            "lot": new.lot_id, "reason": new.reason}),
    );
    store
        .record_range(&new, &entry)
        .await
        .map_err(range_problem)
}

/// Range refusals are the user's to fix (422, naming the serials); a full serial space is not.
fn range_problem(e: StoreError) -> Problem {
    match e {
        StoreError::Range(why) => {
            let field = match why {
                rules::RangeRefusal::NoReason => "reason",
                rules::RangeRefusal::OtherProduct | rules::RangeRefusal::BeyondLot { .. } => {
                    "lot_id"
                }
                _ => "from_serial",
            };
            unprocessable(field, why.code(), why.to_string())
        }
        StoreError::SerialsExhausted => conflict(
            "serials_exhausted",
            "the 40-bit serial space cannot hold a batch of this size",
        ),
        StoreError::NotFound => not_found("stamp batch"),
        other => other.into(),
    }
}

/// A batch with its recorded ranges and the picture of its stretches.
#[derive(Debug, Clone, Serialize)]
pub struct BatchOverview {
    pub batch: StampBatch,
    pub ranges: Vec<StampRange>,
    pub segments: Vec<Segment>,
    pub issued: i64,
    pub activated: i64,
    pub voided: i64,
}

pub async fn overview(store: &dyn Store, batch: StampBatch) -> Result<BatchOverview, Problem> {
    let ranges = store.stamp_ranges(batch.id).await?;
    let recorded: Vec<_> = ranges.iter().map(StampRange::recorded).collect();
    let segments = rules::segments(batch.span(), &recorded);
    let total = |pick: fn(&rules::Stretch) -> bool| -> i64 {
        segments
            .iter()
            .filter(|s| pick(&s.stretch))
            .map(|s| s.range.len())
            .sum()
    };
    Ok(BatchOverview {
        issued: total(|s| matches!(s, rules::Stretch::Issued)),
        activated: total(|s| matches!(s, rules::Stretch::Activated { .. })),
        voided: total(|s| matches!(s, rules::Stretch::Voided)),
        batch,
        ranges,
        segments,
    })
}

/// Lots of a product and how far stamps cover them.
pub async fn lots_with_coverage(
    store: &dyn Store,
    product_id: i64,
) -> Result<(Vec<Lot>, Coverage), Problem> {
    let lots = store.lots(product_id).await?;
    let coverage = Coverage::of(lots.iter().map(|l| (l.quantity, l.stamped)));
    Ok((lots, coverage))
}

/// The stars a label shows: those of a certificate valid today, if any.
pub async fn valid_stars(store: &dyn Store, product_id: i64) -> Result<Option<u8>, Problem> {
    let today = chrono::Utc::now().date_naive();
    Ok(store
        .certificates(product_id)
        .await?
        .iter()
        .filter(|c| c.shows_stars(today))
        .map(|c| c.stars as u8)
        .max())
}
