//! The OpenID Connect providers a sign-in page can offer (the flow itself runs in `web::oidc`).
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct OidcProvider {
    pub id: String,
    /// The name for the sign-in button.
    pub name: String,
    /// Send the browser here (a top-level navigation) to sign in with this provider.
    pub sign_in_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct OidcProviders {
    pub providers: Vec<OidcProvider>,
}

/// The configured sign-in providers (none unless `auth.oidc` names some).
#[utoipa::path(get, path = "/api/v1/auth/oidc/providers", tag = "auth",
    responses((status = 200, body = OidcProviders)))]
pub async fn providers(State(state): State<AppState>) -> Json<OidcProviders> {
    let base = state.public_url.trim_end_matches('/');
    Json(OidcProviders {
        providers: state
            .oidc
            .list()
            .map(|p| OidcProvider {
                id: p.id.to_owned(),
                name: p.display_name.to_owned(),
                sign_in_url: format!("{base}/auth/oidc/{}", p.id),
            })
            .collect(),
    })
}
