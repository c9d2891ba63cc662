//! Identifiers and values every layer passes around, valid by construction: ids that cannot be
//! mixed up (a `LeadId` is not a `DealId`), the tenant role, the principal, and email addresses that
//! exist only once parsed. No IO and no other Palisade crate: the database, sign-in and the server
//! all build on it.
mod email;
mod ids;
mod principal;

pub use email::{Email, InvalidEmail};
pub use ids::{DealId, IdParseError, LeadId, TenantId, UserId};
pub use principal::{Principal, TenantRole};
