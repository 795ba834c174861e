//! Housekeeping the database needs after bulk changes.

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait MaintenanceStore {
    /// Refreshes the planner's statistics (both backends' `ANALYZE`). PostgreSQL's autovacuum
    /// does this by itself within minutes; after a bulk load, doing it at once keeps the first
    /// queries from being planned on the statistics of an empty table.
    async fn refresh_statistics(&self) -> Result<()>;
}

macro_rules! impl_maintenance_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::maintenance::MaintenanceStore for $store {
            async fn refresh_statistics(&self) -> $crate::Result<()> {
                sqlx::query("ANALYZE").execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_maintenance_store;
