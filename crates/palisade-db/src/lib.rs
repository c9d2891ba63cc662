//! The only door to PostgreSQL.
//!
//! Handler and domain code receive a [`Tx`] from [`Db::user`], [`Db::service`], [`Db::reporting`] or
//! [`Db::auth`]: a transaction that has already switched to a low-privilege context role and set the
//! caller's identity. Raw pool connections and plain transactions are reserved to this crate (a clippy
//! `disallowed-methods` rule enforces it elsewhere).

pub mod connect;
pub mod embedded;
mod error;
mod identity;
pub mod migrate;
mod pool;
mod rows;
mod tx;

pub use error::DbError;
pub use identity::{CorrelationId, Purpose, SessionCheck};
pub use palisade_types::{DealId, Email, IdParseError, LeadId, Principal, TenantId, TenantRole, UserId};
pub use pool::{Db, PoolSettings};
pub use rows::FromRow;
pub use tokio_postgres::types::ToSql;
pub use tokio_postgres::{CopyOutStream, Row, RowStream};
pub use tx::{ContextRole, Tx, ENTER_CONTEXT, SET_CONTEXT};
