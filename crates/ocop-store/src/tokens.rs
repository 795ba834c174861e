//! API tokens for scripts and other systems. Stored as hashes; the token itself is shown once.

use crate::{ApiToken, AuditEntry, Result, User};
use async_trait::async_trait;

#[async_trait]
pub trait TokenStore {
    async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        audit: &AuditEntry,
    ) -> Result<ApiToken>;
    /// The enabled user holding an unrevoked token.
    async fn token_user(&self, token_hash: &str) -> Result<Option<User>>;
    async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit: &AuditEntry)
        -> Result<()>;
}

macro_rules! token_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::ApiToken {
            id: r.try_get("id")?,
            user_id: r.try_get("user_id")?,
            name: r.try_get("name")?,
            created_at: r.try_get("created_at")?,
            revoked_at: r.try_get("revoked_at")?,
        }
    }};
}
pub(crate) use token_from_row;

macro_rules! impl_token_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::TokenStore for $store {
            async fn create_api_token(
                &self,
                user_id: i64,
                name: &str,
                token_hash: &str,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::ApiToken> {
                let mut tx = self.write_tx().await?;
                let row = sqlx::query(
                    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
                     RETURNING id, user_id, name, created_at, revoked_at",
                )
                .bind(user_id)
                .bind(name)
                .bind(token_hash)
                .bind(chrono::Utc::now())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "token", "user"))?;
                let token = $crate::tokens::token_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("api_token:{}", token.id));
                tx.commit().await?;
                Ok(token)
            }

            async fn token_user(&self, token_hash: &str) -> $crate::Result<Option<$crate::User>> {
                let sql = format!(
                    "SELECT {} FROM api_tokens t JOIN users u ON u.id = t.user_id \
                     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled",
                    $crate::users::USER_COLUMNS
                );
                let row = sqlx::query(&sql).bind(token_hash).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::users::user_from_row))
            }

            async fn api_tokens(&self, user_id: i64) -> $crate::Result<Vec<$crate::ApiToken>> {
                let rows = sqlx::query(
                    "SELECT id, user_id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
                let out = $crate::decode_rows!(rows, $crate::tokens::token_from_row);
                Ok(out)
            }

            async fn revoke_api_token(
                &self,
                user_id: i64,
                token_id: i64,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<()> {
                let mut tx = self.write_tx().await?;
                let changed = sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                )
                .bind(chrono::Utc::now())
                .bind(token_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                $crate::audit::insert_audit!(&mut *tx, audit, format!("api_token:{token_id}"));
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_token_store;
