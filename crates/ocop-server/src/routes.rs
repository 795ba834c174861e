//! Every route of the server, in one place.

use crate::app::AppState;
use crate::{api, headers, metrics, openapi, web};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Forms and JSON bodies are small; uploads (later) get their own limit.
const BODY_LIMIT: usize = 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let (api, mut doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(api::router())
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    let doc = Arc::new(
        doc.to_pretty_json()
            .expect("the OpenAPI document serializes"),
    );

    let web = Router::new()
        .route("/", get(web::home::page))
        .route(
            "/sign-in",
            get(web::sign_in::form).post(web::sign_in::submit),
        )
        .route("/sign-out", post(web::sign_in::sign_out))
        .route("/lang/{code}", get(web::lang::switch))
        .route("/account", get(web::account::page))
        .route("/account/password", post(web::account::change_password))
        .route(
            "/admin/users",
            get(web::admin_users::list).post(web::admin_users::create),
        )
        .route("/admin/users/new", get(web::admin_users::new_form))
        .route(
            "/admin/users/{id}",
            get(web::admin_users::edit).post(web::admin_users::update),
        )
        .route(
            "/admin/users/{id}/password-reset",
            post(web::admin_users::reset_password),
        )
        .route("/admin/audit", get(web::audit::page))
        // registry
        .route(
            "/registry/organizations",
            get(web::organizations::list).post(web::organizations::create),
        )
        .route(
            "/registry/organizations/new",
            get(web::organizations::new_form),
        )
        .route(
            "/registry/organizations/{id}",
            get(web::organizations::show).post(web::organizations::update),
        )
        .route(
            "/registry/products",
            get(web::products::list).post(web::products::create),
        )
        .route("/registry/products/new", get(web::products::new_form))
        .route(
            "/registry/products/{id}",
            get(web::products::show).post(web::products::update),
        )
        // a product's lots and stamp batches
        .route(
            "/registry/products/{id}/stamps",
            get(web::stamps::product_stamps),
        )
        .route(
            "/registry/products/{id}/lots",
            post(web::stamps::create_lot),
        )
        .route(
            "/registry/products/{id}/stamp-batches",
            post(web::stamps::issue_batch),
        )
        .route("/stamp-batches/{id}", get(web::stamps::batch))
        .route(
            "/stamp-batches/{id}/activations",
            post(web::stamps::activate),
        )
        .route("/stamp-batches/{id}/voids", post(web::stamps::void))
        .route("/stamp-batches/{id}/export", get(web::stamps::download))
        .route("/registry/lots/{id}/recall", post(web::stamps::recall_lot))
        // the consumer page: what a scanned stamp says (HTML, or JSON by Accept)
        .route("/S/{code}", get(web::verify::scan))
        .route("/s/{code}", get(web::verify::scan))
        .route("/01/{gtin}/21/{code}", get(web::verify::digital_link))
        .route("/S/{code}/pin", post(web::verify::pin))
        .route("/s/{code}/pin", post(web::verify::pin))
        // what scans and shoppers tell producers and the office
        .route("/watch/alerts", get(web::watch::alerts))
        .route("/watch/alerts/{id}", post(web::watch::change_alert))
        .route("/watch/reports", get(web::watch::reports))
        .route("/watch/reports/{id}/photo", get(web::watch::report_photo))
        .route("/assets/{file}", get(web::assets::serve))
        // documents, imports, exports and the public catalog
        .route("/documents/{id}", get(web::documents::download))
        .route("/catalog", get(web::catalog::page))
        .route("/catalog/photos/{id}", get(web::catalog::photo))
        .route(
            "/registry/organizations.xlsx",
            get(web::sheets::organizations_xlsx),
        )
        .route(
            "/registry/organizations.csv",
            get(web::sheets::organizations_csv),
        )
        .route("/registry/products.xlsx", get(web::sheets::products_xlsx))
        .route("/registry/products.csv", get(web::sheets::products_csv))
        .route("/registry/import/commit", post(web::sheets::commit))
        .merge(
            Router::new()
                .route(
                    "/registry/organizations/{id}/documents",
                    post(web::documents::upload_for_organization),
                )
                .route(
                    "/registry/products/{id}/documents",
                    post(web::documents::upload_for_product),
                )
                .route(
                    "/registry/import",
                    get(web::sheets::form).post(web::sheets::check),
                )
                .route("/S/{code}/report", post(web::verify::report))
                .route("/s/{code}/report", post(web::verify::report))
                .layer(DefaultBodyLimit::max(api::UPLOAD_BODY_LIMIT)),
        )
        .merge(web::dossiers::routes())
        .merge(web::cycles::routes())
        .fallback(web_not_found)
        .layer(middleware::from_fn(web::problem_pages));

    Router::new()
        .merge(web)
        .merge(api)
        .route("/api/openapi.json", get(move || openapi_json(doc.clone())))
        .route(
            "/api/{*rest}",
            get(api_not_found)
                .post(api_not_found)
                .patch(api_not_found)
                .delete(api_not_found),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics::metrics))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

async fn openapi_json(doc: Arc<String>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.as_str().to_owned(),
    )
        .into_response()
}

async fn api_not_found(uri: Uri) -> crate::error::ApiError {
    crate::error::ApiError(crate::error::Problem::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no API route {}: see /api/openapi.json", uri.path()),
    ))
}

async fn web_not_found() -> crate::error::WebError {
    crate::error::WebError(crate::error::not_found("page"))
}
