//! Web pages of the yearly cycle: `/cycles` (a province's cycles and their six steps),
//! `/cycles/{id}` (its ideas and plans, and the forms to submit them), `/ideas/{id}` and
//! `/plans/{id}` (one proposal: screening, resubmission and, for plans, the support given).
//!
//! Every rule and scope check lives in [`crate::evaluation::cycles`]; these handlers turn typed
//! text into its inputs and its answers (or refusals) into pages.

mod common;
mod cycle;
mod list;
mod proposal;

use crate::app::AppState;
use axum::routing::{get, post};
use axum::Router;

/// This part's pages, merged into the web router (with its error pages and CSRF checks).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cycles", get(list::show).post(list::open))
        .route("/cycles/{id}", get(cycle::show))
        .route("/cycles/{id}/ideas", post(cycle::submit_idea))
        .route("/cycles/{id}/plans", post(cycle::submit_plan))
        .route("/ideas/{id}", get(proposal::show_idea))
        .route("/plans/{id}", get(proposal::show_plan))
        .route("/ideas/{id}/screening", post(proposal::screen_idea))
        .route("/plans/{id}/screening", post(proposal::screen_plan))
        .route("/ideas/{id}/resubmission", post(proposal::resubmit_idea))
        .route("/plans/{id}/resubmission", post(proposal::resubmit_plan))
        .route("/plans/{id}/support", post(proposal::add_support))
}
