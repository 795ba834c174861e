//! Helpers for tests of this crate and of the server: a fresh, empty database per test.

use crate::{DatabaseUrl, Result, StoreError};
use sqlx::postgres::PgPoolOptions;
use std::time::{SystemTime, UNIX_EPOCH};

/// The PostgreSQL server tests may create databases on, if any (`OCOP_TEST_POSTGRES_URL`).
pub fn postgres_server() -> Option<String> {
    std::env::var("OCOP_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// Creates an empty database on the test server and returns its URL. Databases older than an
/// hour left by earlier runs are dropped first, so repeated local runs do not pile up.
pub async fn fresh_postgres(server: &str) -> Result<DatabaseUrl> {
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(server)
        .await?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let stale: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'ocop_test_%'")
            .fetch_all(&admin)
            .await?;
    for name in stale {
        let born: u64 = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if born + 3600 < now {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&admin)
                .await;
        }
    }
    let mut nonce = [0u8; 6];
    getrandom_fill(&mut nonce);
    let suffix: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("ocop_test_{now}_{suffix}");
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&admin)
        .await?;
    admin.close().await;
    let mut url = url::Url::parse(server).map_err(|e| StoreError::BadUrl(e.to_string()))?;
    url.set_path(&format!("/{name}"));
    url.as_str().parse()
}

/// A unique name without pulling a random-number crate into the library.
fn getrandom_fill(buf: &mut [u8]) {
    use std::hash::{BuildHasher, Hasher};
    for chunk in buf.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        let bytes = h.finish().to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}
