//! The OpenID Connect providers a sign-in page can offer, and the identities a person has connected
//! (the flows themselves run in `web::oidc`).
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use palisade_auth::oidc_flow_cookie::OidcFlow;
use palisade_core::sign_in::oidc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Caller};
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectProvider {
    /// A configured provider id.
    pub provider: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConnectStarted {
    /// Send the browser here (a top-level navigation); it comes back to the provider's callback.
    pub authorization_url: String,
}

/// Start connecting a provider to your account (browser sessions; the callback needs a sign-in or
/// second-factor check within the last 10 minutes). Sets the flow cookie.
#[utoipa::path(post, path = "/api/v1/me/identities", tag = "auth", security(("bearer" = [])),
    request_body = ConnectProvider,
    responses((status = 200, body = ConnectStarted), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn connect(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ConnectProvider>,
) -> ApiResult<Response> {
    let session = caller.browser_session().ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "browser_session_required",
            "connect a sign-in provider from a browser session",
        )
    })?;
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_provider",
            "no such sign-in provider",
        )
    };
    if !state.oidc.contains(&input.provider) {
        return Err(unknown());
    }
    let flow =
        OidcFlow::start_link(&input.provider, state.clock.now(), session.session_id).ok_or_else(unknown)?;
    let authorization_url = state.oidc.authorization_url(&flow).await.map_err(|e| {
        tracing::error!(error = %e, "connecting a provider could not start");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "provider_unavailable",
            "the sign-in provider could not be reached; try again in a moment",
        )
    })?;
    let mut response = Json(ConnectStarted { authorization_url }).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::sign_in::oidc_client::flow_cookie(state.oidc.flow_key(), &flow),
    );
    Ok(response)
}

#[derive(Serialize, ToSchema)]
pub struct ConnectedIdentity {
    pub id: Uuid,
    /// The configured provider with this issuer, if it is still configured.
    pub provider: Option<String>,
    pub issuer: String,
    pub email: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ConnectedIdentities {
    pub identities: Vec<ConnectedIdentity>,
}

/// The sign-in identities connected to your account.
#[utoipa::path(get, path = "/api/v1/me/identities", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = ConnectedIdentities), (status = 401, body = ErrorBody)))]
pub async fn list_identities(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ConnectedIdentities>> {
    let mut tx = caller.tx().await?;
    let found = oidc::list_mine(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(ConnectedIdentities {
        identities: found
            .into_iter()
            .map(|i| ConnectedIdentity {
                provider: state.oidc.id_for_issuer(&i.issuer).map(str::to_owned),
                id: i.id,
                issuer: i.issuer,
                email: i.email,
                created_at: i.created_at,
                last_used_at: i.last_used_at,
            })
            .collect(),
    }))
}

/// Disconnect a sign-in identity (needs a sign-in or second-factor check within 10 minutes).
#[utoipa::path(delete, path = "/api/v1/me/identities/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn disconnect(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    let mut tx = caller.tx().await?;
    oidc::unlink(&mut tx, id, state.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(providers))
        .routes(routes!(list_identities, connect))
        .routes(routes!(disconnect))
}
