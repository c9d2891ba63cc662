//! HTML pages (askama templates, auto-escaped), served by the same binary through the same
//! sessions, CSRF protection, context transactions and row-level security as the API: a page shows
//! a person what the API would return to them. Sign-in pages (magic link, OpenID Connect) start
//! sessions through `sign_in` exactly as the JSON routes do.
mod account;
mod admin;
mod assets;
mod audit;
mod dashboard;
mod delete_account;
mod drafts;
mod error;
mod join;
mod knowledge;
mod leads;
mod magic_link;
mod mine;
mod oidc;
mod page;
mod platform;
mod second_factor;
mod security;
mod session;
mod shell;
mod sign_in_page;
mod terminations;
mod workspaces;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    let pages = axum::Router::new()
        .merge(assets::router())
        .merge(sign_in_page::router())
        .merge(second_factor::router())
        .merge(workspaces::router())
        .merge(leads::router())
        .merge(drafts::router())
        .merge(knowledge::router())
        .merge(dashboard::router())
        .merge(audit::router())
        .merge(account::router())
        .merge(admin::router())
        .merge(join::router())
        .merge(mine::router())
        .merge(delete_account::router())
        .merge(platform::router())
        .merge(security::router())
        .merge(terminations::router());
    OpenApiRouter::new()
        .merge(magic_link::router())
        .merge(oidc::router())
        .merge(OpenApiRouter::from(pages))
}
