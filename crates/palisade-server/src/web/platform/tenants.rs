//! The tenants, in slug order, 50 a page by keyset: each one's status and number of active members,
//! and nothing of what it holds.
use askama::Template;
use axum::http::StatusCode;
use palisade_core::tenancy::{self, PlatformTenant};
use serde::Deserialize;

use super::enter_platform;
use crate::web::error::PageResult;
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{PageQuery, Visitor};
use crate::web::shell::Shell;

const PAGE: i64 = 50;

#[derive(Default, Deserialize)]
pub struct After {
    #[serde(default)]
    after: String,
}

pub struct Row {
    id: String,
    slug: String,
    name: String,
    status: String,
    members: i64,
    created: String,
}

#[derive(Template)]
#[template(path = "app/platform_tenants.html")]
struct TenantsPage {
    shell: Shell,
    rows: Vec<Row>,
    next: Option<String>,
    paged: bool,
}

fn row(t: PlatformTenant) -> Row {
    Row {
        id: t.id.to_string(),
        slug: t.slug,
        name: t.name,
        status: t.status,
        members: t.active_members,
        created: when(t.created_at),
    }
}

pub async fn show(visitor: Visitor, PageQuery(q): PageQuery<After>) -> PageResult {
    let after = (!q.after.is_empty()).then_some(q.after.as_str());
    let (mut tx, shell) = enter_platform(&visitor, "tenants").await?;
    let (tenants, next) = tenancy::platform_list(&mut tx, after, None, PAGE).await?;
    tx.commit().await?;
    let page = TenantsPage {
        shell,
        rows: tenants.into_iter().map(row).collect(),
        next: next.map(|slug| serde_urlencoded::to_string([("after", slug)]).unwrap_or_default()),
        paged: after.is_some(),
    };
    Ok(render_app(StatusCode::OK, &page))
}
