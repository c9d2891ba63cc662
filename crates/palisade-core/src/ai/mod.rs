//! What the language-model layer reads and writes in the database: each tenant's assistant settings,
//! the usage and budget of its calls, and what a draft is written from. The calls themselves, and
//! the guard that masks what leaves, are in `palisade-ai`.
pub mod conversations;
pub mod knowledge;
pub mod lead_context;
pub mod settings;
pub mod tasks;
pub mod usage;
