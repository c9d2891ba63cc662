//! Database-level tests: the policy matrix, its mutation check, the catalog gate, cancel safety and
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failed setup fails the test"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "database tests inspect with raw admin connections"
)]
//! the tenancy rules. One test binary, so the private cluster starts once.
mod audit;
mod blind_indexes;
mod cancel_safety;
mod card_masking;
mod catalog;
mod company_export;
mod embedded;
mod flood_bounds;
mod integrations;
mod mutation;
mod policy_matrix;
mod postgres_tls;
mod privacy_registry;
mod resolved_context;
mod retention;
mod rollups;
mod schema_doc;
mod tenancy_rules;
mod termination;
mod verify;
