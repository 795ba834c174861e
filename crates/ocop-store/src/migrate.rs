//! Migrations embedded in the binary, one list per backend, run by sqlx's migrator.

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

/// (version, description, SQL)
type Step = (i64, &'static str, &'static str);

pub(crate) const SQLITE: &[Step] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
    ),
    (
        2,
        "registry",
        include_str!("../migrations/sqlite/0002_registry.sql"),
    ),
    (
        3,
        "certificates",
        include_str!("../migrations/sqlite/0003_certificates.sql"),
    ),
    (
        4,
        "name order",
        include_str!("../migrations/sqlite/0004_name_order.sql"),
    ),
    (
        5,
        "stamps",
        include_str!("../migrations/sqlite/0005_stamps.sql"),
    ),
    (
        6,
        "verification",
        include_str!("../migrations/sqlite/0006_verification.sql"),
    ),
    (
        7,
        "evaluation",
        include_str!("../migrations/sqlite/0007_evaluation.sql"),
    ),
    (
        8,
        "dossier evidence",
        include_str!("../migrations/sqlite/0008_dossier_evidence.sql"),
    ),
];

pub(crate) const POSTGRES: &[Step] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "registry",
        include_str!("../migrations/postgres/0002_registry.sql"),
    ),
    (
        3,
        "certificates",
        include_str!("../migrations/postgres/0003_certificates.sql"),
    ),
    (
        4,
        "name order",
        include_str!("../migrations/postgres/0004_name_order.sql"),
    ),
    (
        5,
        "stamps",
        include_str!("../migrations/postgres/0005_stamps.sql"),
    ),
    (
        6,
        "verification",
        include_str!("../migrations/postgres/0006_verification.sql"),
    ),
    (
        7,
        "evaluation",
        include_str!("../migrations/postgres/0007_evaluation.sql"),
    ),
    (
        8,
        "dossier evidence",
        include_str!("../migrations/postgres/0008_dossier_evidence.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(&'static [Step]);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

pub(crate) async fn migrator(
    steps: &'static [Step],
) -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(Embedded(steps)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_backends_have_the_same_versions() {
        let v = |s: &[super::Step]| s.iter().map(|(v, d, _)| (*v, *d)).collect::<Vec<_>>();
        assert_eq!(v(super::SQLITE), v(super::POSTGRES));
    }
}
