//! The JSON API and its OpenAPI document. Every route is registered through `OpenApiRouter`, so the
//! document lists every route the server answers (the HTTP matrix test relies on that).
mod audit;
pub(crate) mod auth;
mod consents;
mod dashboard;
mod deals;
mod health;
mod integrations;
mod interactions;
mod internal;
mod invitations;
mod leads;
mod me;
mod members;
mod messages;
mod mfa;
mod my_brief;
mod my_phone;
mod my_sessions;
mod oidc;
mod password;
mod phone_settings;
mod platform;
mod templates;
mod tenants;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

// The landing page shares the sign-in code with the JSON API.
pub(crate) use auth::{
    consume as auth_consume, session_cookie as auth_session_cookie, user_agent as auth_user_agent,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Palisade API", description = "Multi-tenant customer-engagement backend. Errors are \
        `{\"error\":{\"code\",\"message\",\"details\"}}`; another tenant's object is 404."),
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

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::webhooks::router())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::openapi))
        .routes(routes!(crate::metrics_route::metrics))
        .routes(routes!(auth::request_magic_link))
        .routes(routes!(auth::consume_magic_link))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::current))
        .routes(routes!(auth::logout))
        .routes(routes!(
            crate::web::magic_link::landing,
            crate::web::magic_link::finish
        ))
        .routes(routes!(oidc::providers))
        .routes(routes!(oidc::list_identities, oidc::connect))
        .routes(routes!(oidc::disconnect))
        .routes(routes!(crate::web::oidc::start))
        .routes(routes!(crate::web::oidc::callback))
        .routes(routes!(my_sessions::list, my_sessions::end_others))
        .routes(routes!(my_sessions::end_one))
        .routes(routes!(members::sign_out))
        .routes(routes!(mfa::status))
        .routes(routes!(mfa::begin, mfa::remove))
        .routes(routes!(mfa::confirm))
        .routes(routes!(mfa::replace_recovery_codes))
        .routes(routes!(mfa::verify))
        .routes(routes!(mfa::get_security, mfa::set_security))
        .routes(routes!(password::sign_in))
        .routes(routes!(password::set, password::remove))
        .routes(routes!(tenants::create, tenants::list))
        .routes(routes!(audit::list_events))
        .routes(routes!(audit::list_access))
        .routes(routes!(platform::error_events))
        .routes(routes!(platform::list_incidents, platform::declare_incident))
        .routes(routes!(platform::resolve_incident))
        .routes(routes!(tenants::get))
        .routes(routes!(tenants::leave))
        .routes(routes!(members::list))
        .routes(routes!(members::change, members::remove))
        .routes(routes!(invitations::create, invitations::list))
        .routes(routes!(invitations::revoke))
        .routes(routes!(invitations::accept))
        .routes(routes!(leads::list, leads::create))
        .routes(routes!(leads::search))
        .routes(routes!(consents::record, consents::ledger))
        .routes(routes!(messages::queue, messages::list))
        .routes(routes!(messages::get))
        .routes(routes!(internal::cron))
        .routes(routes!(internal::call_transcript))
        .routes(routes!(leads::get, leads::update, leads::delete))
        .routes(routes!(deals::list, deals::create))
        .routes(routes!(deals::get, deals::update, deals::delete))
        .routes(routes!(interactions::list, interactions::create))
        .routes(routes!(
            interactions::get,
            interactions::update,
            interactions::delete
        ))
        .routes(routes!(me::drafts_api::list, me::drafts_api::create))
        .routes(routes!(
            me::drafts_api::get,
            me::drafts_api::update,
            me::drafts_api::delete
        ))
        .routes(routes!(me::coaching_api::list, me::coaching_api::create))
        .routes(routes!(
            me::coaching_api::get,
            me::coaching_api::update,
            me::coaching_api::delete
        ))
        .routes(routes!(me::voice_api::list, me::voice_api::create))
        .routes(routes!(
            me::voice_api::get,
            me::voice_api::update,
            me::voice_api::delete
        ))
        .routes(routes!(my_phone::get, my_phone::set, my_phone::delete))
        .routes(routes!(templates::list, templates::create))
        .routes(routes!(templates::get, templates::replace, templates::delete))
        .routes(routes!(my_phone::send_code))
        .routes(routes!(my_phone::confirm_code))
        .routes(routes!(my_brief::get, my_brief::set, my_brief::delete))
        .routes(routes!(dashboard::get))
        .routes(routes!(integrations::list))
        .routes(routes!(phone_settings::get, phone_settings::set))
        .routes(routes!(
            integrations::get,
            integrations::put,
            integrations::delete
        ))
}
