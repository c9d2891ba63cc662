//! Privacy requests (admins): erase a person the workspace talks to (its receipt shows progress while
//! a large subject is still being erased), and export everything the workspace holds about them. The
//! person is named in the form's body, never in an address, as through the API.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use palisade_core::page::PageParams;
use palisade_core::privacy::erasure::{self, ErasureStatus, Receipt, SubjectKind};
use palisade_core::privacy::subject::SubjectRequest;
use palisade_core::privacy::subject_export;
use serde::Deserialize;
use uuid::Uuid;

use super::{as_admin_of, cursor};
use crate::error::ApiError;
use crate::privacy::erasures::start;
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "privacy";
const PAGE: i64 = 25;

/// A person named by one address, as typed.
#[derive(Default, Deserialize)]
pub struct SubjectForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

#[derive(Default)]
pub struct SubjectErrors {
    email: Option<String>,
    phone: Option<String>,
    /// Neither or both given.
    either: Option<&'static str>,
}

pub struct ErasureRow {
    id: Uuid,
    when: String,
    by: &'static str,
    running: bool,
    erased: i32,
    total: i32,
}

#[derive(Template)]
#[template(path = "app/privacy.html")]
struct PrivacyPage {
    shell: Shell,
    tenant_id: Uuid,
    erasures: Vec<ErasureRow>,
    next: Option<Uuid>,
    paged: bool,
    /// Which form `form` and `errors` belong to ("erase" or "export"; "" for none).
    which: &'static str,
    form: SubjectForm,
    errors: SubjectErrors,
}

pub struct TableRow {
    table: String,
    outcome: String,
    rows: String,
}

#[derive(Template)]
#[template(path = "app/erasure.html")]
struct ErasurePage {
    shell: Shell,
    tenant_id: Uuid,
    by: &'static str,
    running: bool,
    erased: i32,
    total: i32,
    tables: Vec<TableRow>,
    requested: String,
    finished: String,
}

fn subject_word(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::Phone => "phone number",
        SubjectKind::Email => "email address",
        SubjectKind::Lead => "lead",
    }
}

fn erasure_row(r: Receipt) -> ErasureRow {
    ErasureRow {
        id: r.id,
        when: when(r.requested_at),
        by: subject_word(r.subject),
        running: r.status == ErasureStatus::Running,
        erased: r.progress.leads_erased,
        total: r.progress.leads_total,
    }
}

#[derive(Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    cursor: String,
}

async fn render(
    visitor: &Visitor,
    tenant: &str,
    q: &ListQuery,
    typed: Typed,
    status: StatusCode,
) -> PageResult {
    let (mut tx, shell, id) = as_admin_of(visitor, tenant, SECTION).await?;
    let params = PageParams {
        limit: Some(PAGE),
        cursor: cursor(&q.cursor)?,
    };
    let page = erasure::list(&mut tx, id, &params).await?;
    tx.commit().await?;
    let page = PrivacyPage {
        shell,
        tenant_id: *id.as_uuid(),
        erasures: page.items.into_iter().map(erasure_row).collect(),
        next: page.next_cursor,
        paged: params.cursor.is_some(),
        which: typed.which,
        form: typed.form,
        errors: typed.errors,
    };
    Ok(render_app(status, &page))
}

#[derive(Default)]
struct Typed {
    which: &'static str,
    form: SubjectForm,
    errors: SubjectErrors,
}

pub async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    render(&visitor, &tenant, &q, Typed::default(), StatusCode::OK).await
}

/// The one address the form names, or what to fix.
fn subject(form: &SubjectForm) -> Result<SubjectRequest, SubjectErrors> {
    let (email, phone) = (form.email.trim(), form.phone.trim());
    let given = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    match (given(email), given(phone)) {
        (None, None) => Err(SubjectErrors {
            either: Some("Give the person's phone number or email address."),
            ..SubjectErrors::default()
        }),
        (Some(_), Some(_)) => Err(SubjectErrors {
            either: Some("Give one address at a time: the phone number or the email address."),
            ..SubjectErrors::default()
        }),
        (email, phone) => Ok(SubjectRequest {
            email,
            phone,
            lead_id: None,
        }),
    }
}

/// A refusal of the address given, put next to its field (anything else is the error page): one
/// the workspace cannot read (422), or, for an export, an address it holds nothing for (404).
fn field_error(request: &SubjectRequest, e: ApiError) -> Result<(SubjectErrors, StatusCode), PageError> {
    let message = match e.status {
        StatusCode::UNPROCESSABLE_ENTITY => e.message,
        StatusCode::NOT_FOUND => "This workspace holds nothing for this address.".to_owned(),
        _ => return Err(e.into()),
    };
    let mut errors = SubjectErrors::default();
    match request.phone {
        Some(_) => errors.phone = Some(message),
        None => errors.email = Some(message),
    }
    Ok((errors, e.status))
}

async fn refused(
    post: FormPost<SubjectForm>,
    tenant: &str,
    which: &'static str,
    (errors, status): (SubjectErrors, StatusCode),
) -> PageResult {
    let typed = Typed {
        which,
        form: post.form,
        errors,
    };
    let q = ListQuery::default();
    render(&post.visitor, tenant, &q, typed, status).await
}

pub async fn erase(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<SubjectForm>,
) -> PageResult {
    let request = match subject(&post.form) {
        Ok(request) => request,
        Err(errors) => {
            return refused(post, &tenant, "erase", (errors, StatusCode::UNPROCESSABLE_ENTITY)).await
        }
    };
    let (tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    match start(&state, tx, post.visitor.caller(), id, &request).await {
        Ok(erasure) => Ok(Redirect::to(&format!("/t/{id}/privacy/erasures/{erasure}")).into_response()),
        Err(e) => {
            let errors = field_error(&request, e)?;
            refused(post, &tenant, "erase", errors).await
        }
    }
}

/// One erasure's receipt; while it runs, the page reloads itself every two seconds to show progress.
pub async fn receipt(visitor: Visitor, Path((tenant, erasure)): Path<(String, String)>) -> PageResult {
    let erasure = path_id(&erasure)?;
    let (mut tx, shell, id) = as_admin_of(&visitor, &tenant, SECTION).await?;
    let r = erasure::get(&mut tx, id, erasure).await?;
    tx.commit().await?;
    let page = ErasurePage {
        shell,
        tenant_id: *id.as_uuid(),
        by: subject_word(r.subject),
        running: r.status == ErasureStatus::Running,
        erased: r.progress.leads_erased,
        total: r.progress.leads_total,
        tables: r
            .tables
            .into_iter()
            .map(|t| TableRow {
                table: t.table,
                outcome: format!("{:?}", t.outcome).to_lowercase(),
                rows: t
                    .rows
                    .map_or_else(|| "not counted: rep-private".into(), |n| n.to_string()),
            })
            .collect(),
        requested: when(r.requested_at),
        finished: r.finished_at.map(when).unwrap_or_default(),
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// Everything the workspace holds about the person, as a JSON file (access-logged as a data export).
pub async fn export(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<SubjectForm>,
) -> Result<Response, PageError> {
    let request = match subject(&post.form) {
        Ok(request) => request,
        Err(errors) => {
            return refused(
                post,
                &tenant,
                "export",
                (errors, StatusCode::UNPROCESSABLE_ENTITY),
            )
            .await
        }
    };
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    let found = subject_export::export(&mut tx, id, &request, state.phone_keys()).await;
    let body = match found.map(|export| serde_json::to_vec_pretty(&export)) {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => return Err(PageError::Internal),
        Err(e) => {
            drop(tx);
            let errors = field_error(&request, ApiError::from(e))?;
            return refused(post, &tenant, "export", errors).await;
        }
    };
    tx.commit().await?;
    let name = format!(
        "attachment; filename=\"subject-export-{}.json\"",
        state.clock.now().format("%Y%m%d-%H%M%S")
    );
    let headers = [
        (header::CONTENT_TYPE, "application/json".to_owned()),
        (header::CONTENT_DISPOSITION, name),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, body).into_response())
}
