//! The `ocop` server: CLI, configuration, HTTP router, handlers, auth, views.
//!
//! Handlers stay thin: parse and authorize, call a rule in `ocop-domain` and the store, render.

pub mod api;
pub mod app;
pub mod auth;
pub mod bench_data;
pub mod cli;
pub mod commands;
pub mod demo;
pub mod demo_evaluation;
pub mod error;
pub mod evaluation;
pub mod files;
pub mod headers;
pub mod i18n;
pub mod i18n_cycles;
pub mod i18n_dossiers;
pub mod keyfile;
pub mod metrics;
pub mod openapi;
pub mod present;
pub mod registry;
pub mod routes;
pub mod stamps;
pub mod telemetry;
pub mod users;
pub mod verify;
pub mod web;

pub use app::{AppState, Config};
