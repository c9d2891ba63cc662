//! Secrets at rest (DESIGN §1.5): a keyring of AES-256-GCM keys and a versioned, bound envelope.
//! Pure code: keys arrive from configuration, nothing here reads files or the network.
mod keyring;
mod seal;

pub use keyring::{KeyId, Keyring, KeyringError};
pub use seal::{Binding, SealError};
