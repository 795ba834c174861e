//! The audit log: who changed what and when.

use crate::{AuditFilter, AuditRecord, Result};
use async_trait::async_trait;

#[async_trait]
pub trait AuditStore {
    /// Newest first.
    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>>;
    /// Records an action that changes no other row (e.g. an export of stamp PINs).
    async fn record_audit(&self, entry: &crate::AuditEntry) -> Result<()>;
    /// One record's history (e.g. `dossier:12`), oldest first, at most 500 entries.
    async fn audit_trail(&self, target: &str) -> Result<Vec<AuditRecord>>;
}

/// Inserts an audit entry on an open transaction. The target is passed separately because
/// it is often only known inside the transaction (the id of a new row).
macro_rules! insert_audit {
    ($tx:expr, $entry:expr, $target:expr) => {{
        let entry: &$crate::AuditEntry = $entry;
        let target: String = $target;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_label, action, target, province_code, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(entry.at)
        .bind(entry.actor_id)
        .bind(&entry.actor_label)
        .bind(entry.action)
        .bind(if entry.target.is_empty() { target } else { entry.target.clone() })
        .bind(&entry.province_code)
        .bind(entry.details.to_string())
        .execute($tx)
        .await?;
    }};
}
pub(crate) use insert_audit;

macro_rules! audit_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let details: String = r.try_get("details")?;
        $crate::AuditRecord {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            actor_label: r.try_get("actor_label")?,
            action: r.try_get("action")?,
            target: r.try_get("target")?,
            province_code: r.try_get("province_code")?,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::String(details)),
        }
    }};
}
pub(crate) use audit_from_row;

macro_rules! impl_audit_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::AuditStore for $store {
            async fn record_audit(&self, entry: &$crate::AuditEntry) -> $crate::Result<()> {
                $crate::audit::insert_audit!(&self.pool, entry, String::new());
                Ok(())
            }

            async fn audit_trail(&self, target: &str) -> $crate::Result<Vec<$crate::AuditRecord>> {
                let rows = sqlx::query(
                    "SELECT id, at, actor_id, actor_label, action, target, province_code, details \
                     FROM audit_log WHERE target = $1 ORDER BY id DESC LIMIT 500",
                )
                .bind(target)
                .fetch_all(&self.pool)
                .await?;
                let mut out = $crate::decode_rows!(rows, $crate::audit::audit_from_row);
                out.reverse();
                Ok(out)
            }

            async fn audit_log(
                &self,
                filter: &$crate::AuditFilter,
            ) -> $crate::Result<Vec<$crate::AuditRecord>> {
                let rows = sqlx::query(
                    "SELECT id, at, actor_id, actor_label, action, target, province_code, details \
                     FROM audit_log WHERE ($1 IS NULL OR province_code = $1) AND ($2 IS NULL OR id < $2) \
                     ORDER BY id DESC LIMIT $3",
                )
                .bind(filter.province.as_ref().map(|c| c.as_str()))
                .bind(filter.before_id)
                .bind(filter.limit.clamp(1, 1000))
                .fetch_all(&self.pool)
                .await?;
                Ok($crate::decode_rows!(rows, $crate::audit::audit_from_row))
            }
        }
    };
}
pub(crate) use impl_audit_store;
