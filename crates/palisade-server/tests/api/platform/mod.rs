//! The internal routes a scheduler and the call-transcript ingest call.
mod internal;
