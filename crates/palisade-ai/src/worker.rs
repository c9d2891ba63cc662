//! Working the assistant's queue: each due task claimed in its own tenant's service context, handed
//! to its kind (coaching, answering), and finished with an outcome code — skipped when the tenant's
//! settings say so, retried later when the model is unavailable, failed when retrying cannot help.
use std::sync::Arc;
use std::time::{Duration, Instant};

use palisade_core::ai::conversations;
use palisade_core::ai::tasks::{self, Claimed, Finish, TaskKind};
use palisade_core::CoreError;
use palisade_db::{Db, Purpose, TenantId, Tx};
use uuid::Uuid;

use crate::assistant::{AiError, Assistant};
use crate::client::LlmError;
use crate::{answering, coaching};

/// A claimed task is someone else's for this long (longer than one call's deadline).
const LEASE_SECS: i32 = 300;
/// Tasks looked at per run, and when a run stops starting new ones.
const PER_RUN: i32 = 50;
const RUN_BUDGET: Duration = Duration::from_secs(40);

/// Works the due tasks of every tenant; returns how many were worked on. One task's failure — even
/// a panic — is recorded on the task (or its lease runs out) and does not stop the others.
pub async fn run(assistant: &Arc<Assistant>, db: &Db) -> Result<u64, CoreError> {
    let mut tx = db.system(Purpose::Assistant).await?;
    let due = tasks::due(&mut tx, PER_RUN).await?;
    tx.commit().await?;
    let started = Instant::now();
    let mut worked = 0;
    for (tenant, id) in due {
        if started.elapsed() >= RUN_BUDGET {
            break;
        }
        let (assistant, db) = (Arc::clone(assistant), db.clone());
        match tokio::spawn(async move { work(&assistant, &db, tenant, id).await }).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(tenant_id = %tenant, task_id = %id, error = %e, "an assistant task was not finished");
            }
            Err(_) => tracing::error!(tenant_id = %tenant, task_id = %id, "an assistant task panicked"),
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
    let Err(e) = result else {
        return Ok(());
    };
    if is_lease_lost(&e) {
        return Err(e);
    }
    let retry_in = 60 * i32::from(task.attempt.max(1));
    let how = finish_for(&e, retry_in);
    let terminal = !matches!(how, Finish::Retry(..)) || tasks::last_attempt(&task);
    let told = matches!(how, Finish::Skipped("feature_off"));
    if task.kind == TaskKind::Answer && terminal && !told {
        // The lead gets no answer: their conversation goes to a person, who is told why.
        if let Err(handoff) = hand_off_and_finish(db, tenant, &task, how).await {
            // The task still ends (a retry would pay for the model again); the failure is logged.
            tracing::error!(tenant_id = %tenant, task_id = %task.id, error = %handoff, "a handoff failed");
            finish(db, tenant, &task, how).await?;
        }
    } else {
        finish(db, tenant, &task, how).await?;
    }
    Err(e)
}

async fn hand_off_and_finish(db: &Db, tenant: TenantId, task: &Claimed, how: Finish) -> Result<(), AiError> {
    let mut tx = db.service(tenant, Purpose::Assistant).await?;
    conversations::hand_off(
        &mut tx,
        tenant,
        task.lead_id,
        &task.channel,
        "assistant_unavailable",
    )
    .await?;
    commit_with_finish(tx, tenant, task, how).await
}

fn is_lease_lost(e: &AiError) -> bool {
    matches!(
        e,
        AiError::Core(CoreError::Conflict {
            code: "lease_lost",
            ..
        })
    )
}

/// Finishes a claimed task on its own.
pub(crate) async fn finish(db: &Db, tenant: TenantId, task: &Claimed, how: Finish) -> Result<(), AiError> {
    let tx = db.service(tenant, Purpose::Assistant).await?;
    commit_with_finish(tx, tenant, task, how).await
}

/// Finishes the task in `tx`, so what the task wrote there commits with it — or, if another worker
/// took the task meanwhile (this one's lease ran out), rolls it all back.
pub(crate) async fn commit_with_finish(
    mut tx: Tx,
    tenant: TenantId,
    task: &Claimed,
    how: Finish,
) -> Result<(), AiError> {
    if tasks::finish(&mut tx, tenant, task, how).await? {
        tx.commit().await?;
        Ok(())
    } else {
        tx.rollback().await?;
        Err(CoreError::Conflict {
            code: "lease_lost",
            message: "another worker took this task after this one's lease ran out",
        }
        .into())
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
