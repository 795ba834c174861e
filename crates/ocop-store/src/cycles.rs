//! The yearly cycle: a province's cycle with the dates of its six steps, producers' product
//! ideas and business plans (proposals) with their screening, and the support given to plans.
//! Which step may follow which is `ocop_domain::cycle`'s to say; the store asks it inside the
//! transaction that makes the change.

use crate::{AuditEntry, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::cycle::{Calendar, Decision, ProposalKind, ProposalState, SupportKind};
use ocop_domain::Role;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub id: i64,
    pub province_code: String,
    pub calendar: Calendar,
    pub theme: String,
    pub created_at: DateTime<Utc>,
}

impl Cycle {
    pub fn year(&self) -> i32 {
        self.calendar.year()
    }
}

crate::rows::from_rows! {
    /// A cycle as stored: the six start dates are one JSON column.
    pub(crate) struct CycleRow {
        id: i64,
        province_code: String,
        year: i32,
        theme: String,
        steps: Vec<NaiveDate> as json,
        created_at: DateTime<Utc>,
    }
}

impl TryFrom<CycleRow> for Cycle {
    type Error = sqlx::Error;
    fn try_from(r: CycleRow) -> std::result::Result<Cycle, sqlx::Error> {
        Ok(Cycle {
            id: r.id,
            province_code: r.province_code,
            calendar: Calendar::new(r.year, &r.steps)
                .map_err(|e| crate::rows::refused("steps", e))?,
            theme: r.theme,
            created_at: r.created_at,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewCycle {
    pub province_code: String,
    pub calendar: Calendar,
    pub theme: String,
    pub created_by: Option<i64>,
}

crate::rows::from_rows! {
    /// A product idea or a business plan.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    pub struct Proposal {
        pub id: i64,
        pub kind: ProposalKind as text,
        pub cycle_id: i64,
        pub organization_id: i64,
        pub organization_name: String,
        pub province_code: String,
        pub commune_code: String,
        pub idea_id: Option<i64>,
        pub title: String,
        pub summary: String,
        pub state: ProposalState as text,
        pub reason: Option<String>,
        pub decided_at: Option<DateTime<Utc>>,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
    }
}

#[derive(Debug, Clone)]
pub struct NewProposal {
    pub kind: ProposalKind,
    pub cycle_id: i64,
    pub organization_id: i64,
    pub idea_id: Option<i64>,
    pub title: String,
    pub summary: String,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    pub cycle_id: Option<i64>,
    pub kind: Option<ProposalKind>,
    pub organization_id: Option<i64>,
    pub province: Option<String>,
    pub commune: Option<String>,
    pub state: Option<ProposalState>,
}

crate::rows::from_rows! {
    /// How many proposals of a kind are in a state.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct ProposalCount {
        pub kind: ProposalKind as text,
        pub state: ProposalState as text,
        pub count: i64,
    }
}

crate::rows::from_rows! {
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    pub struct Support {
        pub id: i64,
        pub plan_id: i64,
        pub kind: SupportKind as text,
        pub description: String,
        pub amount_vnd: Option<i64>,
        pub given_on: NaiveDate,
        pub created_at: DateTime<Utc>,
    }
}

#[derive(Debug, Clone)]
pub struct NewSupport {
    pub plan_id: i64,
    pub kind: SupportKind,
    pub description: String,
    pub amount_vnd: Option<i64>,
    pub given_on: NaiveDate,
    pub recorded_by: Option<i64>,
}

/// Who screens a proposal, and how.
#[derive(Debug, Clone)]
pub struct Screening<'a> {
    pub decision: Decision,
    pub reason: Option<&'a str>,
    pub role: Role,
    pub decided_by: Option<i64>,
}

#[async_trait]
pub trait CycleStore {
    /// A second cycle for the same province and year is `Conflict("year")`.
    async fn create_cycle(&self, new: &NewCycle, audit: &AuditEntry) -> Result<Cycle>;
    /// Newest year first; one province's, or all.
    async fn cycles(&self, province: Option<&str>) -> Result<Vec<Cycle>>;
    async fn cycle(&self, id: i64) -> Result<Option<Cycle>>;
    async fn create_proposal(&self, new: &NewProposal, audit: &AuditEntry) -> Result<Proposal>;
    async fn proposal(&self, id: i64) -> Result<Option<Proposal>>;
    /// Newest first, at most 1,000.
    async fn proposals(&self, filter: &ProposalFilter) -> Result<Vec<Proposal>>;
    /// How many proposals the filter matches per kind and state, all of them (the filter's own
    /// kind and state are ignored).
    async fn proposal_counts(&self, filter: &ProposalFilter) -> Result<Vec<ProposalCount>>;
    /// Accept, return or reject a proposal, as `ocop_domain::cycle` allows from its state;
    /// otherwise `Proposal(refusal)`.
    async fn screen_proposal(
        &self,
        id: i64,
        screening: &Screening<'_>,
        audit: &AuditEntry,
    ) -> Result<Proposal>;
    /// A returned proposal, changed and submitted again.
    async fn resubmit_proposal(
        &self,
        id: i64,
        title: &str,
        summary: &str,
        role: Role,
        audit: &AuditEntry,
    ) -> Result<Proposal>;
    /// Support for an accepted plan.
    async fn add_support(
        &self,
        new: &NewSupport,
        role: Role,
        audit: &AuditEntry,
    ) -> Result<Support>;
    /// Oldest first.
    async fn supports(&self, plan_id: i64) -> Result<Vec<Support>>;
}

pub(crate) const PROPOSAL_SELECT: &str = "SELECT p.id, p.kind, p.cycle_id, p.organization_id, o.name AS organization_name, \
    o.province_code, o.commune_code, p.idea_id, p.title, p.summary, p.state, p.reason, p.decided_at, p.created_at, \
    p.updated_at FROM proposals p JOIN organizations o ON o.id = p.organization_id";

pub(crate) const CYCLE_COLUMNS: &str = "id, province_code, year, theme, steps, created_at";
pub(crate) const SUPPORT_COLUMNS: &str =
    "id, plan_id, kind, description, amount_vnd, given_on, created_at";

macro_rules! impl_cycle_store {
    ($store:ty, $backend:expr) => {
        impl $store {
            /// A proposal read inside a change: PostgreSQL locks its row for the transaction;
            /// SQLite's BEGIN IMMEDIATE already holds the only write lock.
            async fn proposal_in<'e, E>(exec: E, id: i64) -> $crate::Result<$crate::Proposal>
            where
                E: sqlx::Executor<'e, Database = <Self as $crate::backends::HasDb>::Db>,
            {
                let lock = if $backend == $crate::Backend::Postgres { " FOR UPDATE OF p" } else { "" };
                let sql = format!("{} WHERE p.id = $1{lock}", $crate::cycles::PROPOSAL_SELECT);
                sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(exec)
                    .await?
                    .ok_or($crate::StoreError::NotFound)
            }
        }

        #[async_trait::async_trait]
        impl $crate::CycleStore for $store {
            async fn create_cycle(&self, new: &$crate::NewCycle, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Cycle> {
                let steps = serde_json::to_string(new.calendar.starts()).unwrap_or_else(|_| "[]".into());
                let mut tx = self.write_tx().await?;
                let sql = format!(
                    "INSERT INTO cycles (province_code, year, theme, steps, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {}",
                    $crate::cycles::CYCLE_COLUMNS
                );
                let row: $crate::cycles::CycleRow = sqlx::query_as(&sql)
                    .bind(&new.province_code)
                    .bind(new.calendar.year())
                    .bind(&new.theme)
                    .bind(steps)
                    .bind(new.created_by)
                    .bind(chrono::Utc::now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| $crate::error::classify(e, "year", "province"))?;
                let c = $crate::Cycle::try_from(row)?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("cycle:{}", c.id));
                tx.commit().await?;
                Ok(c)
            }

            async fn cycles(&self, province: Option<&str>) -> $crate::Result<Vec<$crate::Cycle>> {
                let sql = format!(
                    "SELECT {} FROM cycles WHERE ($1 IS NULL OR province_code = $1) ORDER BY year DESC, id DESC",
                    $crate::cycles::CYCLE_COLUMNS
                );
                let rows: Vec<$crate::cycles::CycleRow> =
                    sqlx::query_as(&sql).bind(province).fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map($crate::Cycle::try_from).collect::<Result<_, _>>()?)
            }

            async fn cycle(&self, id: i64) -> $crate::Result<Option<$crate::Cycle>> {
                let sql = format!("SELECT {} FROM cycles WHERE id = $1", $crate::cycles::CYCLE_COLUMNS);
                let row: Option<$crate::cycles::CycleRow> =
                    sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok(row.map($crate::Cycle::try_from).transpose()?)
            }

            async fn create_proposal(&self, new: &$crate::NewProposal, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Proposal> {
                let mut tx = self.write_tx().await?;
                let now = chrono::Utc::now();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO proposals (kind, cycle_id, organization_id, idea_id, title, summary, state, created_by, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                )
                .bind(new.kind.as_str())
                .bind(new.cycle_id)
                .bind(new.organization_id)
                .bind(new.idea_id)
                .bind(&new.title)
                .bind(&new.summary)
                .bind(ocop_domain::cycle::ProposalState::Submitted.as_str())
                .bind(new.created_by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "proposal", "cycle, organization or idea"))?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("{}:{id}", new.kind));
                let p = Self::proposal_in(&mut *tx, id).await?;
                tx.commit().await?;
                Ok(p)
            }

            async fn proposal(&self, id: i64) -> $crate::Result<Option<$crate::Proposal>> {
                let sql = format!("{} WHERE p.id = $1", $crate::cycles::PROPOSAL_SELECT);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn proposals(&self, f: &$crate::ProposalFilter) -> $crate::Result<Vec<$crate::Proposal>> {
                let sql = format!(
                    "{} WHERE ($1 IS NULL OR p.cycle_id = $1) AND ($2 IS NULL OR p.kind = $2) \
                     AND ($3 IS NULL OR p.organization_id = $3) AND ($4 IS NULL OR o.province_code = $4) \
                     AND ($5 IS NULL OR o.commune_code = $5) AND ($6 IS NULL OR p.state = $6) \
                     ORDER BY p.created_at DESC, p.id DESC LIMIT 1000",
                    $crate::cycles::PROPOSAL_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(f.cycle_id)
                    .bind(f.kind.map(|k| k.as_str()))
                    .bind(f.organization_id)
                    .bind(f.province.as_deref())
                    .bind(f.commune.as_deref())
                    .bind(f.state.map(|s| s.as_str()))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn proposal_counts(&self, f: &$crate::ProposalFilter) -> $crate::Result<Vec<$crate::ProposalCount>> {
                Ok(sqlx::query_as(
                    "SELECT p.kind, p.state, COUNT(*) AS count FROM proposals p JOIN organizations o ON o.id = p.organization_id \
                     WHERE ($1 IS NULL OR p.cycle_id = $1) AND ($2 IS NULL OR p.organization_id = $2) \
                     AND ($3 IS NULL OR o.province_code = $3) AND ($4 IS NULL OR o.commune_code = $4) \
                     GROUP BY p.kind, p.state ORDER BY p.kind, p.state",
                )
                .bind(f.cycle_id)
                .bind(f.organization_id)
                .bind(f.province.as_deref())
                .bind(f.commune.as_deref())
                .fetch_all(&self.pool)
                .await?)
            }

            async fn screen_proposal(
                &self,
                id: i64,
                s: &$crate::Screening<'_>,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Proposal> {
                use ocop_domain::cycle::ProposalStep;
                let mut tx = self.write_tx().await?;
                let p = Self::proposal_in(&mut *tx, id).await?;
                let state = p.state.after(p.kind, ProposalStep::Screen(s.decision), s.role)?;
                let reason = s.decision.reason(s.reason)?;
                let now = chrono::Utc::now();
                sqlx::query(
                    "UPDATE proposals SET state = $2, reason = $3, decided_by = $4, decided_at = $5, updated_at = $5 \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(state.as_str())
                .bind(reason)
                .bind(s.decided_by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let p = Self::proposal_in(&mut *tx, id).await?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("{}:{id}", p.kind));
                tx.commit().await?;
                Ok(p)
            }

            async fn resubmit_proposal(
                &self,
                id: i64,
                title: &str,
                summary: &str,
                role: ocop_domain::Role,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Proposal> {
                use ocop_domain::cycle::ProposalStep;
                let mut tx = self.write_tx().await?;
                let p = Self::proposal_in(&mut *tx, id).await?;
                let state = p.state.after(p.kind, ProposalStep::Resubmit, role)?;
                // The earlier decision no longer stands: the proposal waits for screening again.
                sqlx::query(
                    "UPDATE proposals SET state = $2, title = $3, summary = $4, updated_at = $5, \
                     reason = NULL, decided_by = NULL, decided_at = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(state.as_str())
                .bind(title)
                .bind(summary)
                .bind(chrono::Utc::now())
                .execute(&mut *tx)
                .await?;
                let p = Self::proposal_in(&mut *tx, id).await?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("{}:{id}", p.kind));
                tx.commit().await?;
                Ok(p)
            }

            async fn add_support(
                &self,
                new: &$crate::NewSupport,
                role: ocop_domain::Role,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Support> {
                use ocop_domain::cycle::ProposalStep;
                let mut tx = self.write_tx().await?;
                let plan = Self::proposal_in(&mut *tx, new.plan_id).await?;
                plan.state.after(plan.kind, ProposalStep::Support, role)?;
                let sql = format!(
                    "INSERT INTO plan_support (plan_id, kind, description, amount_vnd, given_on, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {}",
                    $crate::cycles::SUPPORT_COLUMNS
                );
                let s: $crate::Support = sqlx::query_as(&sql)
                    .bind(new.plan_id)
                    .bind(new.kind.as_str())
                    .bind(&new.description)
                    .bind(new.amount_vnd)
                    .bind(new.given_on)
                    .bind(new.recorded_by)
                    .bind(chrono::Utc::now())
                    .fetch_one(&mut *tx)
                    .await?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("plan:{}", new.plan_id));
                tx.commit().await?;
                Ok(s)
            }

            async fn supports(&self, plan_id: i64) -> $crate::Result<Vec<$crate::Support>> {
                let sql = format!(
                    "SELECT {} FROM plan_support WHERE plan_id = $1 ORDER BY given_on, id",
                    $crate::cycles::SUPPORT_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(plan_id).fetch_all(&self.pool).await?)
            }
        }
    };
}
pub(crate) use impl_cycle_store;
