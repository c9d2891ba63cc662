//! `GET /metrics`: Prometheus text. Gauges that mirror other state (pool, audit chains, jobs) are
//! refreshed at scrape time.
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use palisade_db::Purpose;
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::metrics::JobLabels;
use crate::state::AppState;

fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = &state.metrics_token else {
        return true;
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    presented
        .as_bytes()
        .ct_eq(token.expose_secret().as_bytes())
        .into()
}

async fn refresh(state: &AppState) {
    let m = &state.metrics;
    let pool = state.db.status();
    m.pool_size.set(i64::try_from(pool.size).unwrap_or(i64::MAX));
    m.pool_available
        .set(i64::try_from(pool.available).unwrap_or(i64::MAX));
    m.pool_waiting
        .set(i64::try_from(pool.waiting).unwrap_or(i64::MAX));
    let stats = async {
        let mut tx = state.db.system(Purpose::Maintenance).await?;
        let row = tx
            .query_one("select chains, linked, pending from audit.chain_stats()", &[])
            .await?;
        tx.commit().await?;
        Ok::<_, palisade_db::DbError>((
            row.try_get::<_, i64>("chains")?,
            row.try_get::<_, i64>("linked")?,
            row.try_get::<_, i64>("pending")?,
        ))
    }
    .await;
    match stats {
        Ok((chains, linked, pending)) => {
            m.audit_chains.set(chains);
            m.audit_events.set(linked);
            m.audit_pending.set(pending);
        }
        Err(e) => tracing::warn!(error = %e, "metrics: audit chain totals unavailable"),
    }
    if let Some(board) = &state.jobs {
        for (job, status) in board.snapshot() {
            let labels = JobLabels {
                job: job.name().to_owned(),
            };
            m.job_runs
                .get_or_create(&labels)
                .set(i64::try_from(status.runs).unwrap_or(i64::MAX));
            m.job_failures
                .get_or_create(&labels)
                .set(i64::try_from(status.failures).unwrap_or(i64::MAX));
            if let Some(at) = status.last_success {
                #[expect(clippy::cast_precision_loss, reason = "seconds since 1970 fit an f64 exactly")]
                m.job_last_success
                    .get_or_create(&labels)
                    .set(at.timestamp_millis() as f64 / 1000.0);
            }
        }
    }
}

/// Prometheus metrics (OpenMetrics text). Requires `Authorization: Bearer <metrics.token>` when that
/// setting is configured; 404 here when `metrics.listen` serves them on a loopback address instead.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "OpenMetrics text", content_type = "application/openmetrics-text"),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if state.metrics_elsewhere {
        return Err(ApiError::not_found());
    }
    render(&state, &headers).await
}

/// Serves `/metrics` alone on `addr` (a loopback address, checked by the configuration) until `stop`
/// turns true. Binding happens before this returns, so a taken port stops the server from starting.
pub async fn spawn_listener(
    addr: std::net::SocketAddr,
    state: AppState,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(), crate::StartupError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| crate::StartupError::Invalid(format!("metrics.listen {addr}: {e}")))?;
    let app = axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(state): State<AppState>, headers: HeaderMap| async move {
                render(&state, &headers).await
            }),
        )
        .with_state(state);
    tracing::info!(%addr, "metrics listening");
    tokio::spawn(async move {
        let stopped = async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        };
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(stopped).await {
            tracing::error!(error = %e, "metrics listener failed");
        }
    });
    Ok(())
}

async fn render(state: &AppState, headers: &HeaderMap) -> ApiResult<Response> {
    if !authorized(state, headers) {
        return Err(ApiError::unauthenticated("a valid metrics token is required"));
    }
    refresh(state).await;
    let body = state.metrics.render().map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "metrics unavailable",
        )
    })?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(metrics))
}
