//! Stamp codes and their keys (DESIGN §4). This crate does no I/O beyond writers.

pub mod code;
pub mod derive;
pub mod export;
pub mod keys;
pub mod print;
pub mod url;

pub use code::{CodeError, StampCode, CODE_LEN, MAX_SERIAL};
pub use derive::{CodeBook, DeriveError, Pin, Signer};
pub use export::{LinkForm, StampRun};
pub use keys::{KeyRing, KeyRingError, StampKey};
pub use url::{digital_link_url, stamp_url};
