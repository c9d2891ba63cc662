//! Working the assistant's queue: each due task claimed in its own tenant's service context, handed
//! to its kind (coaching, answering), and finished with an outcome code — skipped when the tenant's
//! settings say so, retried later when the model is unavailable, failed when retrying cannot help.
use std::time::{Duration, Instant};

use palisade_core::ai::tasks::{self, Finish, TaskKind};
use palisade_core::CoreError;
use palisade_db::{Db, Purpose, TenantId};
use uuid::Uuid;

use crate::assistant::{AiError, Assistant};
use crate::client::LlmError;
use crate::{answering, coaching};

/// A claimed task is someone else's for this long (longer than one call's deadline).
const LEASE_SECS: i32 = 300;
/// Tasks looked at per run, and when a run stops starting new ones.
const PER_RUN: i32 = 50;
const RUN_BUDGET: Duration = Duration::from_secs(40);

/// Works the due tasks of every tenant; returns how many were worked on. One task's failure is
/// recorded on the task and does not stop the others.
pub async fn run(assistant: &Assistant, db: &Db) -> Result<u64, CoreError> {
    let mut tx = db.system(Purpose::Assistant).await?;
    let due = tasks::due(&mut tx, PER_RUN).await?;
    tx.commit().await?;
    let started = Instant::now();
    let mut worked = 0;
    for (tenant, id) in due {
        if started.elapsed() >= RUN_BUDGET {
            break;
        }
        if let Err(e) = work(assistant, db, tenant, id).await {
            tracing::warn!(tenant_id = %tenant, task_id = %id, error = %e, "an assistant task was not finished");
        }
        worked += 1;
    }
    Ok(worked)
}

/// Works one task, if it can still be claimed.
pub async fn work(assistant: &Assistant, db: &Db, tenant: TenantId, id: Uuid) -> Result<(), AiError> {
    let mut tx = db.service(tenant, Purpose::Assistant).await?;
    let claimed = tasks::claim(&mut tx, tenant, id, LEASE_SECS).await?;
    tx.commit().await?;
    let Some(task) = claimed else {
        return Ok(());
    };
    let result = match task.kind {
        TaskKind::Coaching => coaching::coach(assistant, db, tenant, &task).await,
        TaskKind::Answer => answering::answer(assistant, db, tenant, &task).await,
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) => {
            let retry_in = 60 * i32::from(task.attempt.max(1));
            coaching::finish(db, tenant, &task, finish_for(&e, retry_in)).await?;
            Err(e)
        }
    }
}

/// What becomes of a task whose work failed.
fn finish_for(e: &AiError, retry_in: i32) -> Finish {
    match e {
        AiError::NotConfigured => Finish::Skipped("ai_not_configured"),
        AiError::EndpointNotAllowed => Finish::Skipped("ai_endpoint_not_allowed"),
        AiError::FeatureOff(_) => Finish::Skipped("feature_off"),
        AiError::Core(CoreError::Throttled { .. }) => Finish::Skipped("ai_budget_exhausted"),
        AiError::Llm(LlmError::Rejected { .. }) => Finish::Failed("ai_rejected"),
        AiError::Llm(LlmError::Declined) => Finish::Failed("ai_declined"),
        AiError::Llm(LlmError::Timeout | LlmError::Unavailable { .. }) => {
            Finish::Retry("ai_unavailable", retry_in)
        }
        AiError::Llm(LlmError::Malformed) | AiError::BadOutput => Finish::Retry("ai_bad_output", retry_in),
        AiError::Core(_) => Finish::Retry("error", retry_in),
    }
}
