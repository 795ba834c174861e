//! The server's one integration-test binary (linking is slow on two cores).
//!
//! Every test gets its own database: SQLite in a temporary directory, or a fresh PostgreSQL
//! database when `OCOP_TEST_POSTGRES_URL` is set.

mod api_documents;
mod api_evaluation;
mod api_localities;
mod api_registry;
mod api_sheets;
mod api_stamps;
mod api_users;
mod api_verify;
mod browser;
mod catalog;
mod cli;
mod findings;
mod openapi;
mod security;
mod support;
mod web;
mod web_cycles;
mod web_dossiers;
mod web_import;
mod web_registry;
mod web_stamps;
mod web_verify;
