//! The lead list: newest first, filtered by status, paged by keyset (a cursor in the address); and
//! finding leads by name, email address or phone number.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use palisade_core::crm::leads::{self, Lead, LeadFilter, Phones};
use palisade_core::CoreError;
use palisade_db::{TenantId, TenantRole};
use serde::Deserialize;
use uuid::Uuid;

use super::{when, STATUSES};
use crate::state::AppState;
use crate::web::error::{cursor, path_id, PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
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
    search: Search,
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
    let cursor = cursor(&query.cursor)?;
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
    let view = LeadsPage {
        shell,
        heading: heading(role),
        tenant_id,
        rows: page.items.into_iter().map(row).collect(),
        status: status.to_owned(),
        statuses: STATUSES.iter().map(|s| s.as_str()).collect(),
        paged: filter.cursor.is_some(),
        next,
        search: Search::default(),
    };
    Ok(render_app(StatusCode::OK, &view))
}

fn heading(role: TenantRole) -> &'static str {
    if role >= TenantRole::Manager {
        "Team leads"
    } else {
        "My leads"
    }
}

/// The search box as typed, and what came of it.
#[derive(Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
}

#[derive(Default)]
pub struct Search {
    /// What was searched for ("" when this is the plain list).
    text: String,
    /// More leads match than one page shows.
    more: bool,
    error: Option<String>,
}

/// What the text names: an address has an `@`; a number is digits with the usual punctuation;
/// anything else is a part of a name.
fn search_filter(text: &str) -> LeadFilter {
    let text = text.trim().to_owned();
    let phone_like = text.chars().filter(char::is_ascii_digit).count() >= 5
        && text.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let mut filter = LeadFilter {
        limit: Some(PAGE_SIZE),
        ..LeadFilter::default()
    };
    if text.contains('@') {
        filter.email = Some(text);
    } else if phone_like {
        filter.phone = Some(text);
    } else {
        filter.name = Some(text);
    }
    filter
}

/// Finds leads by name, email address or phone number. A post, so a number or an address never
/// sits in an address bar, a history or a log; the first page of matches is shown.
pub async fn search(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<SearchForm>,
) -> PageResult {
    let filter = search_filter(&post.form.q);
    let (mut tx, shell) = shell::enter(&post.visitor, path_id(&tenant)?, "leads").await?;
    let (tenant_id, role) = shell.workspace()?;
    let tenant = TenantId::from_uuid(tenant_id);
    let found = leads::list_with(&mut tx, tenant, &filter, state.phone_keys(), Phones::Masked).await;
    let (rows, search, status) = match found {
        Ok(page) => {
            tx.commit().await?;
            let search = Search {
                text: post.form.q.trim().to_owned(),
                more: page.next_cursor.is_some(),
                error: None,
            };
            (page.items.into_iter().map(row).collect(), search, StatusCode::OK)
        }
        Err(CoreError::Invalid { message, .. }) => {
            let search = Search {
                text: post.form.q,
                more: false,
                error: Some(message),
            };
            (Vec::new(), search, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return Err(e.into()),
    };
    let view = LeadsPage {
        shell,
        heading: heading(role),
        tenant_id,
        rows,
        status: String::new(),
        statuses: STATUSES.iter().map(|s| s.as_str()).collect(),
        paged: false,
        next: None,
        search,
    };
    Ok(render_app(status, &view))
}
