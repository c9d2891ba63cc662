//! Keyset pagination: ids are UUIDv7 (time-ordered), lists run newest first and resume below a cursor.
use palisade_db::FromRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::CoreError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Default, Clone, Copy, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

impl PageParams {
    pub fn limit(&self) -> Result<i64, CoreError> {
        page_limit(self.limit)
    }
}

/// A requested page size, checked: 1 to 200, default 50.
pub fn page_limit(limit: Option<i64>) -> Result<i64, CoreError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(CoreError::invalid(
            "invalid_limit",
            format!("limit must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

impl<T> Page<T> {
    /// `rows` were fetched with `limit + 1` to learn whether another page exists.
    pub fn from_overfetch(mut items: Vec<T>, limit: i64, id: impl Fn(&T) -> Uuid) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let next_cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(&id)
        } else {
            None
        };
        Self { items, next_cursor }
    }
}

impl<T> Page<T> {
    /// Maps rows fetched with `limit + 1` into a page.
    pub fn from_rows(
        rows: &[palisade_db::Row],
        limit: i64,
        map: impl Fn(&palisade_db::Row) -> Result<T, CoreError>,
        id: impl Fn(&T) -> Uuid,
    ) -> Result<Self, CoreError> {
        let items = rows.iter().map(map).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_overfetch(items, limit, id))
    }
}

impl<T: FromRow> Page<T> {
    /// A page of rows read by column name (see [`Page::from_rows`]).
    pub fn read(rows: &[palisade_db::Row], limit: i64, id: impl Fn(&T) -> Uuid) -> Result<Self, CoreError> {
        Self::from_rows(rows, limit, |r| Ok(T::from_row(r)?), id)
    }
}

/// A new record id: UUIDv7, so keyset order is creation order.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
