//! Request extractors. Authentication and capabilities are types: a handler that takes [`Manager`]
//! cannot run unless the database confirmed the caller manages the tenant.
mod auth;
mod client_ip;
mod cron;
mod input;
mod json;
mod request_id;

pub use auth::{Admin, Caller, Manager, Member, TENANT_HEADER};
pub use client_ip::ClientIp;
pub use cron::Cron;
pub use input::{ApiPath, ApiQuery};
pub use json::{ApiJson, LargeJson};
pub use request_id::{request_id_layer, RequestId};
