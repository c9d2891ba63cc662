//! The caller's own things: rep-private records (drafts, coaching, voice samples and the voice-drafting
//! consent they need), their phone and daily brief, their sessions, all of it as one export, and
//! deleting the account. No route here takes another person's id.
mod account;
mod brief;
mod export;
mod phone;
mod private_records;
pub(crate) mod sessions;
mod voice_consent;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(account::router())
        .merge(brief::router())
        .merge(export::router())
        .merge(phone::router())
        .merge(private_records::router())
        .merge(sessions::router())
        .merge(voice_consent::router())
}
