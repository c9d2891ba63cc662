//! The audit log for managers and admins: the tenant's recorded changes, newest first, filtered by
//! table, person and day, with the filtered events as CSV (each export access-logged, as through the
//! API). Events of rep-private records are not in it: the policy on `audit.events` keeps them for
//! their owner.
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Days, NaiveDate, TimeZone, Utc};
use palisade_core::audit::events::{self, AuditEvent, AuditFilter};
use palisade_core::tenancy;
use palisade_db::{TenantId, TenantRole, Tx};
use serde::Deserialize;
use uuid::Uuid;

use super::error::{PageError, PageResult};
use super::leads::when;
use super::page::render_app;
use super::session::{from_our_page, PageQuery, Visitor};
use super::shell::{self, Shell};
use crate::admin::audit::{csv_response, export_csv};
use crate::extract::ClientIp;
use crate::state::AppState;

/// Events per page.
const PAGE: i64 = 50;
/// The tables a filter offers (any other name is refused, as by the API).
const TABLES: [&str; 11] = [
    "leads",
    "deals",
    "interactions",
    "outbound_messages",
    "consent_events",
    "suppressions",
    "memberships",
    "invitations",
    "message_templates",
    "integrations",
    "tenants",
];

/// The filters as typed in the address (kept, and shown back in the form).
#[derive(Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    table: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    cursor: String,
}

pub struct Row {
    when: String,
    who: String,
    what: String,
    record: String,
    changed: String,
}

pub struct Person {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "app/audit.html")]
struct AuditLogPage {
    shell: Shell,
    tenant_id: Uuid,
    rows: Vec<Row>,
    filters: Filters,
    tables: &'static [&'static str],
    people: Vec<Person>,
    query: String,
    next: Option<String>,
}

fn day(text: &str, field: &str) -> Result<Option<NaiveDate>, PageError> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| PageError::BadRequest(format!("{field} must be a date")))
}

/// The checked filter: days are whole UTC days, `to` included.
fn filter(f: &Filters) -> Result<AuditFilter, PageError> {
    let bad = |what: &str| PageError::BadRequest(what.to_owned());
    let midnight = |d: NaiveDate| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN));
    let table = (!f.table.is_empty()).then(|| f.table.clone());
    if table.as_deref().is_some_and(|t| !TABLES.contains(&t)) {
        return Err(bad("no such table"));
    }
    let filter = AuditFilter {
        table,
        actor_id: (!f.actor.is_empty())
            .then(|| f.actor.parse())
            .transpose()
            .map_err(|_| bad("no such person"))?,
        from: day(&f.from, "From")?.map(midnight),
        to: day(&f.to, "To")?
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .map(midnight),
        cursor: (!f.cursor.is_empty())
            .then(|| f.cursor.parse())
            .transpose()
            .map_err(|_| bad("the page link is broken"))?,
        limit: Some(PAGE),
        ..AuditFilter::default()
    };
    filter.validate()?;
    Ok(filter)
}

/// What the filters are in an address, without the cursor (for the next page and the export).
fn query(f: &Filters) -> String {
    serde_urlencoded::to_string([
        ("table", &f.table),
        ("actor", &f.actor),
        ("from", &f.from),
        ("to", &f.to),
    ])
    .unwrap_or_default()
}

fn row(e: AuditEvent, names: &HashMap<Uuid, String>) -> Row {
    let who = match (e.actor_user_id, e.actor_kind.as_str()) {
        (Some(id), _) => names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "a former member".into()),
        (None, kind) => format!("{kind} ({})", e.purpose.as_deref().unwrap_or("unnamed")),
    };
    let changed = match (&e.before, &e.after) {
        _ if e.redacted => "erased on request".to_owned(),
        (Some(b), Some(a)) => {
            let keys = a.as_object().map(|a| {
                a.iter()
                    .filter(|(k, v)| b.get(k.as_str()) != Some(v))
                    .map(|(k, _)| k.clone())
                    .collect::<Vec<_>>()
            });
            keys.map(|k| k.join(", ")).unwrap_or_default()
        }
        _ => String::new(),
    };
    Row {
        when: when(e.occurred_at),
        who,
        what: format!("{} {}", e.op.to_lowercase(), e.table),
        record: e.row_key,
        changed,
    }
}

/// Opens the workspace as a manager or admin (the API's rule for the audit log).
async fn as_manager(visitor: &Visitor, tenant: &str) -> Result<(Tx, Shell, TenantId), PageError> {
    let refusal = "The audit log is for managers and admins.";
    shell::enter_as(visitor, tenant, "audit", TenantRole::Manager, refusal).await
}

async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(filters): PageQuery<Filters>,
) -> PageResult {
    let checked = filter(&filters)?;
    let (mut tx, shell, id) = as_manager(&visitor, &tenant).await?;
    let page = events::list(&mut tx, id, &checked, checked.cursor, PAGE).await?;
    let members = tenancy::list_members(&mut tx, id).await?;
    tx.commit().await?;
    let names: HashMap<Uuid, String> = members.iter().map(|m| (m.user_id, m.email.clone())).collect();
    let query = query(&filters);
    let page = AuditLogPage {
        tenant_id: *id.as_uuid(),
        shell,
        rows: page.items.into_iter().map(|e| row(e, &names)).collect(),
        next: page.next_cursor.map(|c| format!("{query}&cursor={c}")),
        people: members
            .into_iter()
            .map(|m| Person {
                id: m.user_id.to_string(),
                name: m.email,
            })
            .collect(),
        tables: &TABLES,
        filters,
        query,
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// The filtered events as CSV: a read with a side effect (the access log), so only from our page.
async fn export(
    visitor: Visitor,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    PageQuery(filters): PageQuery<Filters>,
) -> Result<Response, PageError> {
    from_our_page(&headers, &state, "Start the export from the audit log page.")?;
    let mut checked = filter(&filters)?;
    checked.limit = None;
    let (mut tx, _, id) = as_manager(&visitor, &tenant).await?;
    let (body, next) = export_csv(&mut tx, id, &checked, ip).await?;
    tx.commit().await?;
    Ok(csv_response(body, next))
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/audit", get(show))
        .route("/t/{tenant}/audit/export.csv", get(export))
}
