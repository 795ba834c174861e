//! Provinces and communes, seeded from the list the product ships.

use crate::Result;
use async_trait::async_trait;
use ocop_domain::{Locality, LocalityCode};

#[async_trait]
pub trait LocalityStore {
    /// Inserts the localities that are missing; existing rows are left as they are.
    async fn seed_localities(&self, all: &[Locality]) -> Result<u64>;
    async fn locality(&self, code: &LocalityCode) -> Result<Option<Locality>>;
    /// The provinces (no parent) or the communes of one province, by name.
    async fn localities(&self, parent: Option<&LocalityCode>) -> Result<Vec<Locality>>;
    async fn count_localities(&self) -> Result<i64>;
}

macro_rules! locality_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let code: String = r.try_get("code")?;
        let kind: String = r.try_get("kind")?;
        let parent: Option<String> = r.try_get("parent_code")?;
        let decode = |e: ocop_domain::locality::BadLocalityCode| sqlx::Error::Decode(Box::new(e));
        ocop_domain::Locality {
            code: code.parse().map_err(decode)?,
            name: r.try_get("name")?,
            kind: ocop_domain::LocalityKind::parse(&kind)
                .ok_or_else(|| sqlx::Error::Decode(format!("bad locality kind {kind}").into()))?,
            division: r.try_get("division")?,
            parent: match parent {
                Some(p) => Some(p.parse().map_err(decode)?),
                None => None,
            },
        }
    }};
}
pub(crate) use locality_from_row;

/// Rows per INSERT: keeps SQLite under its bound-parameter limit.
pub(crate) const SEED_CHUNK: usize = 500;

macro_rules! impl_locality_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::LocalityStore for $store {
            async fn seed_localities(&self, all: &[ocop_domain::Locality]) -> $crate::Result<u64> {
                // Provinces first so that communes' parent references resolve.
                let (provinces, communes): (Vec<_>, Vec<_>) =
                    all.iter().partition(|l| l.parent.is_none());
                let mut tx = self.write_tx().await?;
                let mut inserted = 0;
                for chunk in provinces.chunks($crate::localities::SEED_CHUNK).chain(communes.chunks($crate::localities::SEED_CHUNK)) {
                    let mut sql = String::from("INSERT INTO localities (code, name, kind, division, parent_code) VALUES ");
                    for i in 0..chunk.len() {
                        let b = i * 5;
                        if i > 0 {
                            sql.push_str(", ");
                        }
                        sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5));
                    }
                    sql.push_str(" ON CONFLICT (code) DO NOTHING");
                    let mut q = sqlx::query(&sql);
                    for l in chunk {
                        q = q
                            .bind(l.code.as_str())
                            .bind(&l.name)
                            .bind(l.kind.as_str())
                            .bind(&l.division)
                            .bind(l.parent.as_ref().map(|p| p.as_str()));
                    }
                    inserted += q.execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(inserted)
            }

            async fn locality(
                &self,
                code: &ocop_domain::LocalityCode,
            ) -> $crate::Result<Option<ocop_domain::Locality>> {
                let row = sqlx::query("SELECT code, name, kind, division, parent_code FROM localities WHERE code = $1")
                    .bind(code.as_str())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok($crate::decode_row!(row, $crate::localities::locality_from_row))
            }

            async fn localities(
                &self,
                parent: Option<&ocop_domain::LocalityCode>,
            ) -> $crate::Result<Vec<ocop_domain::Locality>> {
                // Two statements rather than one with `OR`, so both use an index.
                let rows = match parent {
                    Some(p) => sqlx::query(
                        "SELECT code, name, kind, division, parent_code FROM localities \
                         WHERE parent_code = $1 ORDER BY name, code",
                    )
                    .bind(p.as_str())
                    .fetch_all(&self.pool)
                    .await?,
                    None => sqlx::query(
                        "SELECT code, name, kind, division, parent_code FROM localities \
                         WHERE parent_code IS NULL ORDER BY name, code",
                    )
                    .fetch_all(&self.pool)
                    .await?,
                };
                let out = $crate::decode_rows!(rows, $crate::localities::locality_from_row);
                Ok(out)
            }

            async fn count_localities(&self) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM localities").fetch_one(&self.pool).await?)
            }
        }
    };
}
pub(crate) use impl_locality_store;
