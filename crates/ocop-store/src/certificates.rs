//! OCOP certificates and the public catalog that shows their stars.

use crate::{AuditEntry, CatalogEntry, CatalogFilter, Certificate, NewCertificate, Page, Result};
use async_trait::async_trait;

#[async_trait]
pub trait CertificateStore {
    /// A number in use is `Conflict("number")`; an unknown product `MissingReference`.
    async fn record_certificate(
        &self,
        new: &NewCertificate,
        audit: &AuditEntry,
    ) -> Result<Certificate>;
    /// Newest first.
    async fn certificates(&self, product_id: i64) -> Result<Vec<Certificate>>;
    /// Active products, with the stars of their valid certificate and a photo.
    async fn catalog(&self, filter: &CatalogFilter) -> Result<Page<CatalogEntry>>;
}

pub(crate) const CERTIFICATE_COLUMNS: &str =
    "id, product_id, number, stars, decision_number, decided_on, \
    expires_on, revoked_on, revocation_grounds, created_at";

macro_rules! certificate_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::Certificate {
            id: r.try_get("id")?,
            product_id: r.try_get("product_id")?,
            number: r.try_get("number")?,
            stars: r.try_get("stars")?,
            decision_number: r.try_get("decision_number")?,
            decided_on: r.try_get("decided_on")?,
            expires_on: r.try_get("expires_on")?,
            revoked_on: r.try_get("revoked_on")?,
            revocation_grounds: r.try_get("revocation_grounds")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use certificate_from_row;

/// Inserts a certificate on an open transaction: the registry records one, a recognition
/// issues one. A number in use is `Conflict($unique)`.
macro_rules! insert_certificate {
    ($tx:expr, $new:expr, $unique:expr) => {{
        let new: &$crate::NewCertificate = $new;
        let sql = format!(
            "INSERT INTO certificates (product_id, number, stars, decision_number, decided_on, expires_on, \
             recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {}",
            $crate::certificates::CERTIFICATE_COLUMNS
        );
        let row = sqlx::query(&sql)
            .bind(new.product_id)
            .bind(&new.number)
            .bind(new.stars)
            .bind(&new.decision_number)
            .bind(new.decided_on)
            .bind(new.expires_on)
            .bind(new.recorded_by)
            .bind(chrono::Utc::now())
            .fetch_one($tx)
            .await
            .map_err(|e| $crate::error::classify(e, $unique, "product"))?;
        $crate::certificates::certificate_from_row!(row)
    }};
}
pub(crate) use insert_certificate;

macro_rules! impl_certificate_store {
    ($store:ty, $backend:expr) => {
        #[async_trait::async_trait]
        impl $crate::CertificateStore for $store {
            async fn record_certificate(
                &self,
                new: &$crate::NewCertificate,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Certificate> {
                let mut tx = self.write_tx().await?;
                let c = $crate::certificates::insert_certificate!(&mut *tx, new, "number");
                $crate::audit::insert_audit!(&mut *tx, audit, format!("certificate:{}", c.id));
                tx.commit().await?;
                Ok(c)
            }

            async fn certificates(&self, product_id: i64) -> $crate::Result<Vec<$crate::Certificate>> {
                let sql = format!(
                    "SELECT {} FROM certificates WHERE product_id = $1 ORDER BY decided_on DESC, id DESC",
                    $crate::certificates::CERTIFICATE_COLUMNS
                );
                let rows = sqlx::query(&sql).bind(product_id).fetch_all(&self.pool).await?;
                let out = $crate::decode_rows!(rows, $crate::certificates::certificate_from_row);
                Ok(out)
            }

            async fn catalog(
                &self,
                filter: &$crate::CatalogFilter,
            ) -> $crate::Result<$crate::Page<$crate::CatalogEntry>> {
                use sqlx::Row as _;
                let today = filter.today.unwrap_or_else(|| chrono::Utc::now().date_naive());
                let mut w = $crate::search::Where::default();
                w.and("p.status = 'active'", vec![]);
                w.and_text("p.province_code = ?", filter.province.as_ref().map(|c| c.as_str()));
                w.and_name_matches($backend, "p.name_folded", Some(("products_search", "p.id")), filter.q.as_deref());
                // `today` is bound as text on both backends' date columns' terms.
                let valid = format!(
                    "SELECT MAX(c.stars) FROM certificates c WHERE c.product_id = p.id AND c.revoked_on IS NULL \
                     AND c.decided_on <= ${n} AND c.expires_on >= ${n}",
                    n = w.next()
                );
                let mut args = w.args.clone();
                let stars_filter = if filter.certified_only { format!(" AND ({valid}) IS NOT NULL") } else { String::new() };
                let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {}{stars_filter}", w.from("products p"), w.sql());
                let n = w.next();
                let sql = format!(
                    "SELECT p.id, p.code, p.name, o.name AS organization_name, lc.name AS commune_name, \
                     lp.name AS province_name, ({valid}) AS stars, \
                     (SELECT MIN(d.id) FROM documents d WHERE d.owner_kind = 'product' AND d.owner_id = p.id \
                      AND d.purpose = 'photo') AS photo_id \
                     FROM {} JOIN organizations o ON o.id = p.organization_id \
                     JOIN localities lc ON lc.code = p.commune_code JOIN localities lp ON lp.code = p.province_code \
                     WHERE {}{stars_filter} ORDER BY {} LIMIT ${} OFFSET ${}",
                    w.from("products p"),
                    w.sql(),
                    w.order_by_name("p.name_folded", "p.id"),
                    n + 1,
                    n + 2
                );
                args.push($crate::search::Arg::Date(today));
                let total: i64 = $crate::search::bind_args!(sqlx::query_scalar(&count_sql), &args)
                    .fetch_one(&self.pool)
                    .await?;
                let rows = $crate::search::bind_args!(sqlx::query(&sql), &args)
                    .bind(filter.limit.clamp(1, 500))
                    .bind(filter.offset.max(0))
                    .fetch_all(&self.pool)
                    .await?;
                let mut items = Vec::with_capacity(rows.len());
                for r in rows {
                    items.push($crate::CatalogEntry {
                        product_id: r.try_get("id")?,
                        code: r.try_get("code")?,
                        name: r.try_get("name")?,
                        organization_name: r.try_get("organization_name")?,
                        commune_name: r.try_get("commune_name")?,
                        province_name: r.try_get("province_name")?,
                        stars: r.try_get("stars")?,
                        photo_id: r.try_get("photo_id")?,
                    });
                }
                Ok($crate::Page { items, total })
            }
        }
    };
}
pub(crate) use impl_certificate_store;
