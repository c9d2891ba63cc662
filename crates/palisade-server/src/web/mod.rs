//! HTML pages (askama templates, auto-escaped). The magic-link landing page and the OpenID Connect
//! sign-in redirects.
pub mod magic_link;
pub mod oidc;
mod page;
