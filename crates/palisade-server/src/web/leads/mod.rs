//! The lead pages: the list (a rep's own leads, the tenant's for managers and admins) and one lead
//! with its timeline, its number masked until asked for, and a form to log an interaction.
mod assign;
mod assistant;
mod consent;
mod crm;
mod detail;
mod facts;
mod list;

use axum::routing::{get, post};
use axum::Router;
use palisade_core::crm::interactions::{Channel, Direction};
use palisade_core::crm::leads::LeadStatus;

use crate::state::AppState;

pub const STATUSES: [LeadStatus; 6] = [
    LeadStatus::New,
    LeadStatus::Contacted,
    LeadStatus::Qualified,
    LeadStatus::Unqualified,
    LeadStatus::Customer,
    LeadStatus::Lost,
];

pub const CHANNELS: [(Channel, &str); 6] = [
    (Channel::Note, "Note"),
    (Channel::Call, "Call"),
    (Channel::Meeting, "Meeting"),
    (Channel::Email, "Email"),
    (Channel::Sms, "SMS"),
    (Channel::Whatsapp, "WhatsApp"),
];

pub const DIRECTIONS: [(Direction, &str); 3] = [
    (Direction::Internal, "Internal"),
    (Direction::Outbound, "Outbound"),
    (Direction::Inbound, "Inbound"),
];

/// "2026-12-05 14:03 UTC": the same for every reader, whatever their browser's zone.
pub fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The routes this module answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/leads", get(list::show))
        .route("/t/{tenant}/leads/search", post(list::search))
        .route("/t/{tenant}/leads/{lead}", get(detail::show))
        .route("/t/{tenant}/leads/{lead}/reveal", post(detail::reveal))
        .route("/t/{tenant}/leads/{lead}/interactions", post(detail::log))
        .route(
            "/t/{tenant}/leads/{lead}/interactions/{interaction}/crm",
            post(crm::mark),
        )
        .route("/t/{tenant}/leads/{lead}/assign", post(assign::assign))
        .route("/t/{tenant}/leads/{lead}/ai-draft", post(assistant::ai_draft))
        .route(
            "/t/{tenant}/leads/{lead}/assistant-holds/{channel}/resume",
            post(assistant::resume),
        )
        .route(
            "/t/{tenant}/leads/{lead}/consent",
            get(consent::show).post(consent::record),
        )
}
