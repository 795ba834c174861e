//! Stamp codes and their keys (DESIGN §4). This crate does no I/O beyond writers.

pub mod code;
pub mod derive;
pub mod keys;
pub mod url;

pub use code::{CodeError, StampCode, CODE_LEN, MAX_SERIAL};
pub use derive::{CodeBook, DeriveError, Pin, Signer};
pub use keys::{KeyRing, KeyRingError, StampKey};
pub use url::{digital_link_url, stamp_url};
