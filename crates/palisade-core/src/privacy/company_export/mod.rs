//! Company export: every table of a tenant as JSON Lines or CSV, streamed. The tables, and the rows
//! of each, are what the tenant's admins read: an admin's export runs in their own user context, where
//! row-level security also holds it to that; an operator's (`palisade export`) in the service context
//! with purpose `company_export` (migration 0034), held to the same rows by each table's filter. A
//! test checks that both give the same files. Rep-private tables and a member's own rows are left
//! out (they belong to the member); credentials, blind indexes and sealed values are never read, but
//! a lead's phone number is opened; an integration's secret appears as its last four characters.
mod plan;
pub mod tables;
mod write;

use std::time::Duration;

use palisade_db::Tx;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use plan::{plan, Plan};
pub use tables::{by_file, ExportTable, EXCLUDED, EXPORTED};
pub use write::{write, Chunks, Opener};

use crate::CoreError;

/// The two formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// One JSON object per line (`application/x-ndjson`); timestamps in RFC 3339, UTC.
    Jsonl,
    /// RFC 4180 with a header line (`text/csv`); text that starts like a formula gets a leading `'`.
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jsonl => "application/x-ndjson",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// Settings for the export's transaction, sent before anything is read: dates in UTC and ISO form,
/// whoever's session it is, and `timeout` (none: `None`) in place of the pool's statement timeout, which
/// a large table streamed to a slow reader would outlast.
pub async fn prepare(tx: &mut Tx, timeout: Option<Duration>) -> Result<(), CoreError> {
    let timeout = timeout.map_or(0, |t| t.as_millis()).to_string();
    tx.execute(
        "select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true), \
         set_config('IntervalStyle', 'iso_8601', true), set_config('statement_timeout', $1, true)",
        &[&timeout],
    )
    .await?;
    Ok(())
}

/// One table in the list an admin sees before downloading.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManifestTable {
    /// The name in `GET /api/v1/privacy/company-export/{table}`, and the file's name.
    pub table: &'static str,
    /// The table in the database.
    pub source: &'static str,
    /// The columns, in the order of the CSV header.
    pub columns: Vec<String>,
    pub rows: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExcludedTable {
    pub source: &'static str,
    pub why: &'static str,
}

/// What a company export holds, table by table, and what it leaves out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Manifest {
    pub tables: Vec<ManifestTable>,
    pub excluded: Vec<ExcludedTable>,
}

/// Every exported table with its columns and row count, as `tx` reads them.
pub async fn manifest(tx: &mut Tx) -> Result<Manifest, CoreError> {
    let mut tables = Vec::new();
    for table in EXPORTED {
        let plan = plan(tx, table).await?;
        let rows: i64 = tx.query_one(&plan.count(), &[]).await?.try_get("n")?;
        tables.push(ManifestTable {
            table: table.file,
            source: table.name,
            columns: plan.header().into_iter().map(str::to_owned).collect(),
            rows,
        });
    }
    let excluded = EXCLUDED
        .iter()
        .map(|(source, why)| ExcludedTable { source, why })
        .collect();
    Ok(Manifest { tables, excluded })
}
