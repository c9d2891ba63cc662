//! One tenant's sync run, and the job that starts them: take the tenant's lease, get a fresh access
//! token, match HubSpot's owners to members, read contacts then deals, send what waits in the
//! outbox, and give the lease back with the outcome.
mod mapping;
mod push;
mod read;
mod tokens;
pub mod worker;

use std::sync::Arc;

use palisade_core::phone::PhoneKeys;
use palisade_core::CoreError;
use palisade_crypto::Keyring;

pub use tokens::access_token;

use crate::error::HubspotError;
use crate::http::Transport;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Hubspot(#[from] HubspotError),
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("another worker took this tenant's sync after this one's lease ran out")]
    LeaseLost,
    #[error("HubSpot was connected to another account during the run; the next run starts over")]
    PortalChanged,
}

impl From<palisade_db::DbError> for SyncError {
    fn from(e: palisade_db::DbError) -> Self {
        Self::Core(e.into())
    }
}

impl SyncError {
    /// A stable code for the sync's state and the error event.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Hubspot(e) => e.code(),
            Self::Core(CoreError::Sealed(_)) => "crm_tokens_unreadable",
            Self::Core(_) => "crm_database_error",
            Self::LeaseLost => "crm_lease_lost",
            Self::PortalChanged => "crm_portal_changed",
        }
    }
}

/// What the sync needs: the way to HubSpot, and the keys tokens and phone numbers are sealed with.
pub struct Syncer {
    pub transport: Arc<Transport>,
    pub keyring: Arc<Keyring>,
    pub index_keys: Arc<Keyring>,
}

impl Syncer {
    pub fn phone_keys(&self) -> PhoneKeys<'_> {
        PhoneKeys {
            seal: &self.keyring,
            index: &self.index_keys,
        }
    }
}
