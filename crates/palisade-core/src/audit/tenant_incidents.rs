//! Incidents as an affected tenant's admins see them (migration 0039's `app.incidents_for_admin`): what
//! the notice email said, whether the incident is resolved, and when this tenant was told — never which
//! other tenants were affected, nor who on the platform declared it.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::PageParams;
use crate::CoreError;

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantIncident {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// `open` or `resolved`.
    pub status: String,
    pub declared_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// When this tenant's admins were sent the notice; absent while it is pending.
    pub notified_at: Option<DateTime<Utc>>,
}

impl FromRow for TenantIncident {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            severity: row.try_get("severity")?,
            status: row.try_get("status")?,
            declared_at: row.try_get("declared_at")?,
            resolved_at: row.try_get("resolved_at")?,
            notified_at: row.try_get("notified_at")?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantIncidentPage {
    pub items: Vec<TenantIncident>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

/// The incidents that affected `tenant`, newest declared first, through `app.incidents_for_admin`
/// (migration 0039): the caller acts in the tenant as an admin, or the list is empty. A cursor naming
/// no incident of the tenant ends the list.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    params: &PageParams,
) -> Result<TenantIncidentPage, CoreError> {
    let limit = params.limit()?;
    let over = i32::try_from(limit + 1).unwrap_or(i32::MAX);
    let rows = tx
        .query(
            "select * from app.incidents_for_admin($1, $2, $3)",
            &[tenant.as_uuid(), &params.cursor, &over],
        )
        .await?;
    let page = crate::page::Page::<TenantIncident>::read(&rows, limit, |i| i.id)?;
    Ok(TenantIncidentPage {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}
