//! Stamp codes and their keys (DESIGN §4). This crate does no I/O beyond writers.

pub mod keys;

pub use keys::{KeyRing, KeyRingError, StampKey};
