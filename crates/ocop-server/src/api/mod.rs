//! The JSON API under `/api/v1`. Each route is registered together with its OpenAPI
//! description, so the document cannot miss a route.

pub mod audit;
pub mod certificates;
pub mod criteria;
pub mod cycles;
pub mod documents;
pub mod dossiers;
pub mod extract;
pub mod localities;
pub mod organizations;
pub mod products;
pub mod sheets;
pub mod stamps;
pub mod users;
pub mod verify;

use crate::app::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(localities::list_localities))
        .routes(routes!(localities::get_locality))
        .routes(routes!(users::me))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::get_user, users::update_user))
        .routes(routes!(users::reset_password))
        .routes(routes!(audit::list_audit))
        .routes(routes!(criteria::list_criteria_sets))
        .routes(routes!(criteria::get_criteria_set))
        .routes(routes!(criteria::score_on_set))
        .routes(routes!(cycles::list_cycles, cycles::open_cycle))
        .routes(routes!(cycles::get_cycle))
        .routes(routes!(cycles::submit_idea))
        .routes(routes!(cycles::list_ideas))
        .routes(routes!(cycles::get_idea))
        .routes(routes!(cycles::screen_idea))
        .routes(routes!(cycles::resubmit_idea))
        .routes(routes!(cycles::submit_plan))
        .routes(routes!(cycles::list_plans))
        .routes(routes!(cycles::get_plan))
        .routes(routes!(cycles::screen_plan))
        .routes(routes!(cycles::resubmit_plan))
        .routes(routes!(cycles::add_support))
        .routes(routes!(dossiers::list_rounds, dossiers::create_round))
        .routes(routes!(dossiers::get_round))
        .routes(routes!(dossiers::round_ranking))
        .routes(routes!(dossiers::download_evidence))
        .routes(routes!(dossiers::list_dossiers, dossiers::create_dossier))
        .routes(routes!(dossiers::get_dossier))
        .routes(routes!(dossiers::save_self_assessment))
        .routes(routes!(dossiers::save_sheet))
        .routes(routes!(dossiers::list_sheets))
        .routes(routes!(dossiers::take_step))
        .routes(routes!(certificates::revoke_certificate))
        .routes(routes!(certificates::expiring_certificates))
        .routes(routes!(
            organizations::list_organizations,
            organizations::create_organization
        ))
        .routes(routes!(
            organizations::get_organization,
            organizations::update_organization
        ))
        .routes(routes!(products::list_products, products::create_product))
        .routes(routes!(products::get_product, products::update_product))
        .routes(routes!(documents::download_document))
        .routes(routes!(
            certificates::record_certificate,
            certificates::list_certificates
        ))
        .routes(routes!(sheets::export_organizations))
        .routes(routes!(sheets::export_products))
        .routes(routes!(sheets::import_template))
        .routes(routes!(stamps::list_lots, stamps::create_lot))
        .routes(routes!(stamps::list_batches, stamps::issue_batch))
        .routes(routes!(stamps::get_batch))
        .routes(routes!(stamps::activate))
        .routes(routes!(stamps::void))
        .routes(routes!(stamps::export_batch))
        .routes(routes!(verify::verify))
        .routes(routes!(verify::check_pin))
        .routes(routes!(verify::list_reports, verify::create_report))
        .routes(routes!(verify::list_alerts))
        .routes(routes!(verify::change_alert))
        .routes(routes!(verify::product_scans))
        .routes(routes!(verify::recall_lot))
        .merge(uploads())
}

/// Routes that take files get a larger body limit than the rest of the API.
fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            documents::attach_to_organization,
            documents::organization_documents
        ))
        .routes(routes!(
            documents::attach_to_product,
            documents::product_documents
        ))
        .routes(routes!(sheets::import))
        .routes(routes!(dossiers::attach_evidence, dossiers::list_evidence))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
}

/// A 10 MB document plus the multipart framing around it.
pub const UPLOAD_BODY_LIMIT: usize = ocop_domain::documents::MAX_DOCUMENT_BYTES + 64 * 1024;
