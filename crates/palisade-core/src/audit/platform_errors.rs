//! Error events: failures grouped by fingerprint for platform admins (DESIGN §1.9). Messages are
//! fixed strings chosen by code, never request data.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::CoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Error,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    Api,
    Worker,
    Webhook,
    Delivery,
    Auth,
    Job,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

impl Surface {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Worker => "worker",
            Self::Webhook => "webhook",
            Self::Delivery => "delivery",
            Self::Auth => "auth",
            Self::Job => "job",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ErrorReport {
    pub severity: Severity,
    pub surface: Surface,
    pub tenant: Option<TenantId>,
    /// Stable, machine-readable code (e.g. `internal`, `job_failed`).
    pub code: &'static str,
    /// Fixed text without PII.
    pub message: &'static str,
    /// Route template, job name or provider: part of the fingerprint.
    pub operation: String,
}

/// Records one occurrence (in a `Db::system` transaction). Returns the error event's id.
#[instrument(skip_all, fields(code = report.code), err(level = "debug"))]
pub async fn record(tx: &mut Tx, report: &ErrorReport) -> Result<Uuid, CoreError> {
    let row = tx
        .query_one(
            "select app.record_error_event($1, $2, $3, $4, $5, $6) as id",
            &[
                &report.severity.as_str(),
                &report.surface.as_str(),
                &report.tenant.map(|t| *t.as_uuid()),
                &report.code,
                &report.message,
                &report.operation,
            ],
        )
        .await?;
    Ok(row.try_get("id")?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEvent {
    pub id: Uuid,
    pub fingerprint: String,
    pub severity: String,
    pub surface: String,
    pub tenant_id: Option<Uuid>,
    pub code: String,
    pub message: String,
    /// Request id of the latest occurrence.
    pub correlation_id: Option<String>,
    pub count: i64,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ErrorFilter {
    #[param(value_type = Option<Surface>, inline)]
    pub surface: Option<Surface>,
    #[param(value_type = Option<Severity>, inline)]
    pub severity: Option<Severity>,
    pub tenant_id: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Number of events to skip (most recently seen first).
    #[param(minimum = 0, maximum = 100_000)]
    pub offset: Option<i64>,
}

impl FromRow for ErrorEvent {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            fingerprint: row.try_get("fingerprint")?,
            severity: row.try_get("severity")?,
            surface: row.try_get("surface")?,
            tenant_id: row.try_get("tenant_id")?,
            code: row.try_get("code")?,
            message: row.try_get("message")?,
            correlation_id: row.try_get("correlation_id")?,
            count: row.try_get("count")?,
            first_seen: row.try_get("first_seen")?,
            last_seen: row.try_get("last_seen")?,
        })
    }
}

/// Most recently seen first. Only platform admins see any rows (policy); the caller checks first so
/// everyone else gets a clear 403 rather than an empty list.
#[instrument(skip_all, err(level = "debug"))]
pub async fn list(tx: &mut Tx, filter: &ErrorFilter) -> Result<Vec<ErrorEvent>, CoreError> {
    let limit = crate::page::page_limit(filter.limit)?;
    let offset = filter.offset.unwrap_or(0);
    if !(0..=100_000).contains(&offset) {
        return Err(CoreError::invalid(
            "invalid_offset",
            "offset must be between 0 and 100000",
        ));
    }
    Ok(tx
        .query_as(
            "select id, fingerprint, severity, surface, tenant_id, code, message, correlation_id, count, first_seen, \
               last_seen from app.error_events \
             where ($1::text is null or surface = $1) and ($2::text is null or severity = $2) \
               and ($3::uuid is null or tenant_id = $3) \
             order by last_seen desc, id limit $4 offset $5",
            &[
                &filter.surface.map(Surface::as_str),
                &filter.severity.map(Severity::as_str),
                &filter.tenant_id,
                &limit,
                &offset,
            ],
        )
        .await?)
}

/// True when the transaction's user is a platform admin.
pub async fn is_platform_admin(tx: &mut Tx) -> Result<bool, CoreError> {
    Ok(tx
        .query_one("select ctx.is_platform_admin() as is_platform_admin", &[])
        .await?
        .try_get("is_platform_admin")?)
}
