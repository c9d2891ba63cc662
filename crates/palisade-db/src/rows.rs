//! Reading rows by column name. A type names the columns it reads, so a query's column list and its
//! reader cannot drift apart by position: a missing or renamed column is an error naming it, not a
//! silently shifted value.
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use crate::{DbError, Tx};

/// A value built from one row, reading its columns by name.
pub trait FromRow: Sized {
    fn from_row(row: &Row) -> Result<Self, DbError>;
}

impl Tx {
    /// [`Tx::query`], each row read as a `T`.
    pub async fn query_as<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<T>, DbError> {
        self.query(sql, params).await?.iter().map(T::from_row).collect()
    }

    /// [`Tx::query_one`], read as a `T` (no row is [`DbError::NotFound`]).
    pub async fn query_one_as<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<T, DbError> {
        T::from_row(&self.query_one(sql, params).await?)
    }

    /// [`Tx::query_opt`], read as a `T`.
    pub async fn query_opt_as<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<T>, DbError> {
        self.query_opt(sql, params)
            .await?
            .as_ref()
            .map(T::from_row)
            .transpose()
    }
}
