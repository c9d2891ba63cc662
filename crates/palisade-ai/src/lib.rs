//! The language-model layer: what may leave ([`guard`]), how untrusted text is marked as data
//! ([`fence`]), how the model is reached ([`client`]) and what it costs ([`price`]); then the tasks
//! built on them — one call from settings to bill ([`assistant`]) and follow-up drafts
//! ([`drafting`]). What they read and write in the database is `palisade-core::ai`'s.
pub mod answering;
pub mod assistant;
pub mod client;
pub mod coaching;
pub mod drafting;
pub mod fence;
pub mod guard;
pub mod metrics;
pub mod price;
pub mod routing;
pub mod worker;

pub use assistant::{AiConfig, AiError, Assistant, Opened};
pub use client::{ClientSettings, Endpoint, LlmClient, LlmError, Prompt, Reply, Usage};
pub use fence::Fence;
pub use guard::{Builtins, Guard, Kind, PatternError, Reveal, SafeText, Vault};
pub use metrics::AiMetrics;
pub use price::Price;
