//! Answering a scan: decode the code, find its batch, check the tag, work out the stamp's state
//! and evidence, and judge it (`ocop_domain::verify::judge`).
//!
//! A scan must cost about as little as `/healthz`, so the reads come from memory:
//! - where each batch starts: batches never change once issued, so the index only grows
//!   (a miss asks the database, and codes that fail the tag never get that far);
//! - each batch's card (ranges, lots and recalls, product, certificates), at most
//!   [`CARD_TTL`] old, so a void, recall or revocation through any server shows within a second;
//! - each stamp's activity (scans, places, PIN), at most [`ACTIVITY_TTL`] old plus this
//!   server's own scans since. Counts from other servers may lag that long; the anomaly
//!   rules run on the database totals, which never lag.

pub mod answer;
pub mod watch;
pub mod writer;

use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::stamps::{stretch_at, RecordedRange, Stretch};
use ocop_domain::verify::{judge, Evidence, Reason, StampState, Thresholds, Verdict};
use ocop_stamp::{CodeBook, StampCode};
use ocop_store::{Activity, BatchCard, Lot, StampRange, Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

pub const CARD_TTL: Duration = Duration::from_secs(1);
pub const ACTIVITY_TTL: Duration = Duration::from_secs(5);
/// Beyond this many cached stamps the activity cache starts again (memory stays bounded).
const ACTIVITY_CAPACITY: usize = 200_000;

#[derive(Clone, Copy)]
struct BatchRef {
    id: i64,
    last: i64,
    kid: u32,
}

type Cached = (Arc<BatchCard>, Arc<[RecordedRange]>);

pub struct Verifier {
    store: Arc<dyn Store>,
    codes: Arc<CodeBook>,
    batches: RwLock<BTreeMap<i64, BatchRef>>,
    /// Each card with its ranges in the rules' form, made once per load, not per scan.
    cards: Mutex<HashMap<i64, (Instant, Cached)>>,
    activity: Mutex<HashMap<i64, (Instant, Activity)>>,
}

/// A stamp as a scan finds it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Option<StampCode>,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
    pub serial: Option<i64>,
    pub card: Option<Arc<BatchCard>>,
    pub lot: Option<Lot>,
    /// Scans before this one.
    pub activity: Activity,
}

impl Finding {
    pub fn unknown(code: Option<StampCode>, reason: Reason) -> Finding {
        Finding {
            code,
            verdict: Verdict::Unknown,
            reasons: vec![reason],
            serial: None,
            card: None,
            lot: None,
            activity: Activity::default(),
        }
    }

    pub fn product_id(&self) -> Option<i64> {
        self.card.as_ref().map(|c| c.product.id)
    }

    /// The stars to show: only from a certificate valid today.
    pub fn certificate(&self, today: NaiveDate) -> Option<&ocop_store::Certificate> {
        self.card
            .as_ref()?
            .certificates
            .iter()
            .find(|c| c.shows_stars(today))
    }
}

impl Verifier {
    pub fn new(store: Arc<dyn Store>, codes: Arc<CodeBook>) -> Verifier {
        Verifier {
            store,
            codes,
            batches: RwLock::new(BTreeMap::new()),
            cards: Mutex::new(HashMap::new()),
            activity: Mutex::new(HashMap::new()),
        }
    }

    /// What a scan of `typed` finds. Malformed or forged codes are an `unknown` finding, not
    /// an error; only the database failing is an error.
    pub async fn find(
        &self,
        typed: &str,
        limits: &Thresholds,
        today: NaiveDate,
    ) -> Result<Finding, StoreError> {
        let code = match StampCode::parse(typed) {
            Ok(c) => c,
            Err(_) => return Ok(Finding::unknown(None, Reason::Malformed)),
        };
        let serial = self.codes.serial_of(&code) as i64;
        // A forged code fails here, on the key file alone, before any database work.
        let kids = self.codes.kids_matching(&code);
        if kids.is_empty() {
            return Ok(Finding::unknown(Some(code), Reason::BadTag));
        }
        let Some(batch) = self.batch_of(serial).await? else {
            return Ok(Finding::unknown(Some(code), Reason::NoBatch));
        };
        if !kids.contains(&batch.kid) {
            return Ok(Finding::unknown(Some(code), Reason::BadTag));
        }
        let Some((card, recorded)) = self.card(batch.id).await? else {
            return Ok(Finding::unknown(Some(code), Reason::NoBatch));
        };
        let activity = self.activity(serial).await?;
        let (state, lot) = state_of(&card, &recorded, serial);
        let evidence = Evidence {
            scans: activity.scans,
            places: activity.places,
            pin_reused: activity.pin_reused,
            pin_locked: activity.pin_wrong >= ocop_domain::verify::MAX_WRONG_PINS,
        };
        let (verdict, reasons) = judge(&state, &evidence, limits, today);
        Ok(Finding {
            code: Some(code),
            verdict,
            reasons,
            serial: Some(serial),
            card: Some(card),
            lot,
            activity,
        })
    }

    async fn batch_of(&self, serial: i64) -> Result<Option<BatchRef>, StoreError> {
        if let Some((_, b)) = self
            .batches
            .read()
            .expect("batch index lock")
            .range(..=serial)
            .next_back()
        {
            if serial <= b.last {
                return Ok(Some(*b));
            }
        }
        let Some(found) = self.store.batch_holding(serial).await? else {
            return Ok(None);
        };
        let b = BatchRef {
            id: found.id,
            last: found.last_serial(),
            kid: u32::try_from(found.kid).unwrap_or(0),
        };
        self.batches
            .write()
            .expect("batch index lock")
            .insert(found.first_serial, b);
        Ok(Some(b))
    }

    async fn card(&self, batch_id: i64) -> Result<Option<Cached>, StoreError> {
        if let Some((at, cached)) = self.cards.lock().expect("card cache lock").get(&batch_id) {
            if at.elapsed() < CARD_TTL {
                return Ok(Some(cached.clone()));
            }
        }
        let Some(card) = self.store.batch_card(batch_id).await? else {
            return Ok(None);
        };
        let recorded: Arc<[RecordedRange]> = card.ranges.iter().map(StampRange::recorded).collect();
        let cached = (Arc::new(card), recorded);
        self.cards
            .lock()
            .expect("card cache lock")
            .insert(batch_id, (Instant::now(), cached.clone()));
        Ok(Some(cached))
    }

    async fn activity(&self, serial: i64) -> Result<Activity, StoreError> {
        if let Some((at, a)) = self.activity.lock().expect("activity lock").get(&serial) {
            if at.elapsed() < ACTIVITY_TTL {
                return Ok(*a);
            }
        }
        let a = self.store.stamp_activity(serial).await?;
        let mut cache = self.activity.lock().expect("activity lock");
        if cache.len() >= ACTIVITY_CAPACITY {
            cache.clear();
        }
        cache.insert(serial, (Instant::now(), a));
        Ok(a)
    }

    /// This server's own scan, counted at once so the next scan here sees it.
    pub fn note_scan(&self, serial: i64, at: DateTime<Utc>) {
        if let Some((_, a)) = self
            .activity
            .lock()
            .expect("activity lock")
            .get_mut(&serial)
        {
            a.scans += 1;
            a.first_at.get_or_insert(at);
            a.last_at = Some(at);
        }
    }

    /// After a PIN check the cached activity is stale at once (reuse and locks matter).
    pub fn forget_activity(&self, serial: i64) {
        self.activity.lock().expect("activity lock").remove(&serial);
    }

    /// After a recall through this server, its own answers change at once.
    pub fn forget_cards(&self) {
        self.cards.lock().expect("card cache lock").clear();
    }
}

/// The stamp's life-cycle state in its batch (`ocop_domain::stamps::stretch_at`), with its lot.
fn state_of(
    card: &BatchCard,
    recorded: &[RecordedRange],
    serial: i64,
) -> (StampState, Option<Lot>) {
    match stretch_at(recorded, serial) {
        Stretch::Voided => (StampState::Voided, None),
        Stretch::Issued => (StampState::Issued, None),
        // Lot codes are unique within a product, and the card holds the product's lots.
        Stretch::Activated { lot } => match card.lots.iter().find(|l| l.code == lot) {
            Some(l) => (
                StampState::Activated {
                    expires_on: l.expires_on,
                    recalled: l.recalled_at.is_some(),
                },
                Some(l.clone()),
            ),
            None => (StampState::Issued, None),
        },
    }
}
