//! Web pages of the evaluation (dossiers): see the module's files.

use crate::app::AppState;
use axum::Router;

/// This part's pages, merged into the web router (with its error pages and CSRF checks).
pub fn routes() -> Router<AppState> {
    Router::new()
}
