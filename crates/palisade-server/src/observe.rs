//! Per-request observation: request metrics by route template, and an error event for every 5xx
//! (recorded off the request path, so a failing database cannot slow the error response further).
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use palisade_core::audit::platform_errors::{self, ErrorReport, Severity, Surface};
use palisade_db::Purpose;

use crate::error::ErrorCode;
use crate::extract::RequestId;
use crate::metrics::{RequestLabels, RouteLabels};
use crate::state::AppState;

pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    // A fixed label set: an arbitrary method from a client must not create a new series.
    let method = match request.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m,
        _ => "OTHER",
    }
    .to_owned();
    let correlation = request.extensions().get::<RequestId>().map(|r| r.0.clone());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            method: method.clone(),
            status,
        })
        .inc();
    state
        .metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.clone(),
            method: method.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    if status >= 500 {
        // Bounded: when the database is the problem, a flood of failures must not pile up tasks.
        let Ok(permit) = state.error_reports.clone().try_acquire_owned() else {
            tracing::warn!("error event not recorded: too many being recorded already");
            return response;
        };
        let code = response
            .extensions()
            .get::<ErrorCode>()
            .map_or("internal", |c| c.0);
        let db = match correlation {
            Some(c) => state.db.correlated(c),
            None => state.db.clone(),
        };
        let metrics = state.metrics.clone();
        let report = ErrorReport {
            severity: if status == 503 {
                Severity::Warning
            } else {
                Severity::Error
            },
            surface: Surface::Api,
            tenant: None,
            code,
            message: if status == 503 {
                "service unavailable (database unreachable or overloaded)"
            } else {
                "internal error while handling a request; see the server log for the correlation id"
            },
            operation: format!("{method} {route}"),
        };
        tokio::spawn(async move {
            let _permit = permit;
            let recorded = async {
                let mut tx = db.system(Purpose::ErrorReport).await?;
                platform_errors::record(&mut tx, &report).await?;
                tx.commit().await?;
                Ok::<_, palisade_core::CoreError>(())
            }
            .await;
            match recorded {
                Ok(()) => {
                    metrics.error_events.inc();
                }
                Err(e) => tracing::warn!(error = %e, "could not record an error event"),
            }
        });
    }
    response
}
