//! The sync against the fake HubSpot and a real database: backfill and incremental reads, crashes
//! and resumption, HubSpot's limits, token refresh, and writing back exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
mod push;
mod read;
mod tokens;
