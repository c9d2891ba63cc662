//! The HubSpot connection and sync (admins), interactions marked for HubSpot (members), and the
//! browser's OAuth flow. What the sync does is `palisade-hubspot`'s; what it keeps,
//! `palisade-core::crm_sync`'s.
pub(crate) mod connection;
mod marks;

use axum::http::StatusCode;
use palisade_hubspot::{HubspotError, SyncError};
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

impl From<HubspotError> for ApiError {
    fn from(err: HubspotError) -> Self {
        let status = match &err {
            HubspotError::Unauthorized | HubspotError::MissingScope | HubspotError::RefreshRefused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            HubspotError::Rejected { .. } | HubspotError::NotFound => StatusCode::UNPROCESSABLE_ENTITY,
            HubspotError::NoApp => StatusCode::CONFLICT,
            HubspotError::RateLimited { .. } => StatusCode::SERVICE_UNAVAILABLE,
            HubspotError::Timeout | HubspotError::Unavailable { .. } | HubspotError::Malformed => {
                StatusCode::BAD_GATEWAY
            }
        };
        let api = Self::new(status, err.code(), err.to_string());
        if status == StatusCode::SERVICE_UNAVAILABLE {
            api.with_retry_after(10)
        } else {
            api
        }
    }
}

impl From<SyncError> for ApiError {
    fn from(err: SyncError) -> Self {
        match err {
            SyncError::Hubspot(e) => e.into(),
            SyncError::Core(e) => e.into(),
            SyncError::LeaseLost | SyncError::PortalChanged => {
                Self::new(StatusCode::CONFLICT, err.code(), err.to_string())
            }
        }
    }
}

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(connection::router())
        .merge(marks::router())
}
