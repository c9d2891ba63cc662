//! Reading the audit trail of a tenant. Managers and admins see every event except those of
//! rep-private tables, which only their owner sees (the policy on `audit.events` decides).
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::page_query::ListQuery;
use crate::CoreError;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEvent {
    /// The event's id: increasing in recording order; also the pagination cursor.
    pub id: i64,
    pub table: String,
    /// INSERT, UPDATE or DELETE.
    pub op: String,
    pub row_key: String,
    pub actor_user_id: Option<Uuid>,
    /// user, service or system.
    pub actor_kind: String,
    /// The actor's role in the tenant when the change was recorded.
    pub actor_role: Option<String>,
    /// For service and system actors: what they were doing (webhook, delivery, auth, ...).
    pub purpose: Option<String>,
    /// The request id of the change.
    pub correlation_id: Option<String>,
    pub lead_id: Option<Uuid>,
    /// Rep-private events: the owning rep. Such events carry no content.
    pub owner_id: Option<Uuid>,
    pub private: bool,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// The content was erased (a privacy request); the chain still verifies.
    pub redacted: bool,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Table name, e.g. `deals`.
    #[param(pattern = "^[a-z_]{1,63}$")]
    pub table: Option<String>,
    /// Events caused by this user.
    pub actor_id: Option<Uuid>,
    /// Events about this lead (the lead and its deals and interactions).
    pub lead_id: Option<Uuid>,
    /// Events at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Events before this time.
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 200 (default 50). Ignored for CSV exports.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(minimum = 1)]
    pub cursor: Option<i64>,
    /// `json` (default) or `csv` (an export, itself recorded in the access log).
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<i64>,
}

const COLUMNS: &str = "id, table_name, op, row_key, actor_user_id, actor_kind, actor_role, purpose, \
    correlation_id, lead_id, owner_id, private, before, after, redacted_at is not null as redacted, occurred_at";

/// Also what the chain verifier reads (`chain::Link`): the select list must name these columns.
impl FromRow for AuditEvent {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            table: row.try_get("table_name")?,
            op: row.try_get("op")?,
            row_key: row.try_get("row_key")?,
            actor_user_id: row.try_get("actor_user_id")?,
            actor_kind: row.try_get("actor_kind")?,
            actor_role: row.try_get("actor_role")?,
            purpose: row.try_get("purpose")?,
            correlation_id: row.try_get("correlation_id")?,
            lead_id: row.try_get("lead_id")?,
            owner_id: row.try_get("owner_id")?,
            private: row.try_get("private")?,
            before: row.try_get("before")?,
            after: row.try_get("after")?,
            redacted: row.try_get("redacted")?,
            occurred_at: row.try_get("occurred_at")?,
        })
    }
}

impl AuditFilter {
    pub fn validate(&self) -> Result<(), CoreError> {
        if let Some(t) = &self.table {
            if t.is_empty() || t.len() > 63 || !t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(CoreError::invalid(
                    "invalid_table",
                    "table must be a table name such as `deals`",
                ));
            }
        }
        // The page limit is checked whatever the format (a CSV export ignores it), so that what is
        // accepted does not depend on another parameter. An empty range (`from` not before `to`)
        // is no error: it holds no events.
        self.page_limit()?;
        if self.cursor.is_some_and(|c| c < 1) {
            return Err(CoreError::invalid(
                "invalid_cursor",
                "cursor must be a positive event id",
            ));
        }
        Ok(())
    }

    pub fn page_limit(&self) -> Result<i64, CoreError> {
        crate::page::page_limit(self.limit)
    }
}

/// Newest first. `limit` rows at most, plus one to learn whether there is a next page.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    filter: &AuditFilter,
    cursor: Option<i64>,
    limit: i64,
) -> Result<AuditPage, CoreError> {
    filter.validate()?;
    let rows = ListQuery::new("audit.events", COLUMNS, tenant)
        .filter("table_name", "=", filter.table.clone())
        .filter("actor_user_id", "=", filter.actor_id)
        .filter("lead_id", "=", filter.lead_id)
        .filter("occurred_at", ">=", filter.from)
        .filter("occurred_at", "<", filter.to)
        .fetch(tx, cursor, limit)
        .await?;
    let mut items = rows
        .iter()
        .map(AuditEvent::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage { items, next_cursor })
}

/// Renders events as CSV (header row first).
pub fn to_csv(events: &[AuditEvent], with_header: bool) -> String {
    let mut out = String::new();
    if with_header {
        super::csv::push_row(
            &mut out,
            [
                "id",
                "occurred_at",
                "table",
                "op",
                "row_key",
                "actor_user_id",
                "actor_kind",
                "actor_role",
                "purpose",
                "correlation_id",
                "lead_id",
                "owner_id",
                "private",
                "redacted",
                "before",
                "after",
            ],
        );
    }
    let opt = |u: &Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(ToString::to_string).unwrap_or_default();
    for e in events {
        let cells = [
            e.id.to_string(),
            e.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            e.table.clone(),
            e.op.clone(),
            e.row_key.clone(),
            opt(&e.actor_user_id),
            e.actor_kind.clone(),
            e.actor_role.clone().unwrap_or_default(),
            e.purpose.clone().unwrap_or_default(),
            e.correlation_id.clone().unwrap_or_default(),
            opt(&e.lead_id),
            opt(&e.owner_id),
            e.private.to_string(),
            e.redacted.to_string(),
            json(&e.before),
            json(&e.after),
        ];
        super::csv::push_row(&mut out, cells.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_have_as_many_cells_as_the_header() {
        let e = AuditEvent {
            id: 7,
            table: "deals".into(),
            op: "UPDATE".into(),
            row_key: "k".into(),
            actor_user_id: None,
            actor_kind: "user".into(),
            actor_role: Some("rep".into()),
            purpose: None,
            correlation_id: Some("=cmd".into()),
            lead_id: None,
            owner_id: None,
            private: false,
            before: Some(serde_json::json!({"a": 1})),
            after: Some(serde_json::json!({"a": 2})),
            redacted: false,
            occurred_at: Utc::now(),
        };
        let csv = to_csv(&[e], true);
        let mut lines = csv.split("\r\n");
        let header = lines.next().unwrap_or_default();
        let row = lines.next().unwrap_or_default();
        assert_eq!(header.split(',').count(), 16);
        assert!(row.starts_with("7,"));
        assert!(
            row.contains("\"'=cmd\""),
            "formula-like values are defused: {row}"
        );
    }
}
