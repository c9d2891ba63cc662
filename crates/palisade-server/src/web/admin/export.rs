//! The company export (admins): every table the workspace holds, with its row count, each downloadable
//! as JSON Lines or CSV, streamed from one read-only snapshot as `/api/v1/privacy/company-export`
//! does; what is left out, and why. Each download is access-logged, so it starts only from this page.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use palisade_core::audit::access;
use palisade_core::privacy::company_export::{self, ExcludedTable, Format, ManifestTable};
use palisade_core::CoreError;
use palisade_db::TenantRole;
use serde::Deserialize;
use uuid::Uuid;

use super::as_admin_of;
use crate::extract::ClientIp;
use crate::privacy::company_export::{logged, respond};
use crate::state::AppState;
use crate::web::error::{PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{from_our_page, PageQuery, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "company-export";

#[derive(Template)]
#[template(path = "app/company_export.html")]
struct ExportPage {
    shell: Shell,
    tenant_id: Uuid,
    tables: Vec<ManifestTable>,
    excluded: Vec<ExcludedTable>,
}

/// A read-only snapshot of the workspace, the visitor's admin role checked in it (a demotion between
/// two transactions is caught in the one that reads).
async fn admin_snapshot(visitor: &Visitor, id: palisade_db::TenantId) -> Result<palisade_db::Tx, PageError> {
    let mut snapshot = visitor.tx_in(id).await?.snapshot().map_err(CoreError::from)?;
    if snapshot.tenant_role().await.map_err(CoreError::from)? < TenantRole::Admin {
        return Err(PageError::Forbidden(
            "This page is for the workspace's admins.".into(),
        ));
    }
    Ok(snapshot)
}

pub async fn show(visitor: Visitor, Path(tenant): Path<String>) -> PageResult {
    let (tx, shell, id) = as_admin_of(&visitor, &tenant, SECTION).await?;
    tx.commit().await?;
    // The counts come from one snapshot, as the files will.
    let mut snapshot = admin_snapshot(&visitor, id).await?;
    let manifest = company_export::manifest(&mut snapshot).await?;
    snapshot.commit().await?;
    let page = ExportPage {
        shell,
        tenant_id: *id.as_uuid(),
        tables: manifest.tables,
        excluded: manifest.excluded,
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// The file format a download link asks for (`?format=jsonl|csv`, JSON Lines when absent).
#[derive(Default, Deserialize)]
pub(in crate::web) struct FormatQuery {
    #[serde(default)]
    format: String,
}

impl FormatQuery {
    /// The format of a download started from one of our pages (`refusal` says which, for a link
    /// followed from elsewhere: the download is access-logged, so it starts only here).
    pub(in crate::web) fn format_from_our_page(
        &self,
        headers: &HeaderMap,
        state: &AppState,
        refusal: &str,
    ) -> Result<Format, PageError> {
        from_our_page(headers, state, refusal)?;
        match self.format.as_str() {
            "" | "jsonl" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            _ => Err(PageError::BadRequest("the file format is jsonl or csv".into())),
        }
    }
}

pub async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((tenant, table)): Path<(String, String)>,
    PageQuery(q): PageQuery<FormatQuery>,
) -> Result<Response, PageError> {
    let format = q.format_from_our_page(
        &headers,
        &state,
        "Start the download from the company export page.",
    )?;
    let table = company_export::by_file(&table).ok_or(PageError::NotFound)?;
    let (mut tx, _, id) = as_admin_of(&visitor, &tenant, SECTION).await?;
    let slot = state.exports.take(id)?;
    access::log(&mut tx, Some(id), &logged(id, table, format, ip)).await?;
    tx.commit().await?;
    let snapshot = admin_snapshot(&visitor, id).await?;
    Ok(respond(state.clone(), id, snapshot, table, format, slot).await?)
}
