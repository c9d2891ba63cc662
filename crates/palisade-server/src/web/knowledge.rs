//! The knowledge base the assistant answers from: every member reads it and can try a question;
//! managers and admins add and remove entries (the database checks the role again).
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use palisade_core::ai::knowledge::retrieval::{self, MIN_COVERAGE};
use palisade_core::ai::knowledge::{self, EntryKind, NewEntry};
use palisade_core::page::PageParams;
use palisade_db::{TenantId, TenantRole};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, PageQuery, Visitor};
use crate::web::shell::{self, Shell};

const SECTION: &str = "knowledge";
const REFUSAL: &str = "The knowledge base is written by managers and admins.";

pub struct EntryRow {
    id: Uuid,
    kind: &'static str,
    title: String,
    updated: String,
}

pub struct Hit {
    heading: String,
    text: String,
    coverage: u32,
    answers: bool,
}

#[derive(Template)]
#[template(path = "app/knowledge.html")]
struct KnowledgePage {
    shell: Shell,
    tenant_id: Uuid,
    entries: Vec<EntryRow>,
    more: bool,
    can_write: bool,
    q: String,
    hits: Option<Vec<Hit>>,
    notice: Option<&'static str>,
}

#[derive(Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    done: Option<String>,
}

async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> PageResult {
    let (mut tx, shell) = shell::enter(&visitor, path_id(&tenant)?, SECTION).await?;
    let (tenant_id, role) = shell.workspace()?;
    let id = TenantId::from_uuid(tenant_id);
    let page = PageParams {
        limit: Some(100),
        cursor: None,
    };
    let entries = knowledge::list(&mut tx, id, &page).await?;
    let q = query.q.trim().chars().take(500).collect::<String>();
    let hits = if q.is_empty() {
        None
    } else {
        let found = retrieval::search(&mut tx, id, &q, 5).await?;
        Some(
            found
                .into_iter()
                .map(|p| Hit {
                    heading: p.heading,
                    text: p.text,
                    coverage: (p.coverage * 100.0).round() as u32,
                    answers: p.coverage >= MIN_COVERAGE,
                })
                .collect(),
        )
    };
    tx.commit().await?;
    let notice = match query.done.as_deref() {
        Some("added") => Some("Entry added: the assistant answers from it from now on."),
        Some("deleted") => Some("Entry deleted."),
        _ => None,
    };
    let page = KnowledgePage {
        shell,
        tenant_id,
        more: entries.next_cursor.is_some(),
        entries: entries
            .items
            .into_iter()
            .map(|e| EntryRow {
                id: e.id,
                kind: if e.kind == "faq" { "FAQ" } else { "Document" },
                title: e.title,
                updated: when(e.updated_at),
            })
            .collect(),
        can_write: role >= TenantRole::Manager,
        q,
        hits,
        notice,
    };
    Ok(render_app(StatusCode::OK, &page))
}

#[derive(Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    language: String,
}

async fn add(Path(tenant): Path<String>, post: FormPost<EntryForm>) -> PageResult {
    let kind = match post.form.kind.as_str() {
        "faq" => EntryKind::Faq,
        "document" => EntryKind::Document,
        _ => return Err(PageError::BadRequest("Choose an FAQ entry or a document.".into())),
    };
    let (mut tx, _, id) =
        shell::enter_as(&post.visitor, &tenant, SECTION, TenantRole::Manager, REFUSAL).await?;
    let entry = NewEntry {
        kind,
        title: post.form.title.clone(),
        body: post.form.body.clone(),
        language: Some(post.form.language.clone()).filter(|l| !l.is_empty()),
    };
    knowledge::create(&mut tx, id, &entry)
        .await
        .map_err(ApiError::from)?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/knowledge?done=added")).into_response())
}

async fn delete(Path((tenant, entry)): Path<(String, String)>, post: FormPost<NoFields>) -> PageResult {
    let entry = path_id(&entry)?;
    let (mut tx, _, id) =
        shell::enter_as(&post.visitor, &tenant, SECTION, TenantRole::Manager, REFUSAL).await?;
    knowledge::delete(&mut tx, id, entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/knowledge?done=deleted")).into_response())
}

/// The routes this module answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/knowledge", get(show).post(add))
        .route("/t/{tenant}/knowledge/{entry}/delete", post(delete))
}
