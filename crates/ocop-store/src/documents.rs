//! Records of files attached to organizations and products (the bytes are on disk).

use crate::{AuditEntry, Document, NewDocument, OwnerKind, Result};
use async_trait::async_trait;

#[async_trait]
pub trait DocumentStore {
    async fn add_document(&self, new: &NewDocument, audit: &AuditEntry) -> Result<Document>;
    async fn document(&self, id: i64) -> Result<Option<Document>>;
    /// Oldest first.
    async fn documents(&self, owner_kind: OwnerKind, owner_id: i64) -> Result<Vec<Document>>;
}

pub(crate) const DOCUMENT_COLUMNS: &str =
    "id, owner_kind, owner_id, purpose, file_name, content_type, size_bytes, sha256, created_by, created_at";

macro_rules! document_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let kind: String = r.try_get("owner_kind")?;
        $crate::Document {
            id: r.try_get("id")?,
            owner_kind: match kind.as_str() {
                "organization" => $crate::OwnerKind::Organization,
                "product" => $crate::OwnerKind::Product,
                other => {
                    return Err(sqlx::Error::Decode(format!("owner kind {other}").into()).into())
                }
            },
            owner_id: r.try_get("owner_id")?,
            purpose: r.try_get("purpose")?,
            file_name: r.try_get("file_name")?,
            content_type: r.try_get("content_type")?,
            size_bytes: r.try_get("size_bytes")?,
            sha256: r.try_get("sha256")?,
            created_by: r.try_get("created_by")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use document_from_row;

macro_rules! impl_document_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::DocumentStore for $store {
            async fn add_document(
                &self,
                new: &$crate::NewDocument,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Document> {
                let mut tx = self.write_tx().await?;
                let sql = format!(
                    "INSERT INTO documents (owner_kind, owner_id, purpose, file_name, content_type, size_bytes, \
                     sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {}",
                    $crate::documents::DOCUMENT_COLUMNS
                );
                let row = sqlx::query(&sql)
                    .bind(new.owner_kind.as_str())
                    .bind(new.owner_id)
                    .bind(&new.purpose)
                    .bind(&new.file_name)
                    .bind(&new.content_type)
                    .bind(new.size_bytes)
                    .bind(&new.sha256)
                    .bind(new.created_by)
                    .bind(chrono::Utc::now())
                    .fetch_one(&mut *tx)
                    .await?;
                let doc = $crate::documents::document_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("document:{}", doc.id));
                tx.commit().await?;
                Ok(doc)
            }

            async fn document(&self, id: i64) -> $crate::Result<Option<$crate::Document>> {
                let sql = format!("SELECT {} FROM documents WHERE id = $1", $crate::documents::DOCUMENT_COLUMNS);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::documents::document_from_row))
            }

            async fn documents(
                &self,
                owner_kind: $crate::OwnerKind,
                owner_id: i64,
            ) -> $crate::Result<Vec<$crate::Document>> {
                let sql = format!(
                    "SELECT {} FROM documents WHERE owner_kind = $1 AND owner_id = $2 ORDER BY id",
                    $crate::documents::DOCUMENT_COLUMNS
                );
                let rows = sqlx::query(&sql).bind(owner_kind.as_str()).bind(owner_id).fetch_all(&self.pool).await?;
                let out = $crate::decode_rows!(rows, $crate::documents::document_from_row);
                Ok(out)
            }
        }
    };
}
pub(crate) use impl_document_store;
