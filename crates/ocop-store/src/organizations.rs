//! Economic organizations (the registry issue extends these).

use crate::{AuditEntry, NewOrganization, Organization, Result};
use async_trait::async_trait;
use ocop_domain::LocalityCode;

#[async_trait]
pub trait OrganizationStore {
    async fn create_organization(
        &self,
        new: &NewOrganization,
        audit: &AuditEntry,
    ) -> Result<Organization>;
    async fn organization(&self, id: i64) -> Result<Option<Organization>>;
    /// All organizations, or those of one province, by name.
    async fn organizations(&self, province: Option<&LocalityCode>) -> Result<Vec<Organization>>;
}

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
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use organization_from_row;

pub(crate) const ORGANIZATION_COLUMNS: &str =
    "id, name, kind, commune_code, province_code, tax_code, address, created_at";

macro_rules! impl_organization_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::OrganizationStore for $store {
            async fn create_organization(
                &self,
                new: &$crate::NewOrganization,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Organization> {
                let now = chrono::Utc::now();
                let mut tx = self.pool.begin().await?;
                let sql = format!(
                    "INSERT INTO organizations (name, kind, commune_code, province_code, tax_code, address, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {}",
                    $crate::organizations::ORGANIZATION_COLUMNS
                );
                let row = sqlx::query(&sql)
                    .bind(&new.name)
                    .bind(new.kind.as_str())
                    .bind(new.commune.as_str())
                    .bind(new.province.as_str())
                    .bind(&new.tax_code)
                    .bind(&new.address)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| $crate::error::classify(e, "organization", "commune"))?;
                let org = $crate::organizations::organization_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("organization:{}", org.id));
                tx.commit().await?;
                Ok(org)
            }

            async fn organization(&self, id: i64) -> $crate::Result<Option<$crate::Organization>> {
                let sql = format!(
                    "SELECT {} FROM organizations WHERE id = $1",
                    $crate::organizations::ORGANIZATION_COLUMNS
                );
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok(match row {
                    Some(r) => Some($crate::organizations::organization_from_row!(r)),
                    None => None,
                })
            }

            async fn organizations(
                &self,
                province: Option<&ocop_domain::LocalityCode>,
            ) -> $crate::Result<Vec<$crate::Organization>> {
                let sql = format!(
                    "SELECT {} FROM organizations WHERE ($1 IS NULL OR province_code = $1) ORDER BY name, id",
                    $crate::organizations::ORGANIZATION_COLUMNS
                );
                let rows = sqlx::query(&sql)
                    .bind(province.map(|p| p.as_str()))
                    .fetch_all(&self.pool)
                    .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.push($crate::organizations::organization_from_row!(r));
                }
                Ok(out)
            }
        }
    };
}
pub(crate) use impl_organization_store;
