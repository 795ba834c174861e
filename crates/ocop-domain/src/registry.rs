//! Attributes of the organizations and products in the OCOP registry, each parsed once at the edge.

mod key_level;
mod name;
mod phone;
mod product_status;
mod standard;
mod tax_code;

pub use key_level::{KeyLevel, UnknownKeyLevel};
pub use name::{BadName, OrganizationName, ProductName};
pub use phone::{BadPhoneNumber, PhoneNumber};
pub use product_status::{ProductStatus, UnknownProductStatus};
pub use standard::{BadStandardCode, StandardCode, StandardKind};
pub use tax_code::{BadTaxCode, TaxCode};
