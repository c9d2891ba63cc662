//! The audit trail (migration 0007), the access log and platform operations records (0008).
//! Audit events are written by the database itself; this module reads them and writes the access log.
pub mod access;
pub mod chain;
pub mod csv;
pub mod events;
pub mod incidents;
pub mod platform_errors;
pub mod tenant_incidents;
pub mod verify;
