//! The audit trail, the access log and the incidents of a tenant.
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use palisade_core::audit::access::{self, Access, AccessAction, AccessFilter, AccessPage};
use palisade_core::audit::events::{self, AuditFilter, AuditPage};
use palisade_core::audit::tenant_incidents::{self, TenantIncidentPage};
use palisade_core::page::PageParams;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiQuery, ClientIp, Manager};

use crate::state::AppState;

/// At most this many events per CSV export; `X-Next-Cursor` continues a longer one.
const EXPORT_MAX: i64 = 50_000;
const EXPORT_PAGE: i64 = 1_000;

/// Audit events of your tenant, newest first (managers and admins). Content of rep-private records
/// never appears, nor do their events. `format=csv` exports (up to 50,000 rows per request,
/// continued through the `X-Next-Cursor` header); every export is recorded in the access log.
#[utoipa::path(get, path = "/api/v1/audit/events", tag = "audit", security(("bearer" = [])), params(AuditFilter),
    responses((status = 200, description = "A page of events, or with `format=csv` the CSV export", content((AuditPage = "application/json"), (String = "text/csv"))),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_events(
    manager: Manager,
    ClientIp(ip): ClientIp,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> ApiResult<Response> {
    filter.validate()?;
    let csv = match filter.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_format",
                "format must be `json` or `csv`",
            ))
        }
    };
    let tenant = manager.tenant();
    if !csv {
        let limit = filter.page_limit()?;
        let mut tx = manager.begin().await?;
        let page = events::list(&mut tx, tenant, &filter, filter.cursor, limit).await?;
        tx.commit().await?;
        return Ok(Json(page).into_response());
    }

    let mut tx = manager.begin().await?;
    let (body, next) = export_csv(&mut tx, tenant, &filter, ip).await?;
    tx.commit().await?;
    Ok(csv_response(body, next))
}

/// Up to 50,000 events matching `filter` as CSV, and the cursor that continues a longer export; the
/// export is recorded in the access log in the same transaction (the API's and the pages' alike).
pub(crate) async fn export_csv(
    tx: &mut palisade_db::Tx,
    tenant: palisade_db::TenantId,
    filter: &AuditFilter,
    ip: Option<std::net::IpAddr>,
) -> ApiResult<(String, Option<i64>)> {
    let mut body = String::new();
    let mut cursor = filter.cursor;
    let mut rows: i64 = 0;
    let next = loop {
        let page = events::list(tx, tenant, filter, cursor, EXPORT_PAGE).await?;
        rows += i64::try_from(page.items.len()).unwrap_or(i64::MAX);
        body.push_str(&events::to_csv(&page.items, cursor == filter.cursor));
        match page.next_cursor {
            Some(c) if rows < EXPORT_MAX => cursor = Some(c),
            other => break other,
        }
    };
    let filters = json!({
        "table": filter.table,
        "actor_id": filter.actor_id,
        "lead_id": filter.lead_id,
        "from": filter.from,
        "to": filter.to,
        "cursor": filter.cursor,
    });
    let access = Access {
        action: AccessAction::AuditExport,
        target_type: Some("audit_events"),
        target_id: None,
        detail: json!({ "format": "csv", "rows": rows, "complete": next.is_none(), "filters": filters }),
        client_ip: ip,
    };
    access::log(tx, Some(tenant), &access).await?;
    Ok((body, next))
}

/// The CSV as a download; `X-Next-Cursor` when there is more.
pub(crate) fn csv_response(body: String, next: Option<i64>) -> Response {
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"audit-events.csv\""),
            ),
        ],
        body,
    )
        .into_response();
    if let Some(next) = next {
        if let Ok(v) = HeaderValue::from_str(&next.to_string()) {
            response
                .headers_mut()
                .insert(HeaderName::from_static("x-next-cursor"), v);
        }
    }
    response
}

/// The access log of your tenant, newest first (admins): exports, role changes, sign-ins and other
/// sensitive actions, with who, when and from where.
#[utoipa::path(get, path = "/api/v1/audit/access", tag = "audit", security(("bearer" = [])), params(AccessFilter),
    responses((status = 200, body = AccessPage), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_access(
    admin: Admin,
    ApiQuery(filter): ApiQuery<AccessFilter>,
) -> ApiResult<Json<AccessPage>> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let page = access::list(&mut tx, tenant, &filter).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// The platform's incidents that affected your tenant, newest first (admins): what happened, its
/// severity, whether it is resolved, and when your admins were told. Other affected tenants are never
/// named.
#[utoipa::path(get, path = "/api/v1/audit/incidents", tag = "audit", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = TenantIncidentPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_incidents(
    admin: Admin,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<TenantIncidentPage>> {
    let tenant = admin.tenant();
    let mut tx = admin.begin().await?;
    let page = tenant_incidents::list(&mut tx, tenant, &params).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events))
        .routes(routes!(list_access))
        .routes(routes!(list_incidents))
}
