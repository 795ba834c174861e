//! The OpenAPI 3 document of `/api/v1`, built from the same registrations as the router.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "ocop API", description = "OCOP programme management and smart QR stamps. \
        Errors are application/problem+json with a stable snake_case `code`."),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem)),
    tags(
        (name = "localities", description = "Provinces and communes (2025 reform)"),
        (name = "users", description = "Users, roles and scopes"),
        (name = "audit", description = "Who changed what and when"),
        (name = "registry", description = "Economic organizations, products and the criteria sets that classify them"),
        (name = "verification", description = "Checking stamps (public), PIN checks, shoppers' reports, alerts and scan figures"),
        (name = "stamps", description = "Production lots and smart QR stamps: batches, activation, voids, exports"),
        (name = "evaluation", description = "Scoring on the criteria sets, the yearly cycle, dossiers, councils and certificates"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from `ocop token create --email …`"))
                    .build(),
            ),
        );
    }
}

/// The document as served at `/api/openapi.json` (pretty, stable key order).
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) =
        utoipa_axum::router::OpenApiRouter::<crate::AppState>::with_openapi(ApiDoc::openapi())
            .merge(crate::api::router())
            .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

pub fn document_json() -> String {
    document()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}
