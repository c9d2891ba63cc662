//! Keyset list queries built from the filters actually given. Only present filters become SQL
//! clauses, so every combination is its own prepared statement with a plan that fits it (a
//! `$n is null or col = $n` pattern would share one generic plan that fits none).
use palisade_db::{Row, TenantId, ToSql, Tx};
use uuid::Uuid;

use crate::CoreError;

/// A checked value bound into a statement built at run time.
pub(crate) type Param = Box<dyn ToSql + Sync + Send>;

/// The borrowed form `Tx` takes.
pub(crate) fn bind(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
}

pub(crate) struct ListQuery {
    sql: String,
    params: Vec<Param>,
}

impl ListQuery {
    /// `table` and `columns` are the caller's constants, never user input.
    pub(crate) fn new(table: &'static str, columns: &'static str, tenant: TenantId) -> Self {
        Self {
            sql: format!("select {columns} from {table} where tenant_id = $1"),
            params: vec![Box::new(*tenant.as_uuid())],
        }
    }

    /// Adds `and {column} {op} $n` when `value` is present; `column` and `op` are constants.
    pub(crate) fn filter<T: ToSql + Sync + Send + 'static>(
        mut self,
        column: &'static str,
        op: &'static str,
        value: Option<T>,
    ) -> Self {
        if let Some(v) = value {
            self.params.push(Box::new(v));
            self.sql
                .push_str(&format!(" and {column} {op} ${}", self.params.len()));
        }
        self
    }

    /// Adds `and {column} = any($n)` when `values` is present (a blind index under each key).
    pub(crate) fn filter_any<T: ToSql + Sync + Send + 'static>(
        mut self,
        column: &'static str,
        values: Option<Vec<T>>,
    ) -> Self {
        if let Some(v) = values {
            self.params.push(Box::new(v));
            self.sql
                .push_str(&format!(" and {column} = any(${})", self.params.len()));
        }
        self
    }

    /// Newest first, below `cursor` (a UUIDv7, or the bigint id of an append-only log), one row more
    /// than `limit` (to detect a next page).
    fn finish<C: ToSql + Sync + Send + 'static>(self, cursor: Option<C>, limit: i64) -> Self {
        let mut query = self.filter("id", "<", cursor);
        query.params.push(Box::new(limit + 1));
        query
            .sql
            .push_str(&format!(" order by id desc limit ${}", query.params.len()));
        query
    }

    /// The statement text (benchmarks run the identical SQL through pgbench).
    pub(crate) fn statement(self, cursor: Option<Uuid>) -> String {
        self.finish(cursor, 0).sql
    }

    pub(crate) async fn fetch<C: ToSql + Sync + Send + 'static>(
        self,
        tx: &mut Tx,
        cursor: Option<C>,
        limit: i64,
    ) -> Result<Vec<Row>, CoreError> {
        let query = self.finish(cursor, limit);
        Ok(tx.query(&query.sql, &bind(&query.params)).await?)
    }
}
