//! My coaching: the observations about my work (the assistant's, from calls, and my own notes),
//! rep-private like drafts: row-level security shows them to their owner only, managers included.
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::page::PageParams;
use palisade_core::private::{self, coaching::NewObservation, coaching::Observation};
use palisade_core::CoreError;
use serde::Deserialize;
use uuid::Uuid;

use super::{enter_mine, ListQuery};
use crate::error::ApiError;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, PageQuery, Visitor};
use crate::web::shell::Shell;

const PAGE: i64 = 25;

pub struct Row {
    id: Uuid,
    category: String,
    text: String,
    by_assistant: bool,
    lead: Option<Uuid>,
    when: String,
}

#[derive(Default, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    observation: String,
}

#[derive(Default)]
pub struct NoteErrors {
    category: Option<String>,
    observation: Option<String>,
}

#[derive(Template)]
#[template(path = "app/coaching.html")]
struct CoachingPage {
    shell: Shell,
    tenant_id: Uuid,
    rows: Vec<Row>,
    next: Option<Uuid>,
    paged: bool,
    form: NoteForm,
    errors: NoteErrors,
    notice: Option<&'static str>,
}

fn row(o: Observation) -> Row {
    Row {
        id: o.id,
        category: o.category,
        text: o.observation,
        by_assistant: o.source == "ai",
        lead: o.lead_id,
        when: when(o.created_at),
    }
}

async fn render(
    visitor: &Visitor,
    tenant: &str,
    q: &ListQuery,
    typed: (NoteForm, NoteErrors),
    status: StatusCode,
) -> PageResult {
    let (mut tx, shell, id) = enter_mine(visitor, tenant, "coaching").await?;
    let params = PageParams {
        limit: Some(PAGE),
        cursor: q.cursor()?,
    };
    let me = visitor.caller().user_id();
    let page = private::list::<Observation>(&mut tx, id, me, &params).await?;
    tx.commit().await?;
    let page = CoachingPage {
        shell,
        tenant_id: *id.as_uuid(),
        rows: page.items.into_iter().map(row).collect(),
        next: page.next_cursor,
        paged: params.cursor.is_some(),
        form: typed.0,
        errors: typed.1,
        notice: q.notice(),
    };
    Ok(render_app(status, &page))
}

pub async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    render(&visitor, &tenant, &q, Default::default(), StatusCode::OK).await
}

pub async fn add(Path(tenant): Path<String>, post: FormPost<NoteForm>) -> PageResult {
    let input = NewObservation {
        lead_id: None,
        category: post.form.category.trim().to_owned(),
        observation: post.form.observation.trim().to_owned(),
    };
    let (mut tx, _, id) = enter_mine(&post.visitor, &tenant, "coaching").await?;
    let me = post.visitor.caller().user_id();
    match private::create::<Observation>(&mut tx, id, me, &input).await {
        Ok(_) => tx.commit().await?,
        Err(e @ CoreError::Invalid { .. }) => {
            drop(tx);
            let message = ApiError::from(e).message;
            let errors = if message.starts_with("category") {
                NoteErrors {
                    category: Some(message),
                    ..NoteErrors::default()
                }
            } else {
                NoteErrors {
                    observation: Some(message),
                    ..NoteErrors::default()
                }
            };
            let q = ListQuery::default();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&post.visitor, &tenant, &q, (post.form, errors), status).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{id}/coaching?done=added")).into_response())
}

pub async fn delete(Path((tenant, note)): Path<(String, String)>, post: FormPost<NoFields>) -> PageResult {
    let note = path_id(&note)?;
    let (mut tx, _, id) = enter_mine(&post.visitor, &tenant, "coaching").await?;
    let me = post.visitor.caller().user_id();
    match private::delete::<Observation>(&mut tx, id, me, note).await {
        Ok(()) => tx.commit().await?,
        Err(CoreError::NotFound) => {
            return Err(PageError::NotFoundBecause(
                "This observation was already deleted.",
            ))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{id}/coaching?done=deleted")).into_response())
}
