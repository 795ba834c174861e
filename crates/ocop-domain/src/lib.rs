//! The OCOP programme's rules as pure types and functions.
//!
//! Nothing here touches a database, the network or the clock: callers pass `now` in.

pub mod access;
pub mod certificate;
pub mod criteria;
pub mod cycle;
pub mod documents;
pub mod evaluation;
pub mod gs1;
pub mod locality;
pub mod named;
pub mod organization;
pub mod product_code;
pub mod registry;
pub mod role;
pub mod stamps;
pub mod text;
pub mod time;
pub mod user;
pub mod verify;

pub use access::{Actor, Scope};
pub use criteria::{criteria_set, criteria_sets, BadCriteriaSet, CriteriaSetInfo};
pub use gs1::{BadGs1Key, Gln, Gtin};
pub use locality::{Locality, LocalityCode, LocalityKind};
pub use organization::OrganizationKind;
pub use product_code::{BadProductCode, ProductCode};
pub use registry::{
    BadName, BadPhoneNumber, BadStandardCode, BadTaxCode, KeyLevel, OrganizationName, PhoneNumber,
    ProductName, ProductStatus, StandardCode, StandardKind, TaxCode,
};
pub use role::Role;
pub use user::{Email, Password, PersonName};
