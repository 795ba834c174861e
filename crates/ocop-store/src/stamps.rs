//! Production lots, stamp batches (one row per serial range) and activation/void ranges.

use crate::{AuditEntry, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::stamps::RangeKind;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lot {
    pub id: i64,
    pub product_id: i64,
    pub code: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub quantity: i64,
    pub area_code: Option<String>,
    pub notes: Option<String>,
    /// Stamps activated for this lot and not voided since.
    pub stamped: i64,
    /// Set when the lot was recalled: every stamp of it then says so.
    pub recalled_at: Option<DateTime<Utc>>,
    pub recall_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewLot {
    pub product_id: i64,
    pub code: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub quantity: i64,
    pub area_code: Option<String>,
    pub notes: Option<String>,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StampBatch {
    pub id: i64,
    pub product_id: i64,
    /// The key id whose tag and PIN keys sign this batch's stamps.
    pub kid: i32,
    pub first_serial: i64,
    pub count: i64,
    pub created_at: DateTime<Utc>,
}

impl StampBatch {
    pub fn last_serial(&self) -> i64 {
        self.first_serial + self.count - 1
    }

    pub fn span(&self) -> ocop_domain::stamps::BatchSpan {
        ocop_domain::stamps::BatchSpan {
            first_serial: self.first_serial,
            count: self.count,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewBatch {
    pub product_id: i64,
    pub kid: i32,
    pub count: i64,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StampRange {
    pub id: i64,
    pub batch_id: i64,
    pub kind: RangeKind,
    pub from_serial: i64,
    pub to_serial: i64,
    pub lot_id: Option<i64>,
    pub lot_code: Option<String>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl StampRange {
    pub fn recorded(&self) -> ocop_domain::stamps::RecordedRange {
        ocop_domain::stamps::RecordedRange {
            range: ocop_domain::stamps::SerialRange {
                from: self.from_serial,
                to: self.to_serial,
            },
            kind: self.kind,
            lot_code: self.lot_code.clone(),
        }
    }
}

/// An activation (with a lot) or a void (with a reason) of serials `from..=to` of a batch.
#[derive(Debug, Clone)]
pub struct NewRange {
    pub batch_id: i64,
    pub kind: RangeKind,
    pub from_serial: i64,
    pub to_serial: i64,
    pub lot_id: Option<i64>,
    pub reason: Option<String>,
    pub created_by: Option<i64>,
}

#[async_trait]
pub trait StampStore {
    /// A lot code already used for the product is `Conflict("lot code")`.
    async fn create_lot(&self, new: &NewLot, audit: &AuditEntry) -> Result<Lot>;
    async fn lot(&self, id: i64) -> Result<Option<Lot>>;
    /// Newest production first.
    async fn lots(&self, product_id: i64) -> Result<Vec<Lot>>;
    /// Allocates `count` fresh serials and writes one row: constant time for any count.
    /// `SerialsExhausted` when the 40-bit space cannot hold the batch.
    async fn issue_batch(&self, new: &NewBatch, audit: &AuditEntry) -> Result<StampBatch>;
    async fn stamp_batch(&self, id: i64) -> Result<Option<StampBatch>>;
    /// Newest first.
    async fn stamp_batches(&self, product_id: i64) -> Result<Vec<StampBatch>>;
    /// The batch whose range holds the serial.
    async fn batch_holding(&self, serial: i64) -> Result<Option<StampBatch>>;
    /// In serial order.
    async fn stamp_ranges(&self, batch_id: i64) -> Result<Vec<StampRange>>;
    /// Records an activation or void after `ocop_domain::stamps` accepts it against the ranges
    /// already recorded, all in one transaction; a refusal is `StoreError::Range`.
    async fn record_range(&self, new: &NewRange, audit: &AuditEntry) -> Result<StampRange>;
}

pub(crate) const LOT_COLUMNS: &str = "l.id, l.product_id, l.code, l.produced_on, l.expires_on, \
    l.quantity, l.area_code, l.notes, l.recalled_at, l.recall_reason, l.created_at";

/// Stamps activated for lot `l` minus those voided since. Voids never overlap each other, so
/// subtracting each void's overlap with each activation is exact. CASE instead of
/// LEAST/GREATEST because SQLite spells them MIN/MAX.
pub(crate) const LOT_STAMPED: &str = "(SELECT CAST(COALESCE(SUM(a.to_serial - a.from_serial + 1 - \
    COALESCE((SELECT SUM((CASE WHEN v.to_serial < a.to_serial THEN v.to_serial ELSE a.to_serial END) \
    - (CASE WHEN v.from_serial > a.from_serial THEN v.from_serial ELSE a.from_serial END) + 1) \
    FROM stamp_ranges v WHERE v.batch_id = a.batch_id AND v.kind = 'voided' \
    AND v.from_serial <= a.to_serial AND v.to_serial >= a.from_serial), 0)), 0) AS BIGINT) \
    FROM stamp_ranges a WHERE a.lot_id = l.id AND a.kind = 'activated')";

pub(crate) const BATCH_COLUMNS: &str = "id, product_id, kid, first_serial, count, created_at";

pub(crate) const RANGE_SELECT: &str =
    "SELECT r.id, r.batch_id, r.kind, r.from_serial, r.to_serial, \
    r.lot_id, l.code AS lot_code, r.reason, r.created_at \
    FROM stamp_ranges r LEFT JOIN lots l ON l.id = r.lot_id";

macro_rules! lot_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::Lot {
            id: r.try_get("id")?,
            product_id: r.try_get("product_id")?,
            code: r.try_get("code")?,
            produced_on: r.try_get("produced_on")?,
            expires_on: r.try_get("expires_on")?,
            quantity: r.try_get("quantity")?,
            area_code: r.try_get("area_code")?,
            notes: r.try_get("notes")?,
            stamped: r.try_get("stamped")?,
            recalled_at: r.try_get("recalled_at")?,
            recall_reason: r.try_get("recall_reason")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use lot_from_row;

macro_rules! batch_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::StampBatch {
            id: r.try_get("id")?,
            product_id: r.try_get("product_id")?,
            kid: r.try_get("kid")?,
            first_serial: r.try_get("first_serial")?,
            count: r.try_get("count")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use batch_from_row;

macro_rules! range_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let kind: String = r.try_get("kind")?;
        $crate::StampRange {
            id: r.try_get("id")?,
            batch_id: r.try_get("batch_id")?,
            kind: ocop_domain::stamps::RangeKind::parse(&kind).ok_or_else(|| {
                $crate::StoreError::Database(sqlx::Error::Decode(
                    format!("unknown range kind {kind}").into(),
                ))
            })?,
            from_serial: r.try_get("from_serial")?,
            to_serial: r.try_get("to_serial")?,
            lot_id: r.try_get("lot_id")?,
            lot_code: r.try_get("lot_code")?,
            reason: r.try_get("reason")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use range_from_row;

macro_rules! impl_stamp_store {
    ($store:ty) => {
        impl $store {
            async fn lot_in<'e, E>(executor: E, id: i64) -> $crate::Result<Option<$crate::Lot>>
            where
                E: sqlx::Executor<'e, Database = <Self as $crate::stamps::Dialect>::Db>,
            {
                let sql = format!(
                    "SELECT {}, {} AS stamped FROM lots l WHERE l.id = $1",
                    $crate::stamps::LOT_COLUMNS,
                    $crate::stamps::LOT_STAMPED
                );
                let row = sqlx::query(&sql).bind(id).fetch_optional(executor).await?;
                Ok($crate::decode_row!(row, $crate::stamps::lot_from_row))
            }
        }

        #[async_trait::async_trait]
        impl $crate::StampStore for $store {
            async fn create_lot(
                &self,
                new: &$crate::NewLot,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Lot> {
                let mut tx = self.write_tx().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO lots (product_id, code, produced_on, expires_on, quantity, area_code, notes, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(new.product_id)
                .bind(&new.code)
                .bind(new.produced_on)
                .bind(new.expires_on)
                .bind(new.quantity)
                .bind(&new.area_code)
                .bind(&new.notes)
                .bind(new.created_by)
                .bind(chrono::Utc::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "lot code", "product"))?;
                let lot = Self::lot_in(&mut *tx, id).await?.ok_or($crate::StoreError::NotFound)?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("lot:{id}"));
                tx.commit().await?;
                Ok(lot)
            }

            async fn lot(&self, id: i64) -> $crate::Result<Option<$crate::Lot>> {
                Self::lot_in(&self.pool, id).await
            }

            async fn lots(&self, product_id: i64) -> $crate::Result<Vec<$crate::Lot>> {
                let sql = format!(
                    "SELECT {}, {} AS stamped FROM lots l WHERE l.product_id = $1 \
                     ORDER BY l.produced_on DESC, l.id DESC",
                    $crate::stamps::LOT_COLUMNS,
                    $crate::stamps::LOT_STAMPED
                );
                let rows = sqlx::query(&sql).bind(product_id).fetch_all(&self.pool).await?;
                Ok($crate::decode_rows!(rows, $crate::stamps::lot_from_row))
            }

            async fn issue_batch(
                &self,
                new: &$crate::NewBatch,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::StampBatch> {
                let mut tx = self.write_tx().await?;
                // One counter row hands out serials: the UPDATE's row lock orders concurrent
                // issues on PostgreSQL, BEGIN IMMEDIATE on SQLite.
                let first: Option<i64> = sqlx::query_scalar(
                    "UPDATE stamp_serials SET next_serial = next_serial + $1 \
                     WHERE id = 1 AND next_serial + $1 - 1 <= $2 RETURNING next_serial - $1",
                )
                .bind(new.count)
                .bind(ocop_domain::stamps::MAX_SERIAL)
                .fetch_optional(&mut *tx)
                .await?;
                let first = first.ok_or($crate::StoreError::SerialsExhausted)?;
                let sql = format!(
                    "INSERT INTO stamp_batches (product_id, kid, first_serial, count, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {}",
                    $crate::stamps::BATCH_COLUMNS
                );
                let row = sqlx::query(&sql)
                    .bind(new.product_id)
                    .bind(new.kid)
                    .bind(first)
                    .bind(new.count)
                    .bind(new.created_by)
                    .bind(chrono::Utc::now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| $crate::error::classify(e, "serial", "product"))?;
                let batch = $crate::stamps::batch_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("stamp_batch:{}", batch.id));
                tx.commit().await?;
                Ok(batch)
            }

            async fn stamp_batch(&self, id: i64) -> $crate::Result<Option<$crate::StampBatch>> {
                let sql = format!("SELECT {} FROM stamp_batches WHERE id = $1", $crate::stamps::BATCH_COLUMNS);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::stamps::batch_from_row))
            }

            async fn stamp_batches(&self, product_id: i64) -> $crate::Result<Vec<$crate::StampBatch>> {
                let sql = format!(
                    "SELECT {} FROM stamp_batches WHERE product_id = $1 ORDER BY id DESC",
                    $crate::stamps::BATCH_COLUMNS
                );
                let rows = sqlx::query(&sql).bind(product_id).fetch_all(&self.pool).await?;
                Ok($crate::decode_rows!(rows, $crate::stamps::batch_from_row))
            }

            async fn batch_holding(&self, serial: i64) -> $crate::Result<Option<$crate::StampBatch>> {
                // The unique index on first_serial answers this with one probe.
                let sql = format!(
                    "SELECT {} FROM stamp_batches WHERE first_serial <= $1 ORDER BY first_serial DESC LIMIT 1",
                    $crate::stamps::BATCH_COLUMNS
                );
                let row = sqlx::query(&sql).bind(serial).fetch_optional(&self.pool).await?;
                let batch = $crate::decode_row!(row, $crate::stamps::batch_from_row);
                Ok(batch.filter(|b: &$crate::StampBatch| serial <= b.last_serial()))
            }

            async fn stamp_ranges(&self, batch_id: i64) -> $crate::Result<Vec<$crate::StampRange>> {
                let sql = format!(
                    "{} WHERE r.batch_id = $1 ORDER BY r.from_serial, r.id",
                    $crate::stamps::RANGE_SELECT
                );
                let rows = sqlx::query(&sql).bind(batch_id).fetch_all(&self.pool).await?;
                Ok($crate::decode_rows!(rows, $crate::stamps::range_from_row))
            }

            async fn record_range(
                &self,
                new: &$crate::NewRange,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::StampRange> {
                use ocop_domain::stamps::{self as rules, RangeKind, SerialRange};
                let mut tx = self.write_tx().await?;
                // Touching the batch row (and the lot's) orders concurrent changes on PostgreSQL,
                // so two activations cannot both pass the checks against the same old state.
                let sql = format!(
                    "UPDATE stamp_batches SET count = count WHERE id = $1 RETURNING {}",
                    $crate::stamps::BATCH_COLUMNS
                );
                let row = sqlx::query(&sql).bind(new.batch_id).fetch_optional(&mut *tx).await?;
                let batch = $crate::decode_row!(row, $crate::stamps::batch_from_row)
                    .ok_or($crate::StoreError::NotFound)?;
                let range = SerialRange { from: new.from_serial, to: new.to_serial };
                let sql = format!(
                    "{} WHERE r.batch_id = $1 AND r.from_serial <= $2 AND r.to_serial >= $3 ORDER BY r.from_serial",
                    $crate::stamps::RANGE_SELECT
                );
                let rows = sqlx::query(&sql)
                    .bind(batch.id)
                    .bind(range.to)
                    .bind(range.from)
                    .fetch_all(&mut *tx)
                    .await?;
                let recorded: Vec<_> = $crate::decode_rows!(rows, $crate::stamps::range_from_row)
                    .iter()
                    .map($crate::StampRange::recorded)
                    .collect();
                let checked = match new.kind {
                    RangeKind::Activated => {
                        let lot_id = new.lot_id.ok_or($crate::StoreError::MissingReference("lot"))?;
                        sqlx::query("UPDATE lots SET quantity = quantity WHERE id = $1")
                            .bind(lot_id)
                            .execute(&mut *tx)
                            .await?;
                        let lot = Self::lot_in(&mut *tx, lot_id)
                            .await?
                            .ok_or($crate::StoreError::MissingReference("lot"))?;
                        let room = rules::LotRoom {
                            code: lot.code,
                            quantity: lot.quantity,
                            stamped: lot.stamped,
                            same_product: lot.product_id == batch.product_id,
                        };
                        rules::check_activation(batch.span(), range, &room, &recorded)
                    }
                    RangeKind::Voided => rules::check_void(
                        batch.span(),
                        range,
                        new.reason.as_deref().unwrap_or(""),
                        &recorded,
                    ),
                };
                checked.map_err($crate::StoreError::Range)?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO stamp_ranges (batch_id, kind, from_serial, to_serial, lot_id, reason, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(batch.id)
                .bind(new.kind.as_str())
                .bind(range.from)
                .bind(range.to)
                .bind(match new.kind {
                    RangeKind::Activated => new.lot_id,
                    RangeKind::Voided => None,
                })
                .bind(new.reason.as_deref().map(str::trim))
                .bind(new.created_by)
                .bind(chrono::Utc::now())
                .fetch_one(&mut *tx)
                .await?;
                let sql = format!("{} WHERE r.id = $1", $crate::stamps::RANGE_SELECT);
                let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
                let recorded = $crate::stamps::range_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("stamp_batch:{}", batch.id));
                tx.commit().await?;
                Ok(recorded)
            }
        }
    };
}
pub(crate) use impl_stamp_store;

/// Names each backend's sqlx database so helpers can take a pool or a transaction.
pub(crate) trait Dialect {
    type Db: sqlx::Database;
}

impl Dialect for crate::SqliteStore {
    type Db = sqlx::Sqlite;
}

impl Dialect for crate::PgStore {
    type Db = sqlx::Postgres;
}
