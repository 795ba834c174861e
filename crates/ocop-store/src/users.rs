//! Users and their credentials.

use crate::{AuditEntry, NewUser, Result, User, UserFilter, UserUpdate};
use async_trait::async_trait;

#[async_trait]
pub trait UserStore {
    /// Creates a user; a taken e-mail is `Conflict("email")`.
    async fn create_user(&self, new: &NewUser, audit: &AuditEntry) -> Result<User>;
    async fn user(&self, id: i64) -> Result<Option<User>>;
    /// The user with this e-mail and its password hash, for sign-in.
    async fn user_credentials(&self, email: &str) -> Result<Option<(User, String)>>;
    async fn users(&self, filter: &UserFilter) -> Result<Vec<User>>;
    async fn count_users(&self) -> Result<i64>;
    /// Writes the editable fields; disabling also ends the user's sessions and tokens.
    async fn update_user(&self, id: i64, update: &UserUpdate, audit: &AuditEntry) -> Result<User>;
    /// Replaces the password hash and ends every session of the user.
    async fn set_password_hash(&self, id: i64, hash: &str, audit: &AuditEntry) -> Result<()>;
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.locality_code, \
    u.province_code, u.commune_code, u.organization_id, u.disabled, u.created_at, u.updated_at";

macro_rules! user_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let row = &$row;
        let role: String = row.try_get("role")?;
        $crate::User {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            role: role.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            locality_code: row.try_get("locality_code")?,
            province_code: row.try_get("province_code")?,
            commune_code: row.try_get("commune_code")?,
            organization_id: row.try_get("organization_id")?,
            disabled: row.try_get("disabled")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        }
    }};
}
pub(crate) use user_from_row;

macro_rules! impl_user_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::UserStore for $store {
            async fn create_user(
                &self,
                new: &$crate::NewUser,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::User> {
                let now = chrono::Utc::now();
                let p = &new.placement;
                let mut tx = self.write_tx().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (email, name, role, locality_code, province_code, commune_code, \
                     organization_id, password_hash, disabled, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, $9, $9) RETURNING id",
                )
                .bind(new.email.as_str())
                .bind(new.name.as_str())
                .bind(new.role.as_str())
                .bind(p.locality.as_ref().map(|c| c.as_str()))
                .bind(p.province.as_ref().map(|c| c.as_str()))
                .bind(p.commune.as_ref().map(|c| c.as_str()))
                .bind(p.organization_id)
                .bind(&new.password_hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "email", "organization or locality"))?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("user:{id}"));
                tx.commit().await?;
                self.user(id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn user(&self, id: i64) -> $crate::Result<Option<$crate::User>> {
                let sql = format!("SELECT {} FROM users u WHERE u.id = $1", $crate::users::USER_COLUMNS);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::users::user_from_row))
            }

            async fn user_credentials(
                &self,
                email: &str,
            ) -> $crate::Result<Option<($crate::User, String)>> {
                let sql = format!(
                    "SELECT {}, u.password_hash FROM users u WHERE u.email = $1",
                    $crate::users::USER_COLUMNS
                );
                let row = sqlx::query(&sql).bind(email).fetch_optional(&self.pool).await?;
                Ok(match row {
                    Some(r) => {
                        use sqlx::Row as _;
                        let hash: String = r.try_get("password_hash")?;
                        Some(($crate::users::user_from_row!(r), hash))
                    }
                    None => None,
                })
            }

            async fn users(&self, filter: &$crate::UserFilter) -> $crate::Result<Vec<$crate::User>> {
                let sql = format!(
                    "SELECT {} FROM users u WHERE ($1 IS NULL OR u.province_code = $1) ORDER BY u.email",
                    $crate::users::USER_COLUMNS
                );
                let rows = sqlx::query(&sql)
                    .bind(filter.province.as_ref().map(|c| c.as_str()))
                    .fetch_all(&self.pool)
                    .await?;
                let out = $crate::decode_rows!(rows, $crate::users::user_from_row);
                Ok(out)
            }

            async fn count_users(&self) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
            }

            async fn update_user(
                &self,
                id: i64,
                update: &$crate::UserUpdate,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::User> {
                let p = &update.placement;
                let mut tx = self.write_tx().await?;
                let changed = sqlx::query(
                    "UPDATE users SET name = $1, role = $2, locality_code = $3, province_code = $4, \
                     commune_code = $5, organization_id = $6, disabled = $7, updated_at = $8 WHERE id = $9",
                )
                .bind(update.name.as_str())
                .bind(update.role.as_str())
                .bind(p.locality.as_ref().map(|c| c.as_str()))
                .bind(p.province.as_ref().map(|c| c.as_str()))
                .bind(p.commune.as_ref().map(|c| c.as_str()))
                .bind(p.organization_id)
                .bind(update.disabled)
                .bind(chrono::Utc::now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "email", "organization or locality"))?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                if update.disabled {
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
                    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                        .bind(chrono::Utc::now())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                $crate::audit::insert_audit!(&mut *tx, audit, format!("user:{id}"));
                tx.commit().await?;
                self.user(id).await?.ok_or($crate::StoreError::NotFound)
            }

            async fn set_password_hash(
                &self,
                id: i64,
                hash: &str,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<()> {
                let mut tx = self.write_tx().await?;
                let changed = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                    .bind(hash)
                    .bind(chrono::Utc::now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("user:{id}"));
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_user_store;
