//! Signing in over HTTP: magic links, OpenID Connect identities, passwords, the second factor, API
//! sessions (refresh, sign-out), the answer that starts a session, and the limits on attempts. The
//! browser redirects and landing pages are in `web`; the state lives in `palisade_core::sign_in`;
//! the cookies, tokens and hashes in `palisade_auth`.
pub(crate) mod api_sessions;
pub(crate) mod limits;
pub(crate) mod magic_link;
pub(crate) mod mfa;
pub(crate) mod oidc_client;
mod oidc_identities;
pub(crate) mod password;
pub(crate) mod session_start;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(api_sessions::router())
        .merge(magic_link::router())
        .merge(mfa::router())
        .merge(oidc_identities::router())
        .merge(password::router())
}
