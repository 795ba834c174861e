//! Evaluation: councils' rounds and their members, dossiers moving through
//! `ocop_domain::evaluation`'s states, members' score sheets, and certificates issued from a
//! recognition (and revoked).

use crate::{AuditEntry, Certificate, NewCertificate, Result};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::evaluation::{CouncilRole, DossierKind, DossierState, Step};
use ocop_domain::Role;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seat {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: CouncilRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    pub id: i64,
    /// "province" or "central".
    pub level: String,
    pub province_code: Option<String>,
    pub name: String,
    pub held_by: NaiveDate,
    pub members: Vec<Seat>,
    pub created_at: DateTime<Utc>,
}

impl Round {
    pub fn is_central(&self) -> bool {
        self.level == "central"
    }

    pub fn seat(&self, user_id: i64) -> Option<&Seat> {
        self.members.iter().find(|s| s.user_id == user_id)
    }
}

#[derive(Debug, Clone)]
pub struct NewRound {
    pub province_code: Option<String>,
    pub name: String,
    pub held_by: NaiveDate,
    pub members: Vec<(i64, CouncilRole)>,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dossier {
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub product_code: String,
    pub criteria_set: i32,
    pub organization_id: i64,
    pub organization_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub kind: DossierKind,
    pub state: DossierState,
    /// Form 02: `{"answers":{…one member sheet…}, "evidence":{"1.1":"…"}}`.
    pub self_assessment: serde_json::Value,
    /// Form 03.
    pub commune_report: Option<serde_json::Value>,
    pub submitted_on: Option<NaiveDate>,
    pub commune_due_on: Option<NaiveDate>,
    pub return_reason: Option<String>,
    pub return_due_on: Option<NaiveDate>,
    pub round_id: Option<i64>,
    pub round_is_central: bool,
    /// The last consolidated result (`ocop criteria score`'s JSON).
    pub result: Option<serde_json::Value>,
    pub total: Option<f64>,
    pub stars: Option<i32>,
    pub certificate_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewDossier {
    pub product_id: i64,
    pub kind: DossierKind,
    pub self_assessment: serde_json::Value,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    pub province: Option<String>,
    pub commune: Option<String>,
    pub organization_id: Option<i64>,
    pub product_id: Option<i64>,
    pub round_id: Option<i64>,
    pub state: Option<DossierState>,
    /// Only dossiers in rounds this user sits on (a council member's list).
    pub member: Option<i64>,
    /// A page of the list: at most `limit` rows (default and most 1,000) after `offset`.
    pub limit: Option<i64>,
    pub offset: i64,
}

/// A step with what it records.
#[derive(Debug, Clone)]
pub struct Move {
    pub step: Step,
    pub role: Role,
    pub today: NaiveDate,
    pub return_reason: Option<String>,
    pub return_due_on: Option<NaiveDate>,
    pub commune_report: Option<serde_json::Value>,
    pub round_id: Option<i64>,
    /// For `Consolidate`: the result JSON, its total and stars (None: not ranked).
    pub result: Option<(serde_json::Value, f64, Option<u8>)>,
    /// For `Recognize`.
    pub certificate: Option<NewCertificate>,
}

impl Move {
    pub fn new(step: Step, role: Role, today: NaiveDate) -> Move {
        Move {
            step,
            role,
            today,
            return_reason: None,
            return_due_on: None,
            commune_report: None,
            round_id: None,
            result: None,
            certificate: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSheet {
    pub id: i64,
    pub dossier_id: i64,
    pub round_id: i64,
    pub user_id: i64,
    pub user_name: String,
    /// One member's answers (criterion code → answer), as `ocop_domain::criteria::answers` reads.
    pub answers: serde_json::Value,
    pub notes: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A file attached as evidence for one criterion of a dossier's Form 02.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub dossier_id: i64,
    pub criterion: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub dossier_id: i64,
    pub criterion: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_by: Option<i64>,
}

/// Certificates by their products' place or organization, expiring within a span.
#[derive(Debug, Clone)]
pub struct CertificateFilter {
    pub province: Option<String>,
    pub commune: Option<String>,
    pub organization_id: Option<i64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[async_trait]
pub trait DossierStore {
    /// Rejects members who are not users (`MissingReference("user")`).
    async fn create_round(&self, new: &NewRound, audit: &AuditEntry) -> Result<Round>;
    async fn round(&self, id: i64) -> Result<Option<Round>>;
    /// Newest first: one province's rounds (and central ones when `central` is set), or
    /// those a user sits on.
    async fn rounds(
        &self,
        province: Option<&str>,
        central: bool,
        member: Option<i64>,
    ) -> Result<Vec<Round>>;
    async fn create_dossier(&self, new: &NewDossier, audit: &AuditEntry) -> Result<Dossier>;
    async fn dossier(&self, id: i64) -> Result<Option<Dossier>>;
    /// Newest first, one page (see [`DossierFilter::limit`]).
    async fn dossiers(&self, filter: &DossierFilter) -> Result<Vec<Dossier>>;
    /// How many dossiers the filter matches, all pages together.
    async fn count_dossiers(&self, filter: &DossierFilter) -> Result<i64>;
    /// Form 02 while the dossier is a draft or returned; otherwise `Refused`.
    async fn update_self_assessment(
        &self,
        id: i64,
        form: &serde_json::Value,
        audit: &AuditEntry,
    ) -> Result<Dossier>;
    /// Applies a step under the domain's rules (`StoreError::Step` when refused), recording
    /// what it carries, in one transaction with its audit entry. `Consolidate` needs every
    /// council member's submitted sheet; `Recognize` issues the certificate.
    async fn move_dossier(&self, id: i64, step: &Move, audit: &AuditEntry) -> Result<Dossier>;
    /// Saves (and with `submit`, hands in) a council member's sheet for a dossier in its
    /// round. A handed-in sheet no longer changes.
    async fn save_score_sheet(
        &self,
        dossier_id: i64,
        user_id: i64,
        answers: &serde_json::Value,
        notes: Option<&str>,
        submit: bool,
        audit: &AuditEntry,
    ) -> Result<ScoreSheet>;
    /// The sheets of a dossier in a round, in council order.
    async fn score_sheets(&self, dossier_id: i64, round_id: i64) -> Result<Vec<ScoreSheet>>;
    async fn certificate(&self, id: i64) -> Result<Option<Certificate>>;
    async fn certificate_by_number(&self, number: &str) -> Result<Option<Certificate>>;
    /// The council's mean total behind a certificate, when a dossier here issued it.
    async fn certificate_score(&self, certificate_id: i64) -> Result<Option<f64>>;
    /// Revocation with the grounds of its decision; a revoked certificate is `Refused`.
    async fn revoke_certificate(
        &self,
        id: i64,
        on: NaiveDate,
        grounds: &str,
        audit: &AuditEntry,
    ) -> Result<Certificate>;
    /// Evidence for Form 02, while the dossier is a draft or returned; otherwise `Refused`.
    async fn add_evidence(&self, new: &NewEvidence, audit: &AuditEntry) -> Result<Evidence>;
    /// A dossier's evidence, by criterion in upload order.
    async fn evidence(&self, dossier_id: i64) -> Result<Vec<Evidence>>;
    /// Unrevoked certificates expiring between the two days (inclusive) of products within the
    /// filter, soonest first.
    async fn certificates_expiring(&self, filter: &CertificateFilter) -> Result<Vec<Certificate>>;
}

pub(crate) const DOSSIER_SELECT: &str = "SELECT d.id, d.product_id, p.name AS product_name, p.code AS product_code, \
    p.criteria_set, p.organization_id, o.name AS organization_name, p.province_code, p.commune_code, d.kind, d.state, \
    d.self_assessment, d.commune_report, d.submitted_on, d.commune_due_on, d.return_reason, d.return_due_on, d.round_id, \
    r.level AS round_level, d.result, d.total, d.stars, d.certificate_id, d.created_at, d.updated_at \
    FROM dossiers d JOIN products p ON p.id = d.product_id JOIN organizations o ON o.id = p.organization_id \
    LEFT JOIN rounds r ON r.id = d.round_id";

pub(crate) fn json_column(
    text: Option<String>,
) -> std::result::Result<Option<serde_json::Value>, sqlx::Error> {
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| sqlx::Error::Decode(format!("JSON column: {e}").into()))
    })
    .transpose()
}

pub(crate) fn parsed<T: std::str::FromStr>(text: String) -> std::result::Result<T, sqlx::Error>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e: T::Err| sqlx::Error::Decode(e.to_string().into()))
}

macro_rules! dossier_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        let level: Option<String> = r.try_get("round_level")?;
        $crate::Dossier {
            id: r.try_get("id")?,
            product_id: r.try_get("product_id")?,
            product_name: r.try_get("product_name")?,
            product_code: r.try_get("product_code")?,
            criteria_set: r.try_get("criteria_set")?,
            organization_id: r.try_get("organization_id")?,
            organization_name: r.try_get("organization_name")?,
            province_code: r.try_get("province_code")?,
            commune_code: r.try_get("commune_code")?,
            kind: $crate::dossiers::parsed(r.try_get("kind")?)?,
            state: $crate::dossiers::parsed(r.try_get("state")?)?,
            self_assessment: $crate::dossiers::json_column(r.try_get("self_assessment")?)?
                .unwrap_or_default(),
            commune_report: $crate::dossiers::json_column(r.try_get("commune_report")?)?,
            submitted_on: r.try_get("submitted_on")?,
            commune_due_on: r.try_get("commune_due_on")?,
            return_reason: r.try_get("return_reason")?,
            return_due_on: r.try_get("return_due_on")?,
            round_id: r.try_get("round_id")?,
            round_is_central: level.as_deref() == Some("central"),
            result: $crate::dossiers::json_column(r.try_get("result")?)?,
            total: r.try_get("total")?,
            stars: r.try_get("stars")?,
            certificate_id: r.try_get("certificate_id")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        }
    }};
}
pub(crate) use dossier_from_row;

macro_rules! sheet_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::ScoreSheet {
            id: r.try_get("id")?,
            dossier_id: r.try_get("dossier_id")?,
            round_id: r.try_get("round_id")?,
            user_id: r.try_get("user_id")?,
            user_name: r.try_get("user_name")?,
            answers: $crate::dossiers::json_column(r.try_get("answers")?)?.unwrap_or_default(),
            notes: r.try_get("notes")?,
            submitted_at: r.try_get("submitted_at")?,
            updated_at: r.try_get("updated_at")?,
        }
    }};
}
pub(crate) use sheet_from_row;

pub(crate) const SHEET_SELECT: &str =
    "SELECT s.id, s.dossier_id, s.round_id, s.user_id, u.name AS user_name, s.answers, \
    s.notes, s.submitted_at, s.updated_at FROM score_sheets s JOIN users u ON u.id = s.user_id";

pub(crate) const EVIDENCE_COLUMNS: &str =
    "id, dossier_id, criterion, file_name, content_type, size_bytes, sha256, created_at";

macro_rules! evidence_from_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = &$row;
        $crate::Evidence {
            id: r.try_get("id")?,
            dossier_id: r.try_get("dossier_id")?,
            criterion: r.try_get("criterion")?,
            file_name: r.try_get("file_name")?,
            content_type: r.try_get("content_type")?,
            size_bytes: r.try_get("size_bytes")?,
            sha256: r.try_get("sha256")?,
            created_at: r.try_get("created_at")?,
        }
    }};
}
pub(crate) use evidence_from_row;

/// The conditions of a [`DossierFilter`] over `dossiers d` joined to `products p`, bound in
/// order by [`bind_filter!`].
pub(crate) const DOSSIER_WHERE: &str = "($1 IS NULL OR p.province_code = $1) AND ($2 IS NULL OR p.commune_code = $2) \
    AND ($3 IS NULL OR p.organization_id = $3) AND ($4 IS NULL OR d.product_id = $4) \
    AND ($5 IS NULL OR d.round_id = $5) AND ($6 IS NULL OR d.state = $6) \
    AND ($7 IS NULL OR d.round_id IN (SELECT c.round_id FROM council_members c WHERE c.user_id = $7))";

macro_rules! bind_filter {
    ($query:expr, $f:expr) => {{
        let f: &$crate::DossierFilter = $f;
        $query
            .bind(f.province.as_deref())
            .bind(f.commune.as_deref())
            .bind(f.organization_id)
            .bind(f.product_id)
            .bind(f.round_id)
            .bind(f.state.map(|s| s.as_str()))
            .bind(f.member)
    }};
}
pub(crate) use bind_filter;
