//! Records as the store hands them out.

use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::registry::{KeyLevel, ProductStatus};
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
    pub representative: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub gln: Option<String>,
    /// When the organization signed its food-safety commitment.
    pub food_safety_signed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Everything about an organization that people enter; written whole on create and update.
/// The server has checked each value (names, codes, phone, e-mail) before it gets here.
#[derive(Debug, Clone)]
pub struct OrganizationFields {
    pub name: String,
    pub kind: OrganizationKind,
    pub commune: LocalityCode,
    pub province: LocalityCode,
    pub tax_code: Option<String>,
    pub address: Option<String>,
    pub representative: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub gln: Option<String>,
    pub food_safety_signed_on: Option<NaiveDate>,
}

/// Which organizations to list. `q` is what the user typed: matched without diacritics.
#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    pub q: Option<String>,
    pub province: Option<LocalityCode>,
    pub commune: Option<LocalityCode>,
    /// Only this one (a producer's view).
    pub id: Option<i64>,
    pub kind: Option<OrganizationKind>,
    pub limit: i64,
    pub offset: i64,
}

/// One page of a longer list, with the size of the whole list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub id: i64,
    /// `Province-Commune-Sequence-Year`, assigned when the product is registered.
    pub code: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub name: String,
    pub criteria_set: i32,
    pub description: Option<String>,
    /// GTIN-14.
    pub gtin: Option<String>,
    pub standard_code: Option<String>,
    pub standard_declared_on: Option<NaiveDate>,
    pub food_safety_certificate: Option<String>,
    pub food_safety_expires_on: Option<NaiveDate>,
    pub key_level: Option<KeyLevel>,
    pub status: ProductStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Everything about a product that people enter; its place comes from its organization.
#[derive(Debug, Clone)]
pub struct ProductFields {
    pub organization_id: i64,
    pub name: String,
    pub criteria_set: i32,
    pub description: Option<String>,
    pub gtin: Option<String>,
    pub standard_code: Option<String>,
    pub standard_declared_on: Option<NaiveDate>,
    pub food_safety_certificate: Option<String>,
    pub food_safety_expires_on: Option<NaiveDate>,
    pub key_level: Option<KeyLevel>,
    pub status: ProductStatus,
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub q: Option<String>,
    pub province: Option<LocalityCode>,
    pub commune: Option<LocalityCode>,
    pub organization_id: Option<i64>,
    /// Any of these criteria sets (a product group is a set of criteria sets).
    pub criteria_sets: Vec<i32>,
    pub status: Option<ProductStatus>,
    pub key_level: Option<KeyLevel>,
    /// Only products whose valid certificate (on `today`) has this many stars.
    pub stars: Option<i32>,
    /// The day certificates are judged on (default: today).
    pub today: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    Organization,
    Product,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Organization => "organization",
            OwnerKind::Product => "product",
        }
    }
}

/// A file attached to an organization or product; the bytes live on disk under their SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: i64,
    pub owner_kind: OwnerKind,
    pub owner_id: i64,
    /// What the file is for, e.g. `photo`, `food_safety_commitment`, `standard`.
    pub purpose: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewDocument {
    pub owner_kind: OwnerKind,
    pub owner_id: i64,
    pub purpose: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_by: Option<i64>,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub id: i64,
    pub product_id: i64,
    pub number: String,
    pub stars: i32,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub revoked_on: Option<NaiveDate>,
    pub revocation_grounds: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Certificate {
    /// Where it stands on `today` (`ocop_domain::certificate::standing`).
    pub fn standing(&self, today: NaiveDate) -> ocop_domain::certificate::Standing {
        ocop_domain::certificate::standing(
            self.decided_on,
            self.expires_on,
            self.revoked_on.is_some(),
            today,
        )
    }

    /// Whether its stars may be shown on `today`.
    pub fn shows_stars(&self, today: NaiveDate) -> bool {
        self.standing(today) == ocop_domain::certificate::Standing::Valid
    }
}

#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub product_id: i64,
    pub number: String,
    pub stars: i32,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub recorded_by: Option<i64>,
}

/// A product as the public catalog shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogEntry {
    pub product_id: i64,
    pub code: String,
    pub name: String,
    pub organization_name: String,
    pub commune_name: String,
    pub province_name: String,
    /// The stars of a certificate valid on the day asked; `None` when there is none.
    pub stars: Option<i32>,
    /// The first photo of the product, if any.
    pub photo_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct CatalogFilter {
    pub q: Option<String>,
    pub province: Option<LocalityCode>,
    /// Certificates count as valid on this day (default: today).
    pub today: Option<NaiveDate>,
    /// Only products with a valid certificate.
    pub certified_only: bool,
    pub limit: i64,
    pub offset: i64,
}
