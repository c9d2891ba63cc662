//! Incidents (admins): what the platform declared about this workspace — the notice its admins were
//! emailed, whether it is resolved, and when they were told — as `GET /api/v1/audit/incidents` returns it.
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use palisade_core::audit::tenant_incidents::{self, TenantIncident};
use palisade_core::page::PageParams;
use serde::Deserialize;
use uuid::Uuid;

use super::{as_admin_of, cursor};
use crate::web::error::PageResult;
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{PageQuery, Visitor};
use crate::web::shell::Shell;

const PAGE: i64 = 20;

pub struct IncidentView {
    title: String,
    description: String,
    severity: String,
    resolved: bool,
    declared: String,
    resolved_at: String,
    /// When this workspace's admins were emailed ("" while pending).
    notified: String,
}

fn view(i: TenantIncident) -> IncidentView {
    IncidentView {
        title: i.title,
        description: i.description,
        severity: i.severity,
        resolved: i.status == "resolved",
        declared: when(i.declared_at),
        resolved_at: i.resolved_at.map(when).unwrap_or_default(),
        notified: i.notified_at.map(when).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "app/incidents.html")]
struct IncidentsPage {
    shell: Shell,
    incidents: Vec<IncidentView>,
    next: Option<Uuid>,
    paged: bool,
}

#[derive(Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    cursor: String,
}

pub async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    let params = PageParams {
        limit: Some(PAGE),
        cursor: cursor(&q.cursor)?,
    };
    let (mut tx, shell, id) = as_admin_of(&visitor, &tenant, "incidents").await?;
    let page = tenant_incidents::list(&mut tx, id, &params).await?;
    tx.commit().await?;
    let page = IncidentsPage {
        shell,
        incidents: page.items.into_iter().map(view).collect(),
        next: page.next_cursor,
        paged: params.cursor.is_some(),
    };
    Ok(render_app(StatusCode::OK, &page))
}
