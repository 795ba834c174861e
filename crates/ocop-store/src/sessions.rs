//! Web sessions. Only a hash of the cookie's token is stored, so a database leak opens no session.

use crate::{Result, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait SessionStore {
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// The enabled user behind an unexpired session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Removes expired sessions; returns how many.
    async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64>;
}

macro_rules! impl_session_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::SessionStore for $store {
            async fn create_session(
                &self,
                token_hash: &str,
                user_id: i64,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<()> {
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(chrono::Utc::now())
                    .bind(expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<Option<$crate::User>> {
                let sql = format!(
                    "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled",
                    $crate::users::USER_COLUMNS
                );
                let row = sqlx::query(&sql).bind(token_hash).bind(now).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::users::user_from_row))
            }

            async fn delete_session(&self, token_hash: &str) -> $crate::Result<()> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn purge_sessions(&self, now: chrono::DateTime<chrono::Utc>) -> $crate::Result<u64> {
                Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now)
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }
        }
    };
}
pub(crate) use impl_session_store;
