//! The batched scan writer (group commit). Every answered scan is recorded before its answer
//! is sent, but thousands of scans a second cannot each have their own transaction and fsync:
//! handlers queue their scan and wait; one task takes everything queued, writes it in one
//! transaction, and wakes them all. While it commits, the next batch gathers.
//!
//! After replying it applies the anomaly rules to the new totals and raises alerts.

use chrono::{Duration as Span, Utc};
use ocop_domain::verify::Thresholds;
use ocop_store::{ActivityAfter, NewAlert, NewScan, Store};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Scans per transaction at most; more wait for the next one.
const BATCH: usize = 1024;
/// Times the writer yields to gather more scans into a transaction.
const YIELDS: usize = 4;
/// Unknown codes from one network within [`GUESS_WINDOW_MINUTES`] that look like guessing.
pub const GUESS_LIMIT: i64 = 20;
pub const GUESS_WINDOW_MINUTES: i64 = 10;

/// A scan with what the alerts need beyond the row.
pub struct ScanNote {
    pub scan: NewScan,
    pub province_code: Option<String>,
}

struct Pending {
    note: ScanNote,
    done: oneshot::Sender<bool>,
}

#[derive(Clone)]
pub struct ScanWriter {
    queue: mpsc::Sender<Pending>,
}

#[derive(Debug, thiserror::Error)]
#[error("the scan could not be recorded")]
pub struct NotRecorded;

impl ScanWriter {
    pub fn start(store: Arc<dyn Store>, limits: Thresholds) -> ScanWriter {
        let (queue, rx) = mpsc::channel(16 * BATCH);
        tokio::spawn(run(store, limits, rx));
        ScanWriter { queue }
    }

    /// Returns once the scan is committed.
    pub async fn record(&self, note: ScanNote) -> Result<(), NotRecorded> {
        let (done, wait) = oneshot::channel();
        self.queue
            .send(Pending { note, done })
            .await
            .map_err(|_| NotRecorded)?;
        match wait.await {
            Ok(true) => Ok(()),
            _ => Err(NotRecorded),
        }
    }
}

/// Causes this server already raised: a copied stamp scanned a thousand times raises its
/// alert once, without a thousand more statements. Bounded; a cleared set only costs a few
/// statements that the database ignores (one alert per cause).
#[derive(Default)]
struct Raised(HashSet<String>);

impl Raised {
    fn fresh(&mut self, alerts: Vec<NewAlert>) -> Vec<NewAlert> {
        if self.0.len() > 100_000 {
            self.0.clear();
        }
        alerts
            .into_iter()
            .filter(|a| self.0.insert(a.dedupe_key.clone()))
            .collect()
    }
}

async fn run(store: Arc<dyn Store>, limits: Thresholds, mut rx: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(BATCH);
    // The anomaly rules read totals and may write alerts: on their own task, so the next
    // commit starts as soon as this one is answered.
    let (to_rules, rules_rx) = mpsc::channel::<Vec<ScanNote>>(64);
    tokio::spawn(apply_rules(store.clone(), limits, rules_rx));
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        // Let handlers that are about to queue their scan do so: a few yields cost
        // microseconds, and a fuller transaction saves whole commits.
        for _ in 0..YIELDS {
            tokio::task::yield_now().await;
            if rx.is_empty() {
                break;
            }
            let room = BATCH.saturating_sub(batch.len());
            if room == 0 {
                break;
            }
            rx.recv_many(&mut batch, room).await;
        }
        let scans: Vec<NewScan> = batch.iter().map(|p| p.note.scan.clone()).collect();
        let result = store.record_scans(&scans).await;
        if let Err(e) = &result {
            tracing::error!(error = %e, scans = scans.len(), "scans not recorded");
        }
        let ok = result.is_ok();
        let notes: Vec<ScanNote> = batch
            .drain(..)
            .map(|p| {
                let _ = p.done.send(ok);
                p.note
            })
            .collect();
        // When the rules fall behind, this waits: scans are never dropped, alerts come late.
        if ok && to_rules.send(notes).await.is_err() {
            tracing::error!("the anomaly rules stopped");
        }
    }
}

async fn apply_rules(
    store: Arc<dyn Store>,
    limits: Thresholds,
    mut rx: mpsc::Receiver<Vec<ScanNote>>,
) {
    let mut raised = Raised::default();
    let mut batches: Vec<Vec<ScanNote>> = Vec::new();
    while rx.recv_many(&mut batches, 64).await > 0 {
        let notes: Vec<ScanNote> = batches.drain(..).flatten().collect();
        let mut serials: Vec<i64> = notes.iter().filter_map(|n| n.scan.serial).collect();
        serials.sort_unstable();
        serials.dedup();
        let after = match store.stamp_totals(&serials).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "stamp totals not read");
                continue;
            }
        };
        if let Err(e) = raise(&*store, &limits, &notes, &after, &mut raised).await {
            tracing::warn!(error = %e, "alerts not raised");
        }
    }
}

async fn raise(
    store: &dyn Store,
    limits: &Thresholds,
    notes: &[ScanNote],
    after: &[ActivityAfter],
    raised: &mut Raised,
) -> Result<(), ocop_store::StoreError> {
    let by_serial: HashMap<i64, &ScanNote> = notes
        .iter()
        .filter_map(|n| n.scan.serial.map(|s| (s, n)))
        .collect();
    let mut alerts = Vec::new();
    let alert = |kind: &'static str, note: &ScanNote, details: serde_json::Value| NewAlert {
        dedupe_key: format!("{kind}:{}", note.scan.serial.unwrap_or(0)),
        kind,
        serial: note.scan.serial,
        product_id: note.scan.product_id,
        province_code: note.province_code.clone(),
        details,
    };
    for a in after {
        let Some(note) = by_serial.get(&a.serial) else {
            continue;
        };
        if a.scans >= limits.scans {
            alerts.push(alert(
                "many_scans",
                note,
                serde_json::json!({"scans": a.scans, "threshold": limits.scans}),
            ));
        }
        if a.places > limits.places {
            alerts.push(alert(
                "many_places",
                note,
                serde_json::json!({"places": a.places, "threshold": limits.places}),
            ));
        }
    }
    for note in notes {
        match note.scan.verdict {
            "not_activated" => {
                alerts.push(alert("scan_not_activated", note, serde_json::json!({})))
            }
            "void" => alerts.push(alert("scan_void", note, serde_json::json!({}))),
            _ => {}
        }
    }
    // Guessing: many codes that are not ours from one network within a few minutes.
    let guessing: HashSet<&str> = notes
        .iter()
        .filter(|n| n.scan.verdict == "unknown")
        .map(|n| n.scan.place.as_str())
        .collect();
    let now = Utc::now();
    for place in guessing {
        let n = store
            .unknown_scans_from(place, now - Span::minutes(GUESS_WINDOW_MINUTES))
            .await?;
        if n >= GUESS_LIMIT {
            alerts.push(NewAlert {
                dedupe_key: format!("guessing:{place}:{}", now.format("%Y%m%d%H")),
                kind: "guessing",
                serial: None,
                product_id: None,
                province_code: None,
                details: serde_json::json!({"place": place, "unknown_scans": n, "minutes": GUESS_WINDOW_MINUTES}),
            });
        }
    }
    let alerts = raised.fresh(alerts);
    if !alerts.is_empty() {
        store.raise_alerts(&alerts).await?;
    }
    Ok(())
}
