//! The OCOP cycle and evaluation: scoring on the criteria sets (pure, in `ocop_domain::criteria`),
//! and the command line over it.

pub mod cli;
