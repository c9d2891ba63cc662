//! Review and send: the visitor's own drafts (rep-private: row-level security shows a person only
//! theirs, managers included), each opened to edit, save, or send through the consent-gated outbox.
mod edit;
mod form;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use palisade_core::page::PageParams;
use palisade_core::private::{self, drafts::Draft};
use palisade_db::TenantId;
use serde::Deserialize;
use uuid::Uuid;

use crate::state::AppState;
use crate::web::error::{cursor, path_id, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{PageQuery, Visitor};
use crate::web::shell::{self, Shell};

pub struct Row {
    id: Uuid,
    channel: &'static str,
    subject: String,
    preview: String,
    updated: String,
    has_lead: bool,
}

#[derive(Template)]
#[template(path = "app/drafts.html")]
struct DraftsPage {
    shell: Shell,
    tenant_id: Uuid,
    rows: Vec<Row>,
    next: Option<Uuid>,
    paged: bool,
}

/// The first line of a body, at most 120 characters.
fn preview(body: &str) -> String {
    let line = body.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(120).collect();
    if short.len() < line.len() || body.lines().nth(1).is_some() {
        short.push('…');
    }
    short
}

fn row(d: Draft) -> Row {
    Row {
        id: d.id,
        channel: form::channel_label(&d.channel),
        subject: d.subject.unwrap_or_default(),
        preview: preview(&d.body),
        updated: when(d.updated_at),
        has_lead: d.lead_id.is_some(),
    }
}

#[derive(Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    cursor: String,
}

/// The visitor's drafts, newest first, 50 a page.
async fn list(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    let cursor = cursor(&q.cursor)?;
    let (mut tx, shell) = shell::enter(&visitor, path_id(&tenant)?, "drafts").await?;
    let (tenant_id, _) = shell.workspace()?;
    let me = visitor.caller().user_id();
    let page = PageParams {
        limit: Some(50),
        cursor,
    };
    let drafts = private::list::<Draft>(&mut tx, TenantId::from_uuid(tenant_id), me, &page).await?;
    tx.commit().await?;
    let page = DraftsPage {
        shell,
        tenant_id,
        rows: drafts.items.into_iter().map(row).collect(),
        next: drafts.next_cursor,
        paged: cursor.is_some(),
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// The routes this module answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/drafts", get(list).post(edit::create))
        .route("/t/{tenant}/drafts/new", get(edit::new))
        .route("/t/{tenant}/drafts/{draft}", get(edit::show).post(edit::act))
}

#[cfg(test)]
mod tests {
    use super::preview;

    #[test]
    fn a_preview_is_the_first_line_cut_at_120_characters() {
        assert_eq!(preview("Hello"), "Hello");
        assert_eq!(preview("Hello\nthere"), "Hello…");
        assert_eq!(preview(&"é".repeat(130)).chars().count(), 121);
    }
}
