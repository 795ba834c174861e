//! The yearly cycle: a province's cycle with the dates of its six steps, producers' product
//! ideas and business plans (proposals) with their screening, and the support given to plans.

use crate::{AuditEntry, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cycle {
    pub id: i64,
    pub province_code: String,
    pub year: i32,
    pub theme: String,
    /// The start of each of the six steps, in order.
    pub steps: Vec<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewCycle {
    pub province_code: String,
    pub year: i32,
    pub theme: String,
    pub steps: Vec<NaiveDate>,
    pub created_by: Option<i64>,
}

/// A product idea (`kind` "idea") or a business plan ("plan").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub id: i64,
    pub kind: String,
    pub cycle_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub idea_id: Option<i64>,
    pub title: String,
    pub summary: String,
    /// submitted, accepted, returned or rejected.
    pub state: String,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewProposal {
    pub kind: &'static str,
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
    pub kind: Option<&'static str>,
    pub organization_id: Option<i64>,
    pub province: Option<String>,
    pub commune: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Support {
    pub id: i64,
    pub plan_id: i64,
    /// training, advice, loan or other.
    pub kind: String,
    pub description: String,
    pub amount_vnd: Option<i64>,
    pub given_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewSupport {
    pub plan_id: i64,
    pub kind: String,
    pub description: String,
    pub amount_vnd: Option<i64>,
    pub given_on: NaiveDate,
    pub recorded_by: Option<i64>,
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
    /// Newest first.
    async fn proposals(&self, filter: &ProposalFilter) -> Result<Vec<Proposal>>;
    /// How many proposals the filter matches per (kind, state), all of them (the filter's own
    /// kind and state are ignored).
    async fn proposal_counts(&self, filter: &ProposalFilter) -> Result<Vec<(String, String, i64)>>;
    /// Accept, return or reject a submitted proposal; anything else is `Refused`.
    async fn screen_proposal(
        &self,
        id: i64,
        state: &str,
        reason: Option<&str>,
        decided_by: Option<i64>,
        audit: &AuditEntry,
    ) -> Result<Proposal>;
    /// A returned proposal, changed and submitted again.
    async fn resubmit_proposal(
        &self,
        id: i64,
        title: &str,
        summary: &str,
        audit: &AuditEntry,
    ) -> Result<Proposal>;
    /// Support for an accepted plan; for anything else `Refused`.
    async fn add_support(&self, new: &NewSupport, audit: &AuditEntry) -> Result<Support>;
    /// Oldest first.
    async fn supports(&self, plan_id: i64) -> Result<Vec<Support>>;
}

pub(crate) const PROPOSAL_SELECT: &str = "SELECT p.id, p.kind, p.cycle_id, p.organization_id, o.name AS organization_name, \
    o.province_code, o.commune_code, p.idea_id, p.title, p.summary, p.state, p.reason, p.decided_at, p.created_at, \
    p.updated_at FROM proposals p JOIN organizations o ON o.id = p.organization_id";

macro_rules! proposal_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::Proposal {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            cycle_id: r.try_get("cycle_id")?,
            organization_id: r.try_get("organization_id")?,
            organization_name: r.try_get("organization_name")?,
            province_code: r.try_get("province_code")?,
            commune_code: r.try_get("commune_code")?,
            idea_id: r.try_get("idea_id")?,
            title: r.try_get("title")?,
            summary: r.try_get("summary")?,
            state: r.try_get("state")?,
            reason: r.try_get("reason")?,
            decided_at: r.try_get("decided_at")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        }
    }};
}
pub(crate) use proposal_from_row;

macro_rules! cycle_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let steps: String = r.try_get("steps")?;
        $crate::Cycle {
            id: r.try_get("id")?,
            province_code: r.try_get("province_code")?,
            year: r.try_get("year")?,
            theme: r.try_get("theme")?,
            steps: serde_json::from_str(&steps)
                .map_err(|e| sqlx::Error::Decode(format!("cycle steps: {e}").into()))?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use cycle_from_row;

macro_rules! support_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::Support {
            id: r.try_get("id")?,
            plan_id: r.try_get("plan_id")?,
            kind: r.try_get("kind")?,
            description: r.try_get("description")?,
            amount_vnd: r.try_get("amount_vnd")?,
            given_on: r.try_get("given_on")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use support_from_row;

pub(crate) const CYCLE_COLUMNS: &str = "id, province_code, year, theme, steps, created_at";
pub(crate) const SUPPORT_COLUMNS: &str =
    "id, plan_id, kind, description, amount_vnd, given_on, created_at";

/// After a conditional UPDATE of proposal `id` on `tx`: the proposal as it now is, audited and
/// committed; `NotFound`; or, when the condition did not hold, `Refused` naming its state.
macro_rules! commit_proposal_change {
    ($tx:ident, $id:expr, $changed:expr, $only:expr, $audit:expr) => {{
        let sql = format!("{} WHERE p.id = $1", $crate::cycles::PROPOSAL_SELECT);
        let row = sqlx::query(&sql)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let Some(row) = row else {
            return Err($crate::StoreError::NotFound);
        };
        let p = $crate::cycles::proposal_from_row!(row);
        if $changed == 0 {
            return Err($crate::StoreError::Refused(format!(
                "this {} is {}: {}",
                p.kind, p.state, $only
            )));
        }
        $crate::audit::insert_audit!(&mut *$tx, $audit, format!("{}:{}", p.kind, $id));
        $tx.commit().await?;
        Ok(p)
    }};
}
pub(crate) use commit_proposal_change;

macro_rules! impl_cycle_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::CycleStore for $store {
            async fn create_cycle(&self, new: &$crate::NewCycle, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Cycle> {
                let steps = serde_json::to_string(&new.steps).unwrap_or_else(|_| "[]".into());
                let mut tx = self.write_tx().await?;
                let sql = format!(
                    "INSERT INTO cycles (province_code, year, theme, steps, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {}",
                    $crate::cycles::CYCLE_COLUMNS
                );
                let row = sqlx::query(&sql)
                    .bind(&new.province_code)
                    .bind(new.year)
                    .bind(&new.theme)
                    .bind(steps)
                    .bind(new.created_by)
                    .bind(chrono::Utc::now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| $crate::error::classify(e, "year", "province"))?;
                let c = $crate::cycles::cycle_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("cycle:{}", c.id));
                tx.commit().await?;
                Ok(c)
            }

            async fn cycles(&self, province: Option<&str>) -> $crate::Result<Vec<$crate::Cycle>> {
                let sql = format!(
                    "SELECT {} FROM cycles WHERE ($1 IS NULL OR province_code = $1) ORDER BY year DESC, id DESC",
                    $crate::cycles::CYCLE_COLUMNS
                );
                let rows = sqlx::query(&sql).bind(province).fetch_all(&self.pool).await?;
                Ok($crate::decode_rows!(rows, $crate::cycles::cycle_from_row))
            }

            async fn cycle(&self, id: i64) -> $crate::Result<Option<$crate::Cycle>> {
                let sql = format!("SELECT {} FROM cycles WHERE id = $1", $crate::cycles::CYCLE_COLUMNS);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::cycles::cycle_from_row))
            }

            async fn create_proposal(&self, new: &$crate::NewProposal, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Proposal> {
                let mut tx = self.write_tx().await?;
                let now = chrono::Utc::now();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO proposals (kind, cycle_id, organization_id, idea_id, title, summary, state, created_by, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $8) RETURNING id",
                )
                .bind(new.kind)
                .bind(new.cycle_id)
                .bind(new.organization_id)
                .bind(new.idea_id)
                .bind(&new.title)
                .bind(&new.summary)
                .bind(new.created_by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::error::classify(e, "proposal", "cycle, organization or idea"))?;
                $crate::audit::insert_audit!(&mut *tx, audit, format!("{}:{id}", new.kind));
                let sql = format!("{} WHERE p.id = $1", $crate::cycles::PROPOSAL_SELECT);
                let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
                let p = $crate::cycles::proposal_from_row!(row);
                tx.commit().await?;
                Ok(p)
            }

            async fn proposal(&self, id: i64) -> $crate::Result<Option<$crate::Proposal>> {
                let sql = format!("{} WHERE p.id = $1", $crate::cycles::PROPOSAL_SELECT);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok($crate::decode_row!(row, $crate::cycles::proposal_from_row))
            }

            async fn proposals(&self, f: &$crate::ProposalFilter) -> $crate::Result<Vec<$crate::Proposal>> {
                let sql = format!(
                    "{} WHERE ($1 IS NULL OR p.cycle_id = $1) AND ($2 IS NULL OR p.kind = $2) \
                     AND ($3 IS NULL OR p.organization_id = $3) AND ($4 IS NULL OR o.province_code = $4) \
                     AND ($5 IS NULL OR o.commune_code = $5) AND ($6 IS NULL OR p.state = $6) \
                     ORDER BY p.created_at DESC, p.id DESC LIMIT 1000",
                    $crate::cycles::PROPOSAL_SELECT
                );
                let rows = sqlx::query(&sql)
                    .bind(f.cycle_id)
                    .bind(f.kind)
                    .bind(f.organization_id)
                    .bind(f.province.as_deref())
                    .bind(f.commune.as_deref())
                    .bind(f.state.as_deref())
                    .fetch_all(&self.pool)
                    .await?;
                Ok($crate::decode_rows!(rows, $crate::cycles::proposal_from_row))
            }

            async fn proposal_counts(&self, f: &$crate::ProposalFilter) -> $crate::Result<Vec<(String, String, i64)>> {
                Ok(sqlx::query_as(
                    "SELECT p.kind, p.state, COUNT(*) FROM proposals p JOIN organizations o ON o.id = p.organization_id \
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
                state: &str,
                reason: Option<&str>,
                decided_by: Option<i64>,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Proposal> {
                let mut tx = self.write_tx().await?;
                let now = chrono::Utc::now();
                let done = sqlx::query(
                    "UPDATE proposals SET state = $2, reason = $3, decided_by = $4, decided_at = $5, updated_at = $5 \
                     WHERE id = $1 AND state = 'submitted'",
                )
                .bind(id)
                .bind(state)
                .bind(reason)
                .bind(decided_by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                $crate::cycles::commit_proposal_change!(tx, id, done.rows_affected(), "only a submitted one is screened", audit)
            }

            async fn resubmit_proposal(
                &self,
                id: i64,
                title: &str,
                summary: &str,
                audit: &$crate::AuditEntry,
            ) -> $crate::Result<$crate::Proposal> {
                let mut tx = self.write_tx().await?;
                let done = sqlx::query(
                    "UPDATE proposals SET state = 'submitted', title = $2, summary = $3, updated_at = $4, \
                     reason = NULL, decided_by = NULL, decided_at = NULL WHERE id = $1 AND state = 'returned'",
                )
                .bind(id)
                .bind(title)
                .bind(summary)
                .bind(chrono::Utc::now())
                .execute(&mut *tx)
                .await?;
                $crate::cycles::commit_proposal_change!(tx, id, done.rows_affected(), "only a returned one is submitted again", audit)
            }

            async fn add_support(&self, new: &$crate::NewSupport, audit: &$crate::AuditEntry) -> $crate::Result<$crate::Support> {
                let mut tx = self.write_tx().await?;
                let plan: Option<(String, String)> =
                    sqlx::query_as("SELECT kind, state FROM proposals WHERE id = $1")
                        .bind(new.plan_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                match plan {
                    None => return Err($crate::StoreError::NotFound),
                    Some((kind, state)) if kind != "plan" || state != "accepted" => {
                        return Err($crate::StoreError::Refused(format!(
                            "support is recorded for accepted business plans; this is a {state} {kind}"
                        )))
                    }
                    Some(_) => {}
                }
                let sql = format!(
                    "INSERT INTO plan_support (plan_id, kind, description, amount_vnd, given_on, recorded_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {}",
                    $crate::cycles::SUPPORT_COLUMNS
                );
                let row = sqlx::query(&sql)
                    .bind(new.plan_id)
                    .bind(&new.kind)
                    .bind(&new.description)
                    .bind(new.amount_vnd)
                    .bind(new.given_on)
                    .bind(new.recorded_by)
                    .bind(chrono::Utc::now())
                    .fetch_one(&mut *tx)
                    .await?;
                let s = $crate::cycles::support_from_row!(row);
                $crate::audit::insert_audit!(&mut *tx, audit, format!("plan:{}", new.plan_id));
                tx.commit().await?;
                Ok(s)
            }

            async fn supports(&self, plan_id: i64) -> $crate::Result<Vec<$crate::Support>> {
                let sql = format!(
                    "SELECT {} FROM plan_support WHERE plan_id = $1 ORDER BY given_on, id",
                    $crate::cycles::SUPPORT_COLUMNS
                );
                let rows = sqlx::query(&sql).bind(plan_id).fetch_all(&self.pool).await?;
                Ok($crate::decode_rows!(rows, $crate::cycles::support_from_row))
            }
        }
    };
}
pub(crate) use impl_cycle_store;
