//! HTML pages (askama templates, auto-escaped): the magic-link landing page and the OpenID Connect
//! sign-in redirects. They start sessions through `sign_in` exactly as the JSON routes do.
mod magic_link;
mod oidc;
mod page;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(magic_link::router())
        .merge(oidc::router())
}
