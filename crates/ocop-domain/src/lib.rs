//! The OCOP programme's rules as pure types and functions.
//!
//! Nothing here touches a database, the network or the clock: callers pass `now` in.

pub mod access;
pub mod locality;
pub mod organization;
pub mod role;
pub mod user;

pub use access::{Actor, Scope};
pub use locality::{Locality, LocalityCode, LocalityKind};
pub use organization::OrganizationKind;
pub use role::Role;
pub use user::{Email, Password, PersonName};
