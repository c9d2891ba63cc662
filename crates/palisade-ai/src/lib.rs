//! The language-model layer, free of the database: what may leave ([`guard`]), how untrusted text
//! is marked as data ([`fence`]), how the model is reached ([`client`]), and what it costs
//! ([`price`]). The flows that read tenant data and write results live in `palisade-core::ai`.
pub mod client;
pub mod fence;
pub mod guard;
pub mod price;

pub use client::{ClientSettings, Endpoint, LlmClient, LlmError, Prompt, Reply, Usage};
pub use fence::Fence;
pub use guard::{Builtins, Guard, Kind, PatternError, Reveal, SafeText, Vault};
pub use price::Price;
