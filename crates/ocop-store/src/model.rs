//! Records as the store hands them out.

use chrono::{DateTime, Utc};
use ocop_domain::{Email, LocalityCode, OrganizationKind, PersonName, Role};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The locality the user was assigned (province or commune), as entered.
    pub locality_code: Option<String>,
    /// Derived from the assignment (or the organization) so scope checks need no join.
    pub province_code: Option<String>,
    pub commune_code: Option<String>,
    pub organization_id: Option<i64>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where a user works, fully resolved: the server fills the derived codes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserPlacement {
    pub locality: Option<LocalityCode>,
    pub province: Option<LocalityCode>,
    pub commune: Option<LocalityCode>,
    pub organization_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    pub placement: UserPlacement,
    pub password_hash: String,
}

/// The editable fields of a user; all are written together.
#[derive(Debug, Clone)]
pub struct UserUpdate {
    pub name: PersonName,
    pub role: Role,
    pub placement: UserPlacement,
    pub disabled: bool,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Only users of this province (an admin's view).
    pub province: Option<LocalityCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub kind: OrganizationKind,
    pub commune_code: String,
    pub province_code: String,
    pub tax_code: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    pub kind: OrganizationKind,
    pub commune: LocalityCode,
    pub province: LocalityCode,
    pub tax_code: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Who did what to which record. Written in the same transaction as the change it describes.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    /// The actor's e-mail, or "cli" / "system" when no user acted.
    pub actor_label: String,
    /// A snake_case verb such as `user_created`.
    pub action: &'static str,
    /// The record touched, e.g. `user:12`.
    pub target: String,
    /// The province the record belongs to, so a province's admins see their own log.
    pub province_code: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub province_code: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub province: Option<LocalityCode>,
    /// Return entries with an id below this (for paging back in time).
    pub before_id: Option<i64>,
    pub limit: i64,
}
