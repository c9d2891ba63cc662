//! HTML pages (askama templates, auto-escaped). For now: the magic-link landing page.
pub mod magic_link;
mod page;
