//! Who is calling: passwords, sessions, API tokens, CSRF and sign-in rate limits.

pub mod csrf;
pub mod extract;
pub mod limits;
pub mod password;
pub mod secrets;
pub mod session;

pub use extract::{ApiUser, WebUser};
