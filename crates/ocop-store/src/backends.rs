//! The two backends and the choice between them by URL scheme.

use crate::error::Redacted;
use crate::{migrate, Result, Store, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A checked database URL: `sqlite://FILE` (or `sqlite::memory:`) or `postgres://…`.
#[derive(Clone)]
pub struct DatabaseUrl {
    backend: Backend,
    raw: String,
}

const URL_HINT: &str =
    "use sqlite://FILE (e.g. sqlite://ocop.db) or postgres://USER@HOST:PORT/DATABASE";

impl FromStr for DatabaseUrl {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self> {
        let raw = s.trim().to_string();
        let bad = |why: &str| StoreError::BadUrl(format!("`{}` {why}: {URL_HINT}", redact(&raw)));
        let backend = if raw.starts_with("sqlite:") {
            let rest = raw.trim_start_matches("sqlite:").trim_start_matches("//");
            if rest.is_empty() {
                return Err(bad("names no database file"));
            }
            SqliteConnectOptions::from_str(&raw)
                .map_err(|e| bad(&format!("is not valid ({e})")))?;
            Backend::Sqlite
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let parsed = url::Url::parse(&raw).map_err(|e| bad(&format!("is not valid ({e})")))?;
            if parsed.host_str().unwrap_or("").is_empty() {
                return Err(bad("names no host"));
            }
            PgConnectOptions::from_str(&raw).map_err(|e| bad(&format!("is not valid ({e})")))?;
            Backend::Postgres
        } else {
            return Err(bad("has an unknown scheme"));
        };
        Ok(DatabaseUrl { backend, raw })
    }
}

impl DatabaseUrl {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL with any password replaced, safe to log.
    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }
}

fn redact(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(u) if u.password().is_some() => Redacted(&u).to_string(),
        Ok(_) => raw.to_string(),
        // Even a URL too broken to parse may carry a password: hide `user:…@`.
        Err(_) => match (raw.find("://"), raw.rfind('@')) {
            (Some(start), Some(at)) if at > start => {
                let userinfo = &raw[start + 3..at];
                match userinfo.split_once(':') {
                    Some((user, _)) => format!("{}{user}:***{}", &raw[..start + 3], &raw[at..]),
                    None => raw.to_string(),
                }
            }
            _ => raw.to_string(),
        },
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
}

pub struct PgStore {
    pub(crate) pool: PgPool,
}

impl SqliteStore {
    /// Write transactions take SQLite's write lock at BEGIN. A deferred transaction that reads
    /// and then writes must upgrade its lock, and that fails at once ("database is locked")
    /// instead of waiting when another connection is writing; BEGIN IMMEDIATE waits its turn.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'_, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn connect(url: &DatabaseUrl) -> Result<Self> {
        // WAL lets readers run beside the writer; FULL sync makes an acknowledged commit
        // survive a power cut, not only a process crash.
        let options = SqliteConnectOptions::from_str(&url.raw)
            .map_err(|e| StoreError::BadUrl(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // SQLite's default page cache is 2 MB: a search that touches a few thousand rows of a
            // 100,000-product register would re-read them from the OS on every request. Memory
            // mapping shares the OS cache between connections; the page cache keeps hot pages.
            .pragma("cache_size", "-32768")
            .pragma("mmap_size", "268435456");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::BadUrl(format!(
                    "cannot open SQLite database {}: {e}",
                    url.redacted()
                ))
            })?;
        let store = SqliteStore { pool };
        migrate::migrator(migrate::SQLITE)
            .await?
            .run(&store.pool)
            .await?;
        Ok(store)
    }
}

impl PgStore {
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'_, sqlx::Postgres>> {
        Ok(self.pool.begin().await?)
    }

    pub async fn connect(url: &DatabaseUrl) -> Result<Self> {
        let options =
            PgConnectOptions::from_str(&url.raw).map_err(|e| StoreError::BadUrl(e.to_string()))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::BadUrl(format!(
                    "cannot connect to PostgreSQL at {}: {e}",
                    url.redacted()
                ))
            })?;
        let store = PgStore { pool };
        migrate::migrator(migrate::POSTGRES)
            .await?
            .run(&store.pool)
            .await?;
        Ok(store)
    }
}

/// Opens the database the URL names and brings its schema up to date.
pub async fn connect(url: &DatabaseUrl) -> Result<Arc<dyn Store>> {
    Ok(match url.backend {
        Backend::Sqlite => Arc::new(SqliteStore::connect(url).await?),
        Backend::Postgres => Arc::new(PgStore::connect(url).await?),
    })
}

/// The sqlx database type of each store, for helpers generic over executors.
pub(crate) trait HasDb {
    type Db: sqlx::Database;
}
impl HasDb for SqliteStore {
    type Db = sqlx::Sqlite;
}
impl HasDb for PgStore {
    type Db = sqlx::Postgres;
}

macro_rules! impl_store {
    ($store:ty, $backend:expr) => {
        impl Store for $store {
            fn backend(&self) -> Backend {
                $backend
            }
        }
        crate::users::impl_user_store!($store);
        crate::sessions::impl_session_store!($store);
        crate::tokens::impl_token_store!($store);
        crate::audit::impl_audit_store!($store);
        crate::localities::impl_locality_store!($store);
        crate::organizations::impl_organization_store!($store, $backend);
        crate::products::impl_product_store!($store, $backend);
        crate::documents::impl_document_store!($store);
        crate::maintenance::impl_maintenance_store!($store);
        crate::certificates::impl_certificate_store!($store, $backend);
        crate::stamps::impl_stamp_store!($store);
        crate::verification::impl_verification_store!($store, $backend);
        crate::cycles::impl_cycle_store!($store, $backend);
        crate::dossiers_sql::impl_dossier_store!($store, $backend);
    };
}

impl_store!(SqliteStore, Backend::Sqlite);
impl_store!(PgStore, Backend::Postgres);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_or_say_what_is_wrong() {
        assert_eq!(
            "sqlite://ocop.db".parse::<DatabaseUrl>().unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            "sqlite::memory:".parse::<DatabaseUrl>().unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            "postgres://postgres@127.0.0.1:5432/ocop"
                .parse::<DatabaseUrl>()
                .unwrap()
                .backend(),
            Backend::Postgres
        );
        for bad in ["mysql://x/y", "ocop.db", "sqlite://", "postgres://", ""] {
            let err = bad.parse::<DatabaseUrl>().unwrap_err().to_string();
            assert!(err.contains("sqlite://FILE"), "{bad}: {err}");
        }
    }

    #[test]
    fn passwords_never_show() {
        let url: DatabaseUrl = "postgres://ocop:hunter2@db.example/ocop".parse().unwrap();
        assert!(!url.redacted().contains("hunter2"));
        assert!(!format!("{url:?}").contains("hunter2"));
        let err = "postgresql://ocop:hunter2@/x"
            .parse::<DatabaseUrl>()
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }
}
