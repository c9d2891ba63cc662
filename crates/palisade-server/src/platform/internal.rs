//! Internal endpoints for the platform's own schedulers and integrations, authenticated by the cron
//! secret (`Authorization: Bearer <PALISADE_CRON_SECRET>`), never by a person's token:
//! `POST /internal/cron/{job}` runs one background job now; `POST /internal/ingest/{kind}` takes
//! data from another system (so far `call-transcript`).
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_core::ingest::{self, CallTranscript, Ingested};
use palisade_db::{Purpose, TenantId};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, Cron, LargeJson};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct JobRun {
    pub job: &'static str,
    /// What the run did (events sealed, messages handled, notices sent…).
    pub done: u64,
}

/// Run a background job now (for deployments that schedule jobs from outside).
#[utoipa::path(post, path = "/internal/cron/{job}", tag = "internal", security(("bearer" = [])),
    params(("job" = String, Path, description = "audit_seal, audit_partitions, audit_retention, incident_notices, sign_in_cleanup, delivery, briefs, security_event_windows or erasures")),
    responses((status = 200, body = JobRun), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 500, body = ErrorBody)))]
pub async fn cron(
    State(state): State<AppState>,
    _cron: Cron,
    ApiPath(job): ApiPath<String>,
) -> ApiResult<Json<JobRun>> {
    let Some(job) = palisade_jobs::Job::parse(&job) else {
        return Err(ApiError::not_found());
    };
    match state.runner.run_once(job).await {
        Ok(done) => Ok(Json(JobRun {
            job: job.name(),
            done,
        })),
        // The job recorded its failure (log and error event); the caller learns only that it failed.
        Err(_) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "job_failed",
            "the job failed; see the server log",
        )),
    }
}

/// Take a call transcript from another system (a call recorder): it becomes an interaction on the
/// lead (masked) and, optionally, coaching observations for the rep. Each kind of ingest is its own
/// route (`/internal/ingest/{kind}`); others answer 404.
#[utoipa::path(post, path = "/internal/ingest/call-transcript", tag = "internal", security(("bearer" = [])),
    request_body = CallTranscript,
    responses((status = 201, body = Ingested), (status = 200, body = Ingested, description = "The idempotency_key was seen: the first answer, nothing written"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "`unknown_lead`, `unknown_member`"),
        (status = 422, body = ErrorBody)))]
pub async fn call_transcript(
    State(state): State<AppState>,
    _cron: Cron,
    LargeJson(input): LargeJson<CallTranscript>,
) -> ApiResult<(StatusCode, Json<Ingested>)> {
    let tenant = TenantId::from_uuid(input.tenant_id);
    let mut tx = state.db.service(tenant, Purpose::Sync).await?;
    let outcome = ingest::call_transcript(&mut tx, tenant, &input, &state.index_keys).await?;
    tx.commit().await?;
    Ok(match outcome {
        ingest::Outcome::Created(ingested) => (StatusCode::CREATED, Json(ingested)),
        ingest::Outcome::Replayed(ingested) => (StatusCode::OK, Json(ingested)),
    })
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cron))
        .routes(routes!(call_transcript))
}
