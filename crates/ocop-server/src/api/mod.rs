//! The JSON API under `/api/v1`. Each route is registered together with its OpenAPI
//! description, so the document cannot miss a route.

pub mod audit;
pub mod criteria;
pub mod extract;
pub mod localities;
pub mod organizations;
pub mod products;
pub mod users;

use crate::app::AppState;
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
}
