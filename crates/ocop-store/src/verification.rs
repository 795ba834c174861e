//! What a scan needs to know (a batch's card, a stamp's activity), the batched scan writer's
//! statements, PIN checks, recalls, alerts and shoppers' reports.

use crate::{AuditEntry, Certificate, Lot, Result, StampBatch, StampRange};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::verify::{PinOutcome, PinRecord, Verdict};
use serde::Serialize;

/// The public face of a product on a stamp's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductCard {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub address: Option<String>,
    pub commune_name: String,
    pub province_name: String,
    pub province_code: String,
    pub commune_code: String,
    /// GTIN-14, when the product has one.
    pub gtin: Option<String>,
    pub photo_id: Option<i64>,
}

/// Everything about a batch that every scan of its stamps shows; servers cache it briefly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchCard {
    pub batch: StampBatch,
    pub ranges: Vec<StampRange>,
    /// The lots its ranges bind, with their recall.
    pub lots: Vec<Lot>,
    pub product: ProductCard,
    pub certificates: Vec<Certificate>,
}

/// A stamp's running totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub scans: i64,
    pub places: i64,
    pub first_at: Option<DateTime<Utc>>,
    pub last_at: Option<DateTime<Utc>>,
    pub pin_first_checked_at: Option<DateTime<Utc>>,
    pub pin_wrong: i32,
    pub pin_reused: bool,
}

/// One answered scan, as the writer records it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewScan {
    pub serial: Option<i64>,
    pub product_id: Option<i64>,
    pub verdict: &'static str,
    pub first_scan: bool,
    pub place: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub at: DateTime<Utc>,
}

/// A stamp's totals after a batch of scans, for the anomaly rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityAfter {
    pub serial: i64,
    pub scans: i64,
    pub places: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    pub dedupe_key: String,
    pub kind: &'static str,
    pub serial: Option<i64>,
    pub product_id: Option<i64>,
    pub province_code: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub kind: String,
    pub serial: Option<i64>,
    pub product_id: Option<i64>,
    pub product_name: Option<String>,
    pub province_code: Option<String>,
    pub details: serde_json::Value,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which alerts or reports to list: a province's, a commune's, an organization's, or all.
#[derive(Debug, Clone, Default)]
pub struct WatchFilter {
    pub province: Option<String>,
    pub commune: Option<String>,
    pub organization_id: Option<i64>,
    pub product_id: Option<i64>,
    pub state: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct NewReport {
    pub code: String,
    pub serial: Option<i64>,
    pub product_id: Option<i64>,
    pub province_code: Option<String>,
    pub what: String,
    pub place: Option<String>,
    pub contact: Option<String>,
    pub photo_hash: Option<String>,
    pub photo_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub id: i64,
    pub code: String,
    pub serial: Option<i64>,
    pub product_id: Option<i64>,
    pub product_name: Option<String>,
    pub province_code: Option<String>,
    pub what: String,
    pub place: Option<String>,
    pub contact: Option<String>,
    pub photo_hash: Option<String>,
    pub photo_type: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Scans of a product on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScanDay {
    pub day: NaiveDate,
    pub scans: i64,
    pub first_scans: i64,
}

#[async_trait]
pub trait VerificationStore {
    async fn batch_card(&self, batch_id: i64) -> Result<Option<BatchCard>>;
    async fn stamp_activity(&self, serial: i64) -> Result<Activity>;
    /// Records scans in one transaction: the rows, each stamp's places and running totals.
    async fn record_scans(&self, scans: &[NewScan]) -> Result<()>;
    /// The running totals of these stamps, for the anomaly rules.
    async fn stamp_totals(&self, serials: &[i64]) -> Result<Vec<ActivityAfter>>;
    /// Scans of codes that are not ours from one place since a time: guessing leaves this trail.
    async fn unknown_scans_from(&self, place: &str, since: DateTime<Utc>) -> Result<i64>;
    /// One PIN attempt on a stamp judged `verdict`, decided by `ocop_domain::verify::check_pin`
    /// inside the transaction.
    async fn check_pin(
        &self,
        serial: i64,
        verdict: Verdict,
        correct: bool,
        now: DateTime<Utc>,
    ) -> Result<PinOutcome>;
    async fn recall_lot(&self, lot_id: i64, reason: &str, audit: &AuditEntry) -> Result<Lot>;
    /// Alerts already raised for the same cause are left alone; returns how many are new.
    async fn raise_alerts(&self, alerts: &[NewAlert]) -> Result<u64>;
    async fn alerts(&self, filter: &WatchFilter) -> Result<Vec<Alert>>;
    async fn alert(&self, id: i64) -> Result<Option<Alert>>;
    async fn set_alert_state(&self, id: i64, state: &str, audit: &AuditEntry) -> Result<Alert>;
    async fn create_report(&self, new: &NewReport) -> Result<Report>;
    async fn reports(&self, filter: &WatchFilter) -> Result<Vec<Report>>;
    async fn report(&self, id: i64) -> Result<Option<Report>>;
    async fn scan_days(&self, product_id: i64, since: DateTime<Utc>) -> Result<Vec<ScanDay>>;
}

pub(crate) fn pin_record(a: &Activity) -> PinRecord {
    PinRecord {
        first_checked_at: a.pin_first_checked_at,
        wrong: a.pin_wrong,
    }
}

/// The conditions of a watch filter over a table aliased `t` with `product_id` and
/// `province_code` columns.
pub(crate) fn watch_where(f: &WatchFilter) -> crate::search::Where {
    let mut w = crate::search::Where::default();
    w.and_text("t.province_code = ?", f.province.as_deref());
    w.and_text(
        "t.product_id IN (SELECT id FROM products WHERE commune_code = ?)",
        f.commune.as_deref(),
    );
    w.and_int(
        "t.product_id IN (SELECT id FROM products WHERE organization_id = ?)",
        f.organization_id,
    );
    w.and_int("t.product_id = ?", f.product_id);
    w
}

macro_rules! activity_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::Activity {
            scans: r.try_get("scans")?,
            places: r.try_get("places")?,
            first_at: r.try_get("first_at")?,
            last_at: r.try_get("last_at")?,
            pin_first_checked_at: r.try_get("pin_first_checked_at")?,
            pin_wrong: r.try_get("pin_wrong")?,
            pin_reused: r.try_get("pin_reused")?,
        }
    }};
}
pub(crate) use activity_from_row;

macro_rules! alert_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let details: String = r.try_get("details")?;
        $crate::Alert {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            serial: r.try_get("serial")?,
            product_id: r.try_get("product_id")?,
            product_name: r.try_get("product_name")?,
            province_code: r.try_get("province_code")?,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            state: r.try_get("state")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        }
    }};
}
pub(crate) use alert_from_row;

macro_rules! report_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::Report {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            serial: r.try_get("serial")?,
            product_id: r.try_get("product_id")?,
            product_name: r.try_get("product_name")?,
            province_code: r.try_get("province_code")?,
            what: r.try_get("what")?,
            place: r.try_get("place")?,
            contact: r.try_get("contact")?,
            photo_hash: r.try_get("photo_hash")?,
            photo_type: r.try_get("photo_type")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use report_from_row;

pub(crate) const ALERT_SELECT: &str = "SELECT t.id, t.kind, t.serial, t.product_id, p.name AS product_name, \
    t.province_code, t.details, t.state, t.created_at, t.updated_at FROM alerts t LEFT JOIN products p ON p.id = t.product_id";

pub(crate) const REPORT_SELECT: &str =
    "SELECT t.id, t.code, t.serial, t.product_id, p.name AS product_name, \
    t.province_code, t.what, t.place, t.contact, t.photo_hash, t.photo_type, t.created_at \
    FROM reports t LEFT JOIN products p ON p.id = t.product_id";

pub(crate) const ACTIVITY_COLUMNS: &str =
    "scans, places, first_at, last_at, pin_first_checked_at, pin_wrong, pin_reused";

/// A batch of scans as the JSON documents the statements read.
pub(crate) struct ScanBatch {
    pub scans: String,
    /// `[{s, pl}]`: each stamp's places in this batch.
    pub places: String,
    /// `[{s, n, f, l}]`: each stamp's scans, first and last time in this batch.
    pub totals: String,
    /// `[serial, …]`
    pub serials: String,
}

impl ScanBatch {
    pub fn of(scans: &[NewScan]) -> ScanBatch {
        use std::collections::{BTreeMap, BTreeSet};
        let rows: Vec<serde_json::Value> = scans
            .iter()
            .map(|s| {
                serde_json::json!({"s": s.serial, "p": s.product_id, "v": s.verdict, "f": s.first_scan,
                    "pl": s.place, "la": s.latitude, "lo": s.longitude, "at": stamp_time(s.at)})
            })
            .collect();
        let mut per: BTreeMap<i64, (i64, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
        let mut pairs: BTreeSet<(i64, &str)> = BTreeSet::new();
        for s in scans {
            if let Some(serial) = s.serial {
                let e = per.entry(serial).or_insert((0, s.at, s.at));
                e.0 += 1;
                e.1 = e.1.min(s.at);
                e.2 = e.2.max(s.at);
                pairs.insert((serial, s.place.as_str()));
            }
        }
        let json = |v: Vec<serde_json::Value>| serde_json::Value::Array(v).to_string();
        ScanBatch {
            scans: json(rows),
            places: json(pairs.iter().map(|(s, pl)| serde_json::json!({"s": s, "pl": pl})).collect()),
            totals: json(
                per.iter()
                    .map(|(s, (n, f, l))| serde_json::json!({"s": s, "n": n, "f": stamp_time(*f), "l": stamp_time(*l)}))
                    .collect(),
            ),
            serials: serde_json::to_string(&per.keys().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into()),
        }
    }
}

/// The scan writer's statements in each dialect: SQLite reads JSON with `json_each`,
/// PostgreSQL with `jsonb_to_recordset`. `WHERE true` tells SQLite's parser that the
/// `ON CONFLICT` belongs to the INSERT, not to the SELECT's join.
pub(crate) struct ScanSql {
    pub scans: &'static str,
    pub places: &'static str,
    pub totals: &'static str,
    pub count_places: &'static str,
}

impl ScanSql {
    pub(crate) fn of(backend: crate::Backend) -> ScanSql {
        match backend {
            crate::Backend::Sqlite => ScanSql {
                scans: "INSERT INTO stamp_scans (serial, product_id, verdict, first_scan, place, latitude, longitude, at) \
                    SELECT value->>'$.s', value->>'$.p', value->>'$.v', value->>'$.f', value->>'$.pl', \
                    value->>'$.la', value->>'$.lo', value->>'$.at' FROM json_each($1)",
                places: "INSERT INTO stamp_scan_places (serial, place) SELECT value->>'$.s', value->>'$.pl' \
                    FROM json_each($1) WHERE true ON CONFLICT DO NOTHING",
                totals: "INSERT INTO stamp_activity (serial, scans, places, first_at, last_at) \
                    SELECT value->>'$.s', value->>'$.n', 0, value->>'$.f', value->>'$.l' FROM json_each($1) WHERE true \
                    ON CONFLICT (serial) DO UPDATE SET scans = stamp_activity.scans + excluded.scans, \
                    first_at = COALESCE(stamp_activity.first_at, excluded.first_at), last_at = excluded.last_at",
                count_places: "UPDATE stamp_activity SET places = (SELECT COUNT(*) FROM stamp_scan_places p \
                    WHERE p.serial = stamp_activity.serial) WHERE serial IN (SELECT value FROM json_each($1))",
            },
            crate::Backend::Postgres => ScanSql {
                scans: "INSERT INTO stamp_scans (serial, product_id, verdict, first_scan, place, latitude, longitude, at) \
                    SELECT s, p, v, f, pl, la, lo, at FROM jsonb_to_recordset($1::jsonb) \
                    AS x(s bigint, p bigint, v text, f boolean, pl text, la float8, lo float8, at timestamptz)",
                places: "INSERT INTO stamp_scan_places (serial, place) \
                    SELECT s, pl FROM jsonb_to_recordset($1::jsonb) AS x(s bigint, pl text) ON CONFLICT DO NOTHING",
                totals: "INSERT INTO stamp_activity (serial, scans, places, first_at, last_at) \
                    SELECT s, n, 0, f, l FROM jsonb_to_recordset($1::jsonb) \
                    AS x(s bigint, n bigint, f timestamptz, l timestamptz) \
                    ON CONFLICT (serial) DO UPDATE SET scans = stamp_activity.scans + excluded.scans, \
                    first_at = COALESCE(stamp_activity.first_at, excluded.first_at), last_at = excluded.last_at",
                count_places: "UPDATE stamp_activity SET places = (SELECT COUNT(*) FROM stamp_scan_places p \
                    WHERE p.serial = stamp_activity.serial) \
                    WHERE serial IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))",
            },
        }
    }
}

/// The SQLite transaction as one script of the same statements with the JSON documents
/// inlined as SQL literals. The documents hold only values this server made (numbers, times,
/// hex hashes, fixed verdict words); doubling quotes keeps any text a literal all the same.
pub(crate) fn sqlite_scan_script(b: &ScanBatch) -> String {
    let sql = ScanSql::of(crate::Backend::Sqlite);
    let lit = |s: &str| format!("'{}'", s.replace('\'', "''"));
    format!(
        "BEGIN IMMEDIATE;\n{};\n{};\n{};\n{};\nCOMMIT;",
        sql.scans.replace("$1", &lit(&b.scans)),
        sql.places.replace("$1", &lit(&b.places)),
        sql.totals.replace("$1", &lit(&b.totals)),
        sql.count_places.replace("$1", &lit(&b.serials)),
    )
}

/// A time as sqlx writes it into SQLite's TEXT columns (RFC 3339, `T`, nanoseconds as needed),
/// so that rows written through JSON compare and decode like rows bound directly.
pub(crate) fn stamp_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// Placeholders `($a, $b, …), (…)` for `rows` rows of `cols` columns starting at `$1`.
pub(crate) fn values(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push_str(&format!("${}", r * cols + c + 1));
        }
        s.push(')');
    }
    s
}

macro_rules! impl_verification_store {
    ($store:ty, $backend:expr) => {
        #[async_trait::async_trait]
        impl $crate::VerificationStore for $store {
            async fn batch_card(&self, batch_id: i64) -> $crate::Result<Option<$crate::BatchCard>> {
                use sqlx::Row as _;
                let Some(batch) = $crate::StampStore::stamp_batch(self, batch_id).await? else {
                    return Ok(None);
                };
                let ranges = $crate::StampStore::stamp_ranges(self, batch_id).await?;
                let lots = $crate::StampStore::lots(self, batch.product_id).await?;
                let row = sqlx::query(
                    "SELECT p.id, p.code, p.name, p.organization_id, o.name AS organization_name, o.address, \
                     lc.name AS commune_name, lp.name AS province_name, p.province_code, p.commune_code, p.gtin, \
                     (SELECT MIN(d.id) FROM documents d WHERE d.owner_kind = 'product' AND d.owner_id = p.id \
                      AND d.purpose = 'photo') AS photo_id \
                     FROM products p JOIN organizations o ON o.id = p.organization_id \
                     JOIN localities lc ON lc.code = p.commune_code JOIN localities lp ON lp.code = p.province_code \
                     WHERE p.id = $1",
                )
                .bind(batch.product_id)
                .fetch_one(&self.pool)
                .await?;
                let product = $crate::ProductCard {
                    id: row.try_get("id")?,
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    organization_id: row.try_get("organization_id")?,
                    organization_name: row.try_get("organization_name")?,
                    address: row.try_get("address")?,
                    commune_name: row.try_get("commune_name")?,
                    province_name: row.try_get("province_name")?,
                    province_code: row.try_get("province_code")?,
                    commune_code: row.try_get("commune_code")?,
                    gtin: row.try_get("gtin")?,
                    photo_id: row.try_get("photo_id")?,
                };
                let certificates = $crate::CertificateStore::certificates(self, batch.product_id).await?;
                Ok(Some($crate::BatchCard { batch, ranges, lots, product, certificates }))
            }

            async fn stamp_activity(&self, serial: i64) -> $crate::Result<$crate::Activity> {
                let sql = format!(
                    "SELECT {} FROM stamp_activity WHERE serial = $1",
                    $crate::verification::ACTIVITY_COLUMNS
                );
                let row = sqlx::query(&sql).bind(serial).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::verification::activity_from_row).unwrap_or_default())
            }

            async fn record_scans(&self, scans: &[$crate::NewScan]) -> $crate::Result<()> {
                use $crate::verification::ScanSql;
                if scans.is_empty() {
                    return Ok(());
                }
                // Each statement takes the whole batch as one JSON parameter: the same four
                // prepared statements serve any batch size, and none nears a parameter limit.
                let batch = $crate::verification::ScanBatch::of(scans);
                if $backend == $crate::Backend::Sqlite {
                    // One hand-off to SQLite's worker thread for the whole transaction instead
                    // of six: shoppers wait on this commit (measured in docs/performance.md).
                    let script = $crate::verification::sqlite_scan_script(&batch);
                    let mut conn = self.pool.acquire().await?;
                    // Not persistent: every script differs, and caching them would push the
                    // hot prepared statements out of the connection's cache.
                    let done = sqlx::query(&script).persistent(false).execute(&mut *conn).await;
                    if let Err(e) = done {
                        // Never hand a connection back to the pool inside a transaction.
                        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                        return Err(e.into());
                    }
                    return Ok(());
                }
                let sql = ScanSql::of($backend);
                let mut tx = self.write_tx().await?;
                sqlx::query(sql.scans).bind(&batch.scans).execute(&mut *tx).await?;
                sqlx::query(sql.places).bind(&batch.places).execute(&mut *tx).await?;
                sqlx::query(sql.totals).bind(&batch.totals).execute(&mut *tx).await?;
                sqlx::query(sql.count_places).bind(&batch.serials).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn stamp_totals(&self, serials: &[i64]) -> $crate::Result<Vec<$crate::ActivityAfter>> {
                if serials.is_empty() {
                    return Ok(Vec::new());
                }
                let list = serde_json::to_string(serials).unwrap_or_else(|_| "[]".into());
                let sql = match $backend {
                    $crate::Backend::Sqlite => "SELECT serial, scans, places FROM stamp_activity \
                        WHERE serial IN (SELECT value FROM json_each($1)) ORDER BY serial",
                    $crate::Backend::Postgres => "SELECT serial, scans, places FROM stamp_activity \
                        WHERE serial IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb)) ORDER BY serial",
                };
                Ok(sqlx::query_as::<_, (i64, i64, i64)>(sql)
                    .bind(list)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(|(serial, scans, places)| $crate::ActivityAfter { serial, scans, places })
                    .collect())
            }

            async fn unknown_scans_from(
                &self,
                place: &str,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM stamp_scans WHERE place = $1 AND at >= $2 AND verdict = 'unknown'",
                )
                .bind(place)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn check_pin(
                &self,
                serial: i64,
                verdict: ocop_domain::verify::Verdict,
                correct: bool,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<ocop_domain::verify::PinOutcome> {
                use ocop_domain::verify::{check_pin, PinOutcome};
                let mut tx = self.write_tx().await?;
                sqlx::query("INSERT INTO stamp_activity (serial) VALUES ($1) ON CONFLICT (serial) DO NOTHING")
                    .bind(serial)
                    .execute(&mut *tx)
                    .await?;
                // The UPDATE takes the row lock on PostgreSQL, so two checks of one PIN queue.
                let sql = format!(
                    "UPDATE stamp_activity SET pin_wrong = pin_wrong WHERE serial = $1 RETURNING {}",
                    $crate::verification::ACTIVITY_COLUMNS
                );
                let row = sqlx::query(&sql).bind(serial).fetch_one(&mut *tx).await?;
                let before = $crate::verification::activity_from_row!(row);
                let (outcome, record) = check_pin(verdict, $crate::verification::pin_record(&before), correct, now);
                let reused = before.pin_reused || matches!(outcome, PinOutcome::AlreadyChecked { .. });
                sqlx::query(
                    "UPDATE stamp_activity SET pin_first_checked_at = $2, pin_wrong = $3, pin_reused = $4 WHERE serial = $1",
                )
                .bind(serial)
                .bind(record.first_checked_at)
                .bind(record.wrong)
                .bind(reused)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(outcome)
            }

            async fn recall_lot(
                &self,
                lot_id: i64,
                reason: &str,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Lot> {
                let mut tx = self.write_tx().await?;
                let done = sqlx::query(
                    "UPDATE lots SET recalled_at = COALESCE(recalled_at, $2), recall_reason = COALESCE(recall_reason, $3) \
                     WHERE id = $1",
                )
                .bind(lot_id)
                .bind(chrono::Utc::now())
                .bind(reason)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                $crate::audit::insert_audit!(&mut *tx, audit, format!("lot:{lot_id}"));
                tx.commit().await?;
                $crate::StampStore::lot(self, lot_id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn raise_alerts(&self, alerts: &[$crate::NewAlert]) -> $crate::Result<u64> {
                if alerts.is_empty() {
                    return Ok(0);
                }
                let now = chrono::Utc::now();
                let sql = format!(
                    "INSERT INTO alerts (dedupe_key, kind, serial, product_id, province_code, details, created_at, updated_at) \
                     VALUES {} ON CONFLICT (dedupe_key) DO NOTHING",
                    $crate::verification::values(alerts.len(), 8)
                );
                let mut q = sqlx::query(&sql);
                for a in alerts {
                    q = q
                        .bind(&a.dedupe_key)
                        .bind(a.kind)
                        .bind(a.serial)
                        .bind(a.product_id)
                        .bind(&a.province_code)
                        .bind(a.details.to_string())
                        .bind(now)
                        .bind(now);
                }
                Ok(q.execute(&self.pool).await?.rows_affected())
            }

            async fn alerts(&self, filter: &$crate::WatchFilter) -> $crate::Result<Vec<$crate::Alert>> {
                let mut w = $crate::verification::watch_where(filter);
                w.and_text("t.state = ?", filter.state.as_deref());
                let sql = format!(
                    "{} WHERE {} ORDER BY t.id DESC LIMIT {}",
                    $crate::verification::ALERT_SELECT,
                    w.sql(),
                    filter.limit.clamp(1, 1000)
                );
                let rows = $crate::search::bind_args!(sqlx::query(&sql), &w.args)
                    .fetch_all(&self.pool)
                    .await?;
                Ok($crate::decode_rows!(rows, $crate::verification::alert_from_row))
            }

            async fn alert(&self, id: i64) -> $crate::Result<Option<$crate::Alert>> {
                let sql = format!("{} WHERE t.id = $1", $crate::verification::ALERT_SELECT);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::verification::alert_from_row))
            }

            async fn set_alert_state(
                &self,
                id: i64,
                state: &str,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Alert> {
                let mut tx = self.write_tx().await?;
                let done = sqlx::query("UPDATE alerts SET state = $2, updated_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(state)
                    .bind(chrono::Utc::now())
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                $crate::audit::insert_audit!(&mut *tx, audit, format!("alert:{id}"));
                tx.commit().await?;
                $crate::VerificationStore::alert(self, id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn create_report(&self, new: &$crate::NewReport) -> $crate::Result<$crate::Report> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO reports (code, serial, product_id, province_code, what, place, contact, photo_hash, \
                     photo_type, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(&new.code)
                .bind(new.serial)
                .bind(new.product_id)
                .bind(&new.province_code)
                .bind(&new.what)
                .bind(&new.place)
                .bind(&new.contact)
                .bind(&new.photo_hash)
                .bind(&new.photo_type)
                .bind(chrono::Utc::now())
                .fetch_one(&self.pool)
                .await?;
                let sql = format!("{} WHERE t.id = $1", $crate::verification::REPORT_SELECT);
                let row = sqlx::query(&sql).bind(id).fetch_one(&self.pool).await?;
                Ok($crate::verification::report_from_row!(row))
            }

            async fn reports(&self, filter: &$crate::WatchFilter) -> $crate::Result<Vec<$crate::Report>> {
                let w = $crate::verification::watch_where(filter);
                let sql = format!(
                    "{} WHERE {} ORDER BY t.id DESC LIMIT {}",
                    $crate::verification::REPORT_SELECT,
                    w.sql(),
                    filter.limit.clamp(1, 1000)
                );
                let rows = $crate::search::bind_args!(sqlx::query(&sql), &w.args)
                    .fetch_all(&self.pool)
                    .await?;
                Ok($crate::decode_rows!(rows, $crate::verification::report_from_row))
            }

            async fn report(&self, id: i64) -> $crate::Result<Option<$crate::Report>> {
                let sql = format!("{} WHERE t.id = $1", $crate::verification::REPORT_SELECT);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::verification::report_from_row))
            }

            async fn scan_days(
                &self,
                product_id: i64,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<Vec<$crate::ScanDay>> {
                use sqlx::Row as _;
                // Days in UTC+7, the country's only time zone.
                let day = match $backend {
                    $crate::Backend::Sqlite => "date(at, '+7 hours')",
                    $crate::Backend::Postgres => "to_char(at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')",
                };
                let sql = format!(
                    "SELECT {day} AS day, COUNT(*) AS scans, \
                     CAST(SUM(CASE WHEN first_scan THEN 1 ELSE 0 END) AS BIGINT) AS first_scans \
                     FROM stamp_scans WHERE product_id = $1 AND at >= $2 GROUP BY 1 ORDER BY 1"
                );
                let rows = sqlx::query(&sql).bind(product_id).bind(since).fetch_all(&self.pool).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let day: String = r.try_get("day")?;
                    out.push($crate::ScanDay {
                        day: day.parse().map_err(|_| {
                            $crate::StoreError::Database(sqlx::Error::Decode(format!("bad day {day}").into()))
                        })?,
                        scans: r.try_get("scans")?,
                        first_scans: r.try_get("first_scans")?,
                    });
                }
                Ok(out)
            }
        }
    };
}
pub(crate) use impl_verification_store;
