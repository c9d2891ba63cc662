//! The lead list: newest first, filtered by status, paged by keyset (a cursor in the address).
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use palisade_core::crm::leads::{self, Lead, LeadFilter, Phones};
use palisade_db::{TenantId, TenantRole};
use serde::Deserialize;
use uuid::Uuid;

use super::{when, STATUSES};
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{PageQuery, Visitor};
use crate::web::shell::{self, Shell};

pub const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    cursor: String,
}

pub struct Row {
    id: Uuid,
    name: String,
    email: String,
    status: String,
    phone_on_file: bool,
    updated: String,
}

#[derive(Template)]
#[template(path = "app/leads.html")]
struct LeadsPage {
    shell: Shell,
    heading: &'static str,
    tenant_id: Uuid,
    rows: Vec<Row>,
    status: String,
    statuses: Vec<&'static str>,
    paged: bool,
    next: Option<String>,
}

fn row(l: Lead) -> Row {
    Row {
        id: l.id,
        name: l.name,
        email: l.email.unwrap_or_default(),
        status: l.status,
        phone_on_file: l.phone_on_file,
        updated: when(l.updated_at),
    }
}

fn filter(query: &ListQuery) -> Result<LeadFilter, PageError> {
    let status = match query.status.as_str() {
        "" => None,
        s => Some(
            STATUSES
                .into_iter()
                .find(|st| st.as_str() == s)
                .ok_or_else(|| PageError::BadRequest("no such status".into()))?,
        ),
    };
    let cursor = match query.cursor.as_str() {
        "" => None,
        c => Some(
            c.parse()
                .map_err(|_| PageError::BadRequest("the page link is broken".into()))?,
        ),
    };
    Ok(LeadFilter {
        status,
        cursor,
        limit: Some(PAGE_SIZE),
        ..LeadFilter::default()
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(query): PageQuery<ListQuery>,
) -> PageResult {
    let filter = filter(&query)?;
    let (mut tx, shell) = shell::enter(&visitor, path_id(&tenant)?, "leads").await?;
    let (tenant_id, role) = shell.workspace()?;
    let tenant = TenantId::from_uuid(tenant_id);
    let page = leads::list_with(&mut tx, tenant, &filter, state.phone_keys(), Phones::Masked).await?;
    tx.commit().await?;
    // Built from the checked filter, never from the raw address.
    let status = filter.status.map_or("", |s| s.as_str());
    let next = page.next_cursor.map(|c| format!("?status={status}&cursor={c}"));
    let page = LeadsPage {
        shell,
        heading: if role >= TenantRole::Manager {
            "Team leads"
        } else {
            "My leads"
        },
        tenant_id,
        rows: page.items.into_iter().map(row).collect(),
        status: status.to_owned(),
        statuses: STATUSES.iter().map(|s| s.as_str()).collect(),
        paged: filter.cursor.is_some(),
        next,
    };
    Ok(render_app(StatusCode::OK, &page))
}
