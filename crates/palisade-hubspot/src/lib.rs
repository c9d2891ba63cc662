//! The HubSpot sync. [`Transport`] is the only way to HubSpot: the portal's limits, retries that
//! honour `Retry-After`, and answers read without keeping what HubSpot says about records in errors.
//! On it: the OAuth flow ([`oauth`]), the CRM requests ([`objects`]), and the sync itself
//! ([`sync`]) — reading contacts and deals into leads and deals, writing deals and notes back. What
//! the sync keeps in the database is `palisade-core::crm_sync`'s.
pub mod config;
pub mod error;
mod http;
pub mod limits;
pub mod metrics;
pub mod oauth;
pub mod objects;
pub mod sync;

pub use config::{AppCredentials, HubspotConfig};
pub use error::HubspotError;
pub use http::Transport;
pub use metrics::HubspotMetrics;
pub use oauth::{Grant, TokenInfo};
pub use sync::{SyncError, Syncer};
