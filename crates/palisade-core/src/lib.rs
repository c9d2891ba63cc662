//! Domain modules. Every function takes a context transaction and, where it touches tenant data,
//! the tenant id as its first argument: the explicit `tenant_id = $1` filter is defence in depth and
//! helps the planner; row-level security is the guarantee.
pub mod ai;
pub mod audit;
pub mod crm;
pub mod crm_sync;
pub mod dashboard;
mod error;
pub mod ingest;
pub mod integrations;
pub mod member_phone;
pub mod membership;
pub mod messaging;
pub mod page;
mod page_query;
pub mod phone;
pub mod privacy;
pub mod private;
pub mod sign_in;
pub mod tenancy;
mod validate;
pub mod verify;
pub mod webhook_check;

pub use error::CoreError;
pub use palisade_db::{Principal, TenantId, TenantRole, UserId};
