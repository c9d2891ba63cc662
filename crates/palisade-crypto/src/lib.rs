//! Secrets and PII at rest (DESIGN §1.5): a keyring of AES-256-GCM keys and a versioned, bound
//! envelope; blind indexes for lookups by equality; card-number masking. Pure code: keys arrive from
//! configuration, nothing here reads files or the network.
mod blind_index;
pub mod cards;
mod keyring;
mod seal;

pub use blind_index::IndexScope;
pub use keyring::{KeyId, Keyring, KeyringError};
pub use seal::{Binding, SealError};
