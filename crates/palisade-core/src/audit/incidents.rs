//! Incidents: declared by platform admins with the affected tenants; each affected tenant's admins
//! must be told within 72 hours. The notifier job claims pending notices with `SKIP LOCKED`, so
//! several instances never notify the same tenant twice for one incident.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::CoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentSeverity {
    Low,
    Medium,
    High,
    Critical,
}

impl IncidentSeverity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncident {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub description: String,
    pub severity: IncidentSeverity,
    /// Ids of the affected tenants (at least one).
    #[schema(min_items = 1, max_items = 10000)]
    pub tenant_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AffectedTenant {
    pub tenant_id: Uuid,
    /// When the tenant's admins were notified; absent while pending.
    pub notified_at: Option<DateTime<Utc>>,
    pub recipients: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Incident {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub severity: String,
    pub status: String,
    pub declared_by: Uuid,
    pub declared_at: DateTime<Utc>,
    /// 72 hours after declaration.
    pub notify_deadline: DateTime<Utc>,
    /// Some affected tenant was not notified (or the notice reached nobody) by the deadline.
    pub overdue: bool,
    pub resolved_at: Option<DateTime<Utc>>,
    pub tenants: Vec<AffectedTenant>,
}

const MAX_TENANTS: usize = 10_000;

fn validate(input: &NewIncident) -> Result<(), CoreError> {
    let title = input.title.trim();
    if title.is_empty() || input.title.chars().count() > 200 {
        return Err(CoreError::invalid(
            "invalid_title",
            "title must be 1 to 200 characters",
        ));
    }
    let description = input.description.trim();
    if description.is_empty() || input.description.chars().count() > 10_000 {
        return Err(CoreError::invalid(
            "invalid_description",
            "description must be 1 to 10000 characters",
        ));
    }
    if input.tenant_ids.is_empty() || input.tenant_ids.len() > MAX_TENANTS {
        return Err(CoreError::invalid(
            "invalid_tenants",
            format!("tenant_ids must list 1 to {MAX_TENANTS} tenants"),
        ));
    }
    Ok(())
}

#[instrument(skip_all, err(level = "debug"))]
pub async fn declare(tx: &mut Tx, input: &NewIncident) -> Result<Incident, CoreError> {
    validate(input)?;
    let row = tx
        .query_one(
            "select app.declare_incident($1, $2, $3, $4) as id",
            &[
                &input.title.trim(),
                &input.description.trim(),
                &input.severity.as_str(),
                &input.tenant_ids,
            ],
        )
        .await
        .map_err(|e| match CoreError::from(e) {
            CoreError::NotFound => CoreError::unknown("unknown_tenant", "a listed tenant does not exist"),
            other => other,
        })?;
    let id: Uuid = row.try_get("id")?;
    get(tx, id).await
}

const COLUMNS: &str = "i.id, i.title, i.description, i.severity, i.status, i.declared_by, i.declared_at, \
    i.notify_deadline, i.resolved_at, \
    coalesce((select json_agg(json_build_object('tenant_id', t.tenant_id, 'notified_at', t.notified_at, \
       'recipients', t.recipients) order by t.tenant_id) from app.incident_tenants t where t.incident_id = i.id), '[]') \
       as tenants, \
    exists (select from app.incident_tenants t where t.incident_id = i.id \
       and (coalesce(t.notified_at, now()) > i.notify_deadline \
            or (coalesce(t.recipients, 0) = 0 and now() > i.notify_deadline))) as overdue";

impl FromRow for Incident {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        let tenants: serde_json::Value = row.try_get("tenants")?;
        let tenants = tenants
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| {
                        Some(AffectedTenant {
                            tenant_id: t.get("tenant_id")?.as_str()?.parse().ok()?,
                            notified_at: t
                                .get("notified_at")
                                .and_then(|v| v.as_str())
                                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                                .map(|d| d.with_timezone(&Utc)),
                            recipients: t
                                .get("recipients")
                                .and_then(serde_json::Value::as_i64)
                                .and_then(|n| i32::try_from(n).ok()),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            severity: row.try_get("severity")?,
            status: row.try_get("status")?,
            declared_by: row.try_get("declared_by")?,
            declared_at: row.try_get("declared_at")?,
            notify_deadline: row.try_get("notify_deadline")?,
            resolved_at: row.try_get("resolved_at")?,
            tenants,
            overdue: row.try_get("overdue")?,
        })
    }
}

pub async fn get(tx: &mut Tx, id: Uuid) -> Result<Incident, CoreError> {
    let sql = format!("select {COLUMNS} from app.incidents i where i.id = $1");
    Ok(tx.query_one_as(&sql, &[&id]).await?)
}

/// Newest first, at most 200.
pub async fn list(tx: &mut Tx) -> Result<Vec<Incident>, CoreError> {
    let sql = format!("select {COLUMNS} from app.incidents i order by i.declared_at desc, i.id limit 200");
    Ok(tx.query_as(&sql, &[]).await?)
}

pub async fn resolve(tx: &mut Tx, id: Uuid) -> Result<Incident, CoreError> {
    let n = tx
        .execute(
            "update app.incidents set status = 'resolved', resolved_at = coalesce(resolved_at, now()) where id = $1",
            &[&id],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound);
    }
    get(tx, id).await
}

/// A notice to send: one incident, one affected tenant, its active admins.
#[derive(Debug, Clone)]
pub struct Notice {
    pub incident_id: Uuid,
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub title: String,
    pub description: String,
    pub severity: String,
    pub declared_at: DateTime<Utc>,
    pub notify_deadline: DateTime<Utc>,
    pub recipients: Vec<String>,
}

/// The columns of `app.claim_incident_notices` (migration 0008).
impl FromRow for Notice {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            incident_id: row.try_get("incident_id")?,
            tenant_id: row.try_get("tenant_id")?,
            tenant_name: row.try_get("tenant_name")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            severity: row.try_get("severity")?,
            declared_at: row.try_get("declared_at")?,
            notify_deadline: row.try_get("notify_deadline")?,
            recipients: row.try_get("recipients")?,
        })
    }
}

/// Claims up to `limit` pending notices (rows stay locked until the transaction ends). Runs in a
/// `Db::system` transaction.
pub async fn claim_notices(tx: &mut Tx, limit: i32) -> Result<Vec<Notice>, CoreError> {
    Ok(tx
        .query_as("select * from app.claim_incident_notices($1)", &[&limit])
        .await?)
}

/// Records that the notice went out to `recipients` addresses. A notice that reached nobody still
/// counts as overdue once the deadline passes.
pub async fn mark_notified(tx: &mut Tx, notice: &Notice, recipients: usize) -> Result<(), CoreError> {
    let count = i32::try_from(recipients).unwrap_or(i32::MAX);
    tx.execute(
        "select app.mark_incident_notified($1, $2, $3)",
        &[&notice.incident_id, &notice.tenant_id, &count],
    )
    .await?;
    Ok(())
}
