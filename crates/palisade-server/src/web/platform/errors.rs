//! Error events, most recently seen first, filtered by surface and severity. The list is ordered by
//! when an error last happened, which changes as it recurs, so pages go by position (as the API's
//! `offset`), not by a cursor that a recurring error would move past.
use askama::Template;
use axum::http::StatusCode;
use palisade_core::audit::platform_errors::{self, ErrorEvent, ErrorFilter};
use serde::Deserialize;

use super::enter_platform;
use crate::web::error::{PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{PageQuery, Visitor};
use crate::web::shell::Shell;

const PAGE: i64 = 50;
const SURFACES: [&str; 6] = ["api", "worker", "webhook", "delivery", "auth", "job"];
const SEVERITIES: [&str; 3] = ["critical", "error", "warning"];

#[derive(Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    surface: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    offset: Option<i64>,
}

pub struct Row {
    severity: String,
    surface: String,
    code: String,
    message: String,
    count: i64,
    first: String,
    last: String,
    tenant: String,
    request: String,
}

#[derive(Template)]
#[template(path = "app/platform_errors.html")]
struct ErrorsPage {
    shell: Shell,
    rows: Vec<Row>,
    filters: Filters,
    surfaces: [&'static str; 6],
    severities: [&'static str; 3],
    next: Option<String>,
}

/// A word from the filter's list as the filter's type (anything else is a broken address).
fn word<T: serde::de::DeserializeOwned>(text: &str, allowed: &[&str]) -> Result<Option<T>, PageError> {
    if text.is_empty() {
        return Ok(None);
    }
    if !allowed.contains(&text) {
        return Err(PageError::BadRequest("no such filter value".into()));
    }
    serde_json::from_value(serde_json::Value::String(text.into()))
        .map(Some)
        .map_err(|_| PageError::BadRequest("no such filter value".into()))
}

fn row(e: ErrorEvent) -> Row {
    Row {
        severity: e.severity,
        surface: e.surface,
        code: e.code,
        message: e.message,
        count: e.count,
        first: when(e.first_seen),
        last: when(e.last_seen),
        tenant: e.tenant_id.map(|t| t.to_string()).unwrap_or_default(),
        request: e.correlation_id.unwrap_or_default(),
    }
}

pub async fn show(visitor: Visitor, PageQuery(filters): PageQuery<Filters>) -> PageResult {
    let offset = filters.offset.unwrap_or(0);
    let filter = ErrorFilter {
        surface: word(&filters.surface, &SURFACES)?,
        severity: word(&filters.severity, &SEVERITIES)?,
        tenant_id: None,
        limit: Some(PAGE + 1),
        offset: Some(offset),
    };
    let (mut tx, shell) = enter_platform(&visitor, "errors").await?;
    let mut events = platform_errors::list(&mut tx, &filter).await?;
    tx.commit().await?;
    let more = events.len() > usize::try_from(PAGE).unwrap_or(usize::MAX);
    events.truncate(usize::try_from(PAGE).unwrap_or(usize::MAX));
    let next = more.then(|| {
        let query = [
            ("surface", filters.surface.as_str()),
            ("severity", filters.severity.as_str()),
        ];
        let query = serde_urlencoded::to_string(query).unwrap_or_default();
        format!("?{query}&offset={}", offset + PAGE)
    });
    let page = ErrorsPage {
        shell,
        rows: events.into_iter().map(row).collect(),
        filters,
        surfaces: SURFACES,
        severities: SEVERITIES,
        next,
    };
    Ok(render_app(StatusCode::OK, &page))
}
