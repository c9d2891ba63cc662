//! A person's own pages in a workspace ("My work"): coaching, voice samples and the voice-drafting
//! opt-in, and their own data. Everything here is the visitor's alone: the core functions take the
//! visitor as owner, and row-level security shows nobody else's, managers and admins included.
mod coaching;
mod data;
mod phone;
mod voice;

use axum::routing::{get, post};
use axum::Router;
use palisade_db::{TenantId, TenantRole, Tx};
use serde::Deserialize;
use uuid::Uuid;

use super::error::PageError;
use super::session::Visitor;
use super::shell::{self, Shell};
use crate::state::AppState;

/// Opens the workspace for one of the visitor's own pages (any active member).
async fn enter_mine(
    visitor: &Visitor,
    tenant: &str,
    section: &'static str,
) -> Result<(Tx, Shell, TenantId), PageError> {
    shell::enter_as(visitor, tenant, section, TenantRole::Rep, "").await
}

/// A list page's address: where the page starts, and what was just done.
#[derive(Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    cursor: String,
    #[serde(default)]
    done: String,
}

impl ListQuery {
    fn cursor(&self) -> Result<Option<Uuid>, PageError> {
        super::error::cursor(&self.cursor)
    }

    fn notice(&self) -> Option<&'static str> {
        Some(match self.done.as_str() {
            "added" => "Note added.",
            "deleted" => "Deleted.",
            "opted-in" => "You opted in: you can now keep voice samples for drafts in your own voice.",
            "withdrawn" => "You withdrew: every voice sample you kept here is deleted.",
            _ => return None,
        })
    }
}

/// The routes this module answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/coaching", get(coaching::show).post(coaching::add))
        .route("/t/{tenant}/coaching/{id}/delete", post(coaching::delete))
        .route("/t/{tenant}/voice", get(voice::show))
        .route("/t/{tenant}/voice/consent", post(voice::consent))
        .route("/t/{tenant}/voice/{id}/delete", post(voice::delete))
        .route("/t/{tenant}/phone", get(phone::show))
        .route("/t/{tenant}/phone/{what}", post(phone::act))
        .route("/t/{tenant}/my-data", get(data::show))
        .route("/t/{tenant}/my-data/export", post(data::export))
}
