//! Economic organizations: the producers of OCOP products.

use crate::{AuditEntry, Organization, OrganizationFields, OrganizationFilter, Page, Result};
use async_trait::async_trait;

#[async_trait]
pub trait OrganizationStore {
    /// A taken tax code is `Conflict("tax_code")`; an unknown commune `MissingReference`.
    async fn create_organization(
        &self,
        fields: &OrganizationFields,
        audit: &AuditEntry,
    ) -> Result<Organization>;
    async fn update_organization(
        &self,
        id: i64,
        fields: &OrganizationFields,
        audit: &AuditEntry,
    ) -> Result<Organization>;
    async fn organization(&self, id: i64) -> Result<Option<Organization>>;
    async fn organization_by_tax_code(&self, tax_code: &str) -> Result<Option<Organization>>;
    /// A page of organizations by folded name.
    async fn organizations(&self, filter: &OrganizationFilter) -> Result<Page<Organization>>;
    /// Registers many at once: all of them, or (on any error) none.
    async fn import_organizations(
        &self,
        rows: &[OrganizationFields],
        audit: &AuditEntry,
    ) -> Result<Vec<i64>>;
}

pub(crate) const ORGANIZATION_COLUMNS: &str = "o.id, o.name, o.kind, o.commune_code, o.province_code, o.tax_code, \
    o.address, o.representative, o.phone, o.email, o.gln, o.food_safety_signed_on, o.created_at, o.updated_at";

macro_rules! organization_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let kind: String = r.try_get("kind")?;
        $crate::Organization {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            kind: kind.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            commune_code: r.try_get("commune_code")?,
            province_code: r.try_get("province_code")?,
            tax_code: r.try_get("tax_code")?,
            address: r.try_get("address")?,
            representative: r.try_get("representative")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            gln: r.try_get("gln")?,
            food_safety_signed_on: r.try_get("food_safety_signed_on")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        }
    }};
}
pub(crate) use organization_from_row;

/// Inserts one organization on an open transaction and evaluates to its id.
macro_rules! insert_organization {
    ($tx:expr, $f:expr, $now:expr) => {{
        let f: &$crate::OrganizationFields = $f;
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO organizations (name, name_folded, kind, commune_code, province_code, tax_code, address, \
             representative, phone, email, gln, food_safety_signed_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(&f.name)
        .bind(ocop_domain::text::fold(&f.name))
        .bind(f.kind.as_str())
        .bind(f.commune.as_str())
        .bind(f.province.as_str())
        .bind(&f.tax_code)
        .bind(&f.address)
        .bind(&f.representative)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(&f.gln)
        .bind(f.food_safety_signed_on)
        .bind($now)
        .fetch_one($tx)
        .await
        .map_err(|e| $crate::error::classify(e, "tax_code", "commune"))?
    }};
}
pub(crate) use insert_organization;

macro_rules! impl_organization_store {
    ($store:ty, $backend:expr) => {
        #[async_trait::async_trait]
        impl $crate::OrganizationStore for $store {
            async fn create_organization(
                &self,
                fields: &$crate::OrganizationFields,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Organization> {
                let mut tx = self.write_tx().await?;
                let id = $crate::organizations::insert_organization!(&mut *tx, fields, chrono::Utc::now());
                $crate::audit::insert_audit!(&mut *tx, audit, format!("organization:{id}"));
                tx.commit().await?;
                self.organization(id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn update_organization(
                &self,
                id: i64,
                f: &$crate::OrganizationFields,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Organization> {
                let mut tx = self.write_tx().await?;
                let changed = sqlx::query(
                    "UPDATE organizations SET name = $1, name_folded = $2, kind = $3, commune_code = $4, \
                     province_code = $5, tax_code = $6, address = $7, representative = $8, phone = $9, \
                     email = $10, gln = $11, food_safety_signed_on = $12, updated_at = $13 WHERE id = $14",
                )
                .bind(&f.name)
                .bind(ocop_domain::text::fold(&f.name))
                .bind(f.kind.as_str())
                .bind(f.commune.as_str())
                .bind(f.province.as_str())
                .bind(&f.tax_code)
                .bind(&f.address)
                .bind(&f.representative)
                .bind(&f.phone)
                .bind(&f.email)
                .bind(&f.gln)
                .bind(f.food_safety_signed_on)
                .bind(chrono::Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "tax_code", "commune"))?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                // Products live where their organization lives.
                sqlx::query("UPDATE products SET province_code = $1, commune_code = $2 WHERE organization_id = $3")
                    .bind(f.province.as_str())
                    .bind(f.commune.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("organization:{id}"));
                tx.commit().await?;
                self.organization(id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn organization(&self, id: i64) -> $crate::Result<Option<$crate::Organization>> {
                let sql = format!(
                    "SELECT {} FROM organizations o WHERE o.id = $1",
                    $crate::organizations::ORGANIZATION_COLUMNS
                );
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::organizations::organization_from_row))
            }

            async fn organization_by_tax_code(&self, tax_code: &str) -> $crate::Result<Option<$crate::Organization>> {
                let sql = format!(
                    "SELECT {} FROM organizations o WHERE o.tax_code = $1",
                    $crate::organizations::ORGANIZATION_COLUMNS
                );
                let row = sqlx::query(&sql).bind(tax_code).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::organizations::organization_from_row))
            }

            async fn organizations(
                &self,
                filter: &$crate::OrganizationFilter,
            ) -> $crate::Result<$crate::Page<$crate::Organization>> {
                let mut w = $crate::search::Where::default();
                w.and_text("o.province_code = ?", filter.province.as_ref().map(|c| c.as_str()));
                w.and_text("o.commune_code = ?", filter.commune.as_ref().map(|c| c.as_str()));
                w.and_int("o.id = ?", filter.id);
                w.and_text("o.kind = ?", filter.kind.map(|k| k.as_str()));
                w.and_name_matches($backend, "o.name_folded", None, filter.q.as_deref());
                let count_sql = format!("SELECT COUNT(*) FROM organizations o WHERE {}", w.sql());
                let total: i64 = $crate::search::bind_args!(sqlx::query_scalar(&count_sql), &w.args)
                    .fetch_one(&self.pool)
                    .await?;
                let n = w.next();
                let sql = format!(
                    "SELECT {} FROM organizations o WHERE {} ORDER BY {} LIMIT ${} OFFSET ${}",
                    $crate::organizations::ORGANIZATION_COLUMNS,
                    w.sql(),
                    w.order_by_name("o.name_folded", "o.id"),
                    n,
                    n + 1
                );
                let rows = $crate::search::bind_args!(sqlx::query(&sql), &w.args)
                    .bind(filter.limit.clamp(1, 100_000))
                    .bind(filter.offset.max(0))
                    .fetch_all(&self.pool)
                    .await?;
                let items = $crate::decode_rows!(rows, $crate::organizations::organization_from_row);
                Ok($crate::Page { items, total })
            }

            async fn import_organizations(
                &self,
                rows: &[$crate::OrganizationFields],
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<Vec<i64>> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let mut ids = Vec::with_capacity(rows.len());
                for f in rows {
                    ids.push($crate::organizations::insert_organization!(&mut *tx, f, now));
                }
                $crate::audit::insert_audit!(&mut *tx, audit, "organizations".to_string());
                tx.commit().await?;
                Ok(ids)
            }
        }
    };
}
pub(crate) use impl_organization_store;
