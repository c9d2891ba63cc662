//! The caller's own things: rep-private records and their phone and daily brief.
mod account;
mod briefs;
mod export;
mod private_data;
mod voice_consent;
