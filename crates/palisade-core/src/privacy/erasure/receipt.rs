//! An erasure's receipt: what was done, table by table, with no personal data. Admins read them in
//! their own user context (the policy lets admins only).
use chrono::{DateTime, Utc};
use palisade_db::{Row, TenantId, Tx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::{Page, PageParams};
use crate::CoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErasureStatus {
    /// Leads remain; the `erasures` job (or the request itself) continues.
    Running,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Phone,
    Email,
    Lead,
}

/// What happened to a table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Deleted,
    /// Audit events whose before and after content was blanked (their hashes stay in the chain).
    Redacted,
    /// Kept as the registry says why (consent evidence).
    Kept,
    /// Suppressions written, so the addresses are never messaged again.
    Added,
    /// Rows that stay with the subject's part removed (lines of members' daily briefs).
    Edited,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TableCount {
    /// Schema-qualified (`app.interactions`).
    pub table: String,
    pub outcome: Outcome,
    /// Null for the rep-private tables (coaching, drafts): they belong to their rep, and an admin
    /// does not learn even how many there were.
    #[schema(required = true)]
    pub rows: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub leads_total: i32,
    pub leads_erased: i32,
}

/// An erasure and what it did so far. Names no one: the subject only by the kind of key given.
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub id: Uuid,
    pub status: ErasureStatus,
    pub subject: SubjectKind,
    /// The admin who asked (none when HubSpot did).
    pub requested_by: Option<Uuid>,
    /// `admin`, or `hubspot` when the contact was erased there and HubSpot told Palisade.
    pub requested_via: String,
    /// The request's id (`X-Request-Id`), also on its audit and access events.
    pub request_id: Option<String>,
    pub progress: Progress,
    /// One entry per table and outcome, by table name.
    pub tables: Vec<TableCount>,
    pub requested_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, status, subject_kind, requested_by, requested_via, correlation_id, leads_total, \
    cardinality(pending_leads) as pending, counts, created_at, finished_at";

fn receipt(row: &Row) -> Result<Receipt, CoreError> {
    let total: i32 = row.try_get("leads_total")?;
    let pending: i32 = row.try_get("pending")?;
    let counts: serde_json::Value = row.try_get("counts")?;
    Ok(Receipt {
        id: row.try_get("id")?,
        status: parse(row.try_get("status")?)?,
        subject: parse(row.try_get("subject_kind")?)?,
        requested_by: row.try_get("requested_by")?,
        requested_via: row.try_get("requested_via")?,
        request_id: row.try_get("correlation_id")?,
        progress: Progress {
            leads_total: total,
            leads_erased: total - pending,
        },
        tables: tables(&counts)?,
        requested_at: row.try_get("created_at")?,
        finished_at: row.try_get("finished_at")?,
    })
}

/// The words the table's checks allow, and that [`super::work`] writes.
fn parse<T: serde::de::DeserializeOwned>(word: String) -> Result<T, CoreError> {
    serde_json::from_value(serde_json::Value::String(word)).map_err(|_| {
        CoreError::Db(palisade_db::DbError::Check {
            constraint: "erasures".into(),
        })
    })
}

/// `{"app.interactions": {"deleted": 3}}` → one entry per table and outcome (a JSON object's keys
/// come back sorted from jsonb, so the order is stable).
fn tables(counts: &serde_json::Value) -> Result<Vec<TableCount>, CoreError> {
    let mut out = Vec::new();
    for (table, outcomes) in counts.as_object().into_iter().flatten() {
        for (outcome, rows) in outcomes.as_object().into_iter().flatten() {
            out.push(TableCount {
                table: table.clone(),
                outcome: parse(outcome.clone())?,
                rows: rows.as_i64(),
            });
        }
    }
    Ok(out)
}

/// One receipt; `NotFound` for another tenant's, or for a caller who is not an admin.
pub async fn get(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<Receipt, CoreError> {
    let sql = format!("select {COLUMNS} from app.erasures where tenant_id = $1 and id = $2");
    let row = tx.query_opt(&sql, &[tenant.as_uuid(), &id]).await?;
    receipt(&row.ok_or(CoreError::NotFound)?)
}

/// The tenant's erasures, newest first.
pub async fn list(tx: &mut Tx, tenant: TenantId, page: &PageParams) -> Result<Page<Receipt>, CoreError> {
    let limit = page.limit()?;
    let sql = format!(
        "select {COLUMNS} from app.erasures where tenant_id = $1 \
           and ($2::uuid is null or (created_at, id) < (select created_at, id from app.erasures \
                                                        where tenant_id = $1 and id = $2)) \
         order by created_at desc, id desc limit $3"
    );
    let rows = tx
        .query(&sql, &[tenant.as_uuid(), &page.cursor, &(limit + 1)])
        .await?;
    let items = rows.iter().map(receipt).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(items, limit, |r| r.id))
}
