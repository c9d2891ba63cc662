//! A workspace being ended, as its admins follow it from outside (nobody acts in it any more): when
//! its data goes, the company export to download meanwhile, and the way back (cancel). The same
//! functions as `/api/v1/privacy/termination` and its export; anyone but one of its admins gets "not
//! found", as for any workspace they do not belong to.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use palisade_core::privacy::company_export::ManifestTable;
use palisade_core::privacy::termination;
use palisade_db::TenantId;
use uuid::Uuid;

use super::admin::FormatQuery;
use super::error::{path_id, PageError, PageResult};
use super::leads::when;
use super::page::render_app;
use super::session::{FormPost, NoFields, PageQuery, Visitor};
use super::shell::Shell;
use crate::extract::ClientIp;
use crate::privacy::termination::{grace_download, grace_manifest, live};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "app/terminating.html")]
struct TerminatingPage {
    shell: Shell,
    tenant_id: Uuid,
    slug: String,
    /// In the grace period (false: the data is being deleted).
    grace: bool,
    requested: String,
    purge_after: String,
    days_left: i64,
    tables: Vec<ManifestTable>,
}

async fn show(State(state): State<AppState>, visitor: Visitor, Path(tenant): Path<String>) -> PageResult {
    let id = TenantId::from_uuid(path_id(&tenant)?);
    let t = live(visitor.caller(), id).await?.ok_or(PageError::NotFound)?;
    // The purge may begin between the two reads: then the page says the data is being deleted.
    let tables = match t.status == "terminating" {
        true => match grace_manifest(&state, visitor.caller(), id).await {
            Ok(manifest) => Some(manifest.tables),
            Err(e) if e.status == StatusCode::NOT_FOUND => None,
            Err(e) => return Err(e.into()),
        },
        false => None,
    };
    let left = t.purge_after - state.clock.now();
    let page = TerminatingPage {
        shell: Shell::outside(&visitor),
        tenant_id: t.tenant_id,
        slug: t.slug,
        grace: tables.is_some(),
        requested: when(t.requested_at),
        purge_after: when(t.purge_after),
        // Whole days, rounded up: "30 days" just after it was ended, "1 day" on its last day.
        days_left: (left.num_seconds().max(0) + 86_399) / 86_400,
        tables: tables.unwrap_or_default(),
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// The workspace is active again; its members work in it from their next page.
async fn cancel(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<NoFields>,
) -> PageResult {
    let id = TenantId::from_uuid(path_id(&tenant)?);
    let mut tx = post.visitor.tx().await?;
    // Nothing to cancel (never ended, canceled already, its deletion began) and not one of its admins
    // get the same answer.
    if !termination::cancel(&mut tx, id, state.clock.now()).await? {
        return Err(PageError::NotFound);
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/members")).into_response())
}

async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((tenant, table)): Path<(String, String)>,
    PageQuery(q): PageQuery<FormatQuery>,
) -> Result<Response, PageError> {
    let refusal = "Start the download from the workspace's termination page.";
    let format = q.format_from_our_page(&headers, &state, refusal)?;
    let id = TenantId::from_uuid(path_id(&tenant)?);
    Ok(grace_download(state.clone(), visitor.caller(), id, &table, format, ip).await?)
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/terminations/{tenant}", get(show))
        .route("/terminations/{tenant}/cancel", post(cancel))
        .route("/terminations/{tenant}/export/{table}", get(download))
}
