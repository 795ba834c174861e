//! Products, with their OCOP code assigned at registration.

use crate::{AuditEntry, Page, Product, ProductFields, ProductFilter, Result};
use async_trait::async_trait;

#[async_trait]
pub trait ProductStore {
    /// Registers a product under the next code of its commune for `year`. An unknown
    /// organization is `MissingReference`, a GTIN in use `Conflict("gtin")`.
    async fn create_product(
        &self,
        fields: &ProductFields,
        year: i32,
        audit: &AuditEntry,
    ) -> Result<Product>;
    /// Changes a product; moving it to another organization keeps its code.
    async fn update_product(
        &self,
        id: i64,
        fields: &ProductFields,
        audit: &AuditEntry,
    ) -> Result<Product>;
    async fn product(&self, id: i64) -> Result<Option<Product>>;
    /// The product carrying a GTIN-14.
    async fn product_by_gtin(&self, gtin: &str) -> Result<Option<Product>>;
    async fn products(&self, filter: &ProductFilter) -> Result<Page<Product>>;
    /// Registers many at once: all of them, or (on any error) none.
    async fn import_products(
        &self,
        rows: &[ProductFields],
        year: i32,
        audit: &AuditEntry,
    ) -> Result<Vec<i64>>;
}

pub(crate) const PRODUCT_COLUMNS: &str = "p.id, p.code, p.organization_id, o.name AS organization_name, \
    p.province_code, p.commune_code, p.name, p.criteria_set, p.description, p.gtin, p.standard_code, \
    p.standard_declared_on, p.food_safety_certificate, p.food_safety_expires_on, p.key_level, p.status, \
    p.created_at, p.updated_at";

macro_rules! product_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let status: String = r.try_get("status")?;
        let key_level: Option<String> = r.try_get("key_level")?;
        $crate::Product {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            organization_id: r.try_get("organization_id")?,
            organization_name: r.try_get("organization_name")?,
            province_code: r.try_get("province_code")?,
            commune_code: r.try_get("commune_code")?,
            name: r.try_get("name")?,
            criteria_set: r.try_get("criteria_set")?,
            description: r.try_get("description")?,
            gtin: r.try_get("gtin")?,
            standard_code: r.try_get("standard_code")?,
            standard_declared_on: r.try_get("standard_declared_on")?,
            food_safety_certificate: r.try_get("food_safety_certificate")?,
            food_safety_expires_on: r.try_get("food_safety_expires_on")?,
            key_level: match key_level {
                Some(k) => Some(k.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?),
                None => None,
            },
            status: status
                .parse()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        }
    }};
}
pub(crate) use product_from_row;

/// Inserts one product on an open transaction and evaluates to its id.
///
/// The first statement touches the organization's row: it proves the organization exists and
/// takes the write lock at once, so SQLite never has to upgrade a read lock (which fails under
/// concurrency instead of waiting). Two registrations in one commune at the same moment on
/// PostgreSQL may still compute the same sequence; the unique index refuses the second, and
/// `create_product` tries again.
macro_rules! insert_product {
    ($tx:expr, $f:expr, $year:expr, $now:expr) => {{
        use sqlx::Row as _;
        let f: &$crate::ProductFields = $f;
        let year: i32 = $year;
        let org = sqlx::query(
            "UPDATE organizations SET updated_at = updated_at WHERE id = $1 RETURNING province_code, commune_code",
        )
        .bind(f.organization_id)
        .fetch_optional(&mut *$tx)
        .await?
        .ok_or($crate::StoreError::MissingReference("organization"))?;
        let province: String = org.try_get("province_code")?;
        let commune: String = org.try_get("commune_code")?;
        let sequence: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(code_sequence), 0) + 1 AS BIGINT) FROM products \
             WHERE commune_code = $1 AND code_year = $2",
        )
        .bind(&commune)
        .bind(year)
        .fetch_one(&mut *$tx)
        .await?;
        let code = $crate::products::product_code(&province, &commune, sequence, year)?;
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO products (code, code_year, code_sequence, organization_id, province_code, commune_code, \
             name, name_folded, criteria_set, description, gtin, standard_code, standard_declared_on, \
             food_safety_certificate, food_safety_expires_on, key_level, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
        )
        .bind(code)
        .bind(year)
        .bind(sequence)
        .bind(f.organization_id)
        .bind(&province)
        .bind(&commune)
        .bind(&f.name)
        .bind(ocop_domain::text::fold(&f.name))
        .bind(f.criteria_set)
        .bind(&f.description)
        .bind(&f.gtin)
        .bind(&f.standard_code)
        .bind(f.standard_declared_on)
        .bind(&f.food_safety_certificate)
        .bind(f.food_safety_expires_on)
        .bind(f.key_level.map(|k| k.as_str()))
        .bind(f.status.as_str())
        .bind($now)
        .fetch_one(&mut *$tx)
        .await
        .map_err(|e| $crate::products::classify_insert(e))?
    }};
}
pub(crate) use insert_product;

/// The code for the next product of a commune, via the domain's rules for its form.
pub(crate) fn product_code(
    province: &str,
    commune: &str,
    sequence: i64,
    year: i32,
) -> Result<String> {
    let bad = |what: String| crate::StoreError::Database(sqlx::Error::Protocol(what));
    let province = province
        .parse()
        .map_err(|_| bad(format!("stored province code {province}")))?;
    let commune = commune
        .parse()
        .map_err(|_| bad(format!("stored commune code {commune}")))?;
    let sequence =
        u32::try_from(sequence).map_err(|_| bad(format!("product sequence {sequence}")))?;
    ocop_domain::product_code::ProductCode::new(province, commune, sequence, year)
        .map(|c| c.to_string())
        .map_err(|e| bad(e.to_string()))
}

/// A clash on the commune's sequence is a race to retry; a clash on the GTIN is the user's.
pub(crate) fn classify_insert(e: sqlx::Error) -> crate::StoreError {
    if let sqlx::Error::Database(db) = &e {
        let text = format!("{} {}", db.message(), db.constraint().unwrap_or(""));
        if db.is_unique_violation() && (text.contains("code") || text.contains("sequence")) {
            return crate::StoreError::Conflict("code");
        }
    }
    crate::error::classify(e, "gtin", "organization")
}

/// Attempts for a registration that lost a race for its commune's next sequence number.
pub(crate) const CODE_ATTEMPTS: usize = 5;

macro_rules! impl_product_store {
    ($store:ty, $backend:expr) => {
        #[async_trait::async_trait]
        impl $crate::ProductStore for $store {
            async fn create_product(
                &self,
                fields: &$crate::ProductFields,
                year: i32,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Product> {
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let mut tx = self.write_tx().await?;
                    let inserted: $crate::Result<i64> = async {
                        Ok($crate::products::insert_product!(tx, fields, year, chrono::Utc::now()))
                    }
                    .await;
                    match inserted {
                        Ok(id) => {
                            $crate::audit::insert_audit!(&mut *tx, audit, format!("product:{id}"));
                            tx.commit().await?;
                            return self.product(id).await?.ok_or($crate::StoreError::NotFound);
                        }
                        Err($crate::StoreError::Conflict("code")) if attempt < $crate::products::CODE_ATTEMPTS => {
                            tx.rollback().await?;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }

            async fn update_product(
                &self,
                id: i64,
                f: &$crate::ProductFields,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Product> {
                let mut tx = self.write_tx().await?;
                let changed = sqlx::query(
                    "UPDATE products SET organization_id = $1, \
                     province_code = (SELECT province_code FROM organizations WHERE id = $1), \
                     commune_code = (SELECT commune_code FROM organizations WHERE id = $1), \
                     name = $2, name_folded = $3, criteria_set = $4, description = $5, gtin = $6, \
                     standard_code = $7, standard_declared_on = $8, food_safety_certificate = $9, \
                     food_safety_expires_on = $10, key_level = $11, status = $12, updated_at = $13 \
                     WHERE id = $14 AND EXISTS (SELECT 1 FROM organizations WHERE id = $1)",
                )
                .bind(f.organization_id)
                .bind(&f.name)
                .bind(ocop_domain::text::fold(&f.name))
                .bind(f.criteria_set)
                .bind(&f.description)
                .bind(&f.gtin)
                .bind(&f.standard_code)
                .bind(f.standard_declared_on)
                .bind(&f.food_safety_certificate)
                .bind(f.food_safety_expires_on)
                .bind(f.key_level.map(|k| k.as_str()))
                .bind(f.status.as_str())
                .bind(chrono::Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "gtin", "organization"))?
                .rows_affected();
                if changed == 0 {
                    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM products WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    return Err(match exists {
                        Some(_) => $crate::StoreError::MissingReference("organization"),
                        None => $crate::StoreError::NotFound,
                    });
                }
                $crate::audit::insert_audit!(&mut *tx, audit, format!("product:{id}"));
                tx.commit().await?;
                self.product(id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn product(&self, id: i64) -> $crate::Result<Option<$crate::Product>> {
                let sql = format!(
                    "SELECT {} FROM products p JOIN organizations o ON o.id = p.organization_id WHERE p.id = $1",
                    $crate::products::PRODUCT_COLUMNS
                );
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::products::product_from_row))
            }

            async fn product_by_gtin(&self, gtin: &str) -> $crate::Result<Option<$crate::Product>> {
                let sql = format!(
                    "SELECT {} FROM products p JOIN organizations o ON o.id = p.organization_id WHERE p.gtin = $1",
                    $crate::products::PRODUCT_COLUMNS
                );
                let row = sqlx::query(&sql).bind(gtin).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::products::product_from_row))
            }

            async fn products(
                &self,
                filter: &$crate::ProductFilter,
            ) -> $crate::Result<$crate::Page<$crate::Product>> {
                let mut w = $crate::search::Where::default();
                w.and_text("p.province_code = ?", filter.province.as_ref().map(|c| c.as_str()));
                w.and_text("p.commune_code = ?", filter.commune.as_ref().map(|c| c.as_str()));
                w.and_int("p.organization_id = ?", filter.organization_id);
                w.and_text("p.status = ?", filter.status.map(|s| s.as_str()));
                w.and_text("p.key_level = ?", filter.key_level.map(|k| k.as_str()));
                if !filter.criteria_sets.is_empty() {
                    let marks = vec!["?"; filter.criteria_sets.len()].join(", ");
                    w.and(
                        &format!("p.criteria_set IN ({marks})"),
                        filter.criteria_sets.iter().map(|n| $crate::search::Arg::Int(i64::from(*n))).collect(),
                    );
                }
                if let Some(stars) = filter.stars {
                    let today = filter.today.unwrap_or_else(|| chrono::Utc::now().date_naive());
                    w.and(
                        "(SELECT MAX(c.stars) FROM certificates c WHERE c.product_id = p.id AND c.revoked_on IS NULL \
                         AND c.decided_on <= ? AND c.expires_on >= ?) = ?",
                        vec![
                            $crate::search::Arg::Date(today),
                            $crate::search::Arg::Date(today),
                            $crate::search::Arg::Int(i64::from(stars)),
                        ],
                    );
                }
                w.and_name_matches($backend, "p.name_folded", Some(("products_search", "p.id")), filter.q.as_deref());
                // While searching SQLite, every match is found anyway to sort it, so the page
                // query also counts them (`COUNT(*) OVER ()`) instead of a second query finding
                // them all again. A plain list keeps the separate count: the page is read from the
                // name index and must not be made to visit every product. On PostgreSQL the window
                // count measured slower (docs/performance.md): it keeps the two queries.
                let searching = w.is_searching() && $backend == $crate::Backend::Sqlite;
                let n = w.next();
                let sql = format!(
                    "SELECT {}{} FROM {} JOIN organizations o ON o.id = p.organization_id WHERE {} \
                     ORDER BY {} LIMIT ${} OFFSET ${}",
                    $crate::products::PRODUCT_COLUMNS,
                    if searching { ", COUNT(*) OVER () AS matches" } else { "" },
                    w.from("products p"),
                    w.sql(),
                    w.order_by_name("p.name_folded", "p.id"),
                    n,
                    n + 1
                );
                let rows = $crate::search::bind_args!(sqlx::query(&sql), &w.args)
                    .bind(filter.limit.clamp(1, 100_000))
                    .bind(filter.offset.max(0))
                    .fetch_all(&self.pool)
                    .await?;
                let counted: Option<i64> = match rows.first() {
                    Some(r) if searching => {
                        use sqlx::Row as _;
                        Some(r.try_get("matches")?)
                    }
                    _ => None,
                };
                let total = match counted {
                    Some(t) => t,
                    // No window count: a plain list, or a page past the last match.
                    None if searching && filter.offset <= 0 => 0,
                    None => {
                        let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {}", w.from("products p"), w.sql());
                        $crate::search::bind_args!(sqlx::query_scalar(&count_sql), &w.args)
                            .fetch_one(&self.pool)
                            .await?
                    }
                };
                let items = $crate::decode_rows!(rows, $crate::products::product_from_row);
                Ok($crate::Page { items, total })
            }

            async fn import_products(
                &self,
                rows: &[$crate::ProductFields],
                year: i32,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<Vec<i64>> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let mut ids = Vec::with_capacity(rows.len());
                for f in rows {
                    ids.push($crate::products::insert_product!(tx, f, year, now));
                }
                $crate::audit::insert_audit!(&mut *tx, audit, "products".to_string());
                tx.commit().await?;
                Ok(ids)
            }
        }
    };
}
pub(crate) use impl_product_store;
