//! Company export (admins): every table of the tenant as JSON Lines or CSV, one table per request,
//! streamed from the database to the client in bounded memory.
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use palisade_core::audit::access::{self, Access, AccessAction};
use palisade_core::privacy::company_export::{self, ExportTable, Format, Manifest, Opener, Plan};
use palisade_db::{TenantId, Tx};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures::StreamExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiPath, ApiQuery, ClientIp};
use crate::state::AppState;

/// Company exports streaming at once on this server (one per tenant): each holds a database
/// connection for as long as its reader takes (a minute of stalling at most between chunks).
pub const CONCURRENT_EXPORTS: usize = 2;

/// The longest one table may take to stream (the pool's statement timeout is far shorter).
const TABLE_LIMIT: Duration = Duration::from_secs(30 * 60);

/// Chunks of 64 KiB waiting for a slow reader: what the server holds per export.
const BUFFERED_CHUNKS: usize = 4;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `jsonl` (the default) or `csv`.
    #[param(inline)]
    pub format: Option<Format>,
}

/// What a company export holds (admins): every table with its columns and row count, and the tables
/// left out with the reason (a rep's drafts, coaching and voice samples are the rep's; credentials
/// are nobody's to export).
#[utoipa::path(get, path = "/api/v1/privacy/company-export", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = Manifest), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn manifest(admin: Admin) -> ApiResult<Json<Manifest>> {
    let mut tx = admin.begin_snapshot().await?;
    let manifest = company_export::manifest(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(manifest))
}

/// One table of the company export (admins), streamed: `jsonl` (one JSON object per line) or `csv`
/// (a header line; text that starts like a spreadsheet formula gets a leading `'`). The rows are the
/// ones an admin reads, as of one moment; lead phone numbers are opened; integration secrets appear
/// as their last four characters. Access-logged as `data_export`. At most two exports stream at once
/// on a server: `503` with `Retry-After` beyond that. A response cut short (the connection closes
/// before the final chunk) means the export failed: download it again.
#[utoipa::path(get, path = "/api/v1/privacy/company-export/{table}", tag = "privacy", security(("bearer" = [])),
    params(("table" = String, Path, description = "A table of the manifest (`leads`, `deals`, …)."), ExportParams),
    responses((status = 200, description = "The table as JSON Lines (default) or CSV (`format=csv`)",
                  content((String = "application/x-ndjson"), (String = "text/csv"))),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    admin: Admin,
    ClientIp(ip): ClientIp,
    ApiPath(table): ApiPath<String>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    let table = company_export::by_file(&table).ok_or_else(ApiError::not_found)?;
    let format = params.format.unwrap_or(Format::Jsonl);
    let tenant = admin.tenant();
    let slot = state.exports.take(tenant)?;
    let mut tx = admin.begin().await?;
    access::log(&mut tx, Some(tenant), &logged(tenant, table, format, ip)).await?;
    tx.commit().await?;
    respond(state, tenant, admin.begin_snapshot().await?, table, format, slot).await
}

/// The access event of one table's download.
pub(crate) fn logged(
    tenant: TenantId,
    table: &ExportTable,
    format: Format,
    ip: Option<std::net::IpAddr>,
) -> Access<'static> {
    Access {
        action: AccessAction::DataExport,
        target_type: Some("tenant"),
        target_id: Some(tenant.to_string()),
        detail: json!({ "scope": "company", "table": table.file, "format": format }),
        client_ip: ip,
    }
}

/// Streams `table` from `tx` (a read-only snapshot of the tenant) as the response.
pub(crate) async fn respond(
    state: AppState,
    tenant: TenantId,
    mut tx: Tx,
    table: &'static ExportTable,
    format: Format,
    slot: ExportSlot,
) -> ApiResult<Response> {
    company_export::prepare(&mut tx, Some(TABLE_LIMIT)).await?;
    let plan = company_export::plan(&mut tx, table).await?;
    let disposition = format!("attachment; filename=\"{}.{}\"", table.file, format.extension());
    let headers = [
        (header::CONTENT_TYPE, format.content_type().to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, stream(state, tenant, tx, plan, format, slot)).into_response())
}

/// The body: a task reads the table into a small channel and ends the transaction. A failure, a
/// reader that went away or stalled, or the table's time limit cancels the statement at the server
/// (so the connection is free at once) and ends the body with an error; so does a task that dies
/// without saying it finished: the client sees a broken transfer, never a short file.
fn stream(
    state: AppState,
    tenant: TenantId,
    mut tx: Tx,
    plan: Plan,
    format: Format,
    slot: ExportSlot,
) -> Body {
    let (mut chunks, body) = futures::channel::mpsc::channel(BUFFERED_CHUNKS);
    let finished = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&finished);
    tokio::spawn(async move {
        let _slot = slot;
        let opener = Opener {
            keys: state.phone_keys(),
            tenant,
        };
        let written = tokio::time::timeout(
            TABLE_LIMIT,
            company_export::write(&mut tx, &plan, format, opener, &mut chunks),
        )
        .await;
        let failure = match written {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some("the table's time limit passed".to_owned()),
        };
        let failure = match failure {
            None => tx.commit().await.err().map(|e| e.to_string()),
            Some(why) => {
                tx.abort().await;
                Some(why)
            }
        };
        // On failure nothing more is sent (a stalled reader would hold this task, and its slot, for
        // good): the body ends with an error once the reader drains what is buffered, as `finished`
        // is unset.
        match failure {
            None => done.store(true, Ordering::Release),
            Some(why) => {
                tracing::warn!(table = plan.table.file, error = %why, "a company export stopped before its end")
            }
        }
    });
    let unfinished = futures::stream::once(async move {
        match finished.load(Ordering::Acquire) {
            true => None,
            false => Some(Err(std::io::Error::other("the export ended before its last row"))),
        }
    })
    .filter_map(std::future::ready);
    Body::from_stream(body.chain(unfinished))
}

/// Exports streaming at once: [`CONCURRENT_EXPORTS`] on the server, one per tenant.
pub struct ExportSlots {
    server: Arc<Semaphore>,
    tenants: Arc<Mutex<HashSet<TenantId>>>,
}

/// A held slot; dropping it frees it.
pub struct ExportSlot {
    _server: OwnedSemaphorePermit,
    tenant: TenantId,
    tenants: Arc<Mutex<HashSet<TenantId>>>,
}

impl ExportSlots {
    pub fn new() -> Self {
        Self {
            server: Arc::new(Semaphore::new(CONCURRENT_EXPORTS)),
            tenants: Arc::default(),
        }
    }

    /// A slot for `tenant`; `503 exports_busy` when the server is full or the tenant already streams one.
    pub(crate) fn take(&self, tenant: TenantId) -> Result<ExportSlot, ApiError> {
        let busy = || {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "exports_busy",
                "another export of this tenant, or too many on this server, is streaming; try again shortly",
            )
            .with_retry_after(10)
        };
        let permit = Arc::clone(&self.server).try_acquire_owned().map_err(|_| busy())?;
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        tenants
            .insert(tenant)
            .then(|| ExportSlot {
                _server: permit,
                tenant,
                tenants: Arc::clone(&self.tenants),
            })
            .ok_or_else(busy)
    }
}

impl Default for ExportSlots {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ExportSlot {
    fn drop(&mut self) {
        let mut tenants = self.tenants.lock().unwrap_or_else(PoisonError::into_inner);
        tenants.remove(&self.tenant);
    }
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(manifest))
        .routes(routes!(download))
}
