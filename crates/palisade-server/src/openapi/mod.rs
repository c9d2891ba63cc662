//! The OpenAPI document's frame: title, error shape and the bearer scheme. Every route is registered
//! through `OpenApiRouter` onto it, so the document lists every route the server answers (the HTTP
//! matrix test relies on that).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

mod links;
mod responses;
mod rules;
pub(crate) mod text;

#[derive(OpenApi)]
#[openapi(
    info(title = "Palisade API", description = "Multi-tenant customer-engagement backend. Errors are \
        `{\"error\":{\"code\",\"message\",\"details\"}}`; another tenant's object is 404. Text is \
        stored in PostgreSQL, which cannot hold U+0000: a string containing it is refused (`422`)."),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document every area's routes are added to.
pub(crate) fn document() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
}

/// The served document, once every route is in it: the responses each operation can give from its
/// shape (`responses`), the text rules spelled out (`text`), and the rules between fields that the
/// derived schemas cannot say (`rules`).
pub(crate) fn render(mut doc: utoipa::openapi::OpenApi) -> String {
    responses::complete(&mut doc);
    let mut value = serde_json::to_value(&doc).unwrap_or_default();
    text::spell_out(&mut value);
    rules::apply(&mut value);
    links::add(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
pub(crate) fn rendered_for_tests() -> serde_json::Value {
    let (_, doc) = crate::routes().split_for_parts();
    serde_json::from_str(&render(doc)).expect("the document is JSON")
}
