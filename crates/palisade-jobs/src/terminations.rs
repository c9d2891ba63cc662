//! The `terminations` job: every tenant whose termination's grace period is over is purged
//! (`palisade_core::privacy::termination`), batch by batch; a large tenant continues at the next run.
use std::time::{Duration, Instant};

use palisade_core::privacy::termination;
use palisade_db::Db;

use crate::JobError;

/// How long one run may purge before it stops; the next run picks up where it stopped.
const RUN_BUDGET: Duration = Duration::from_secs(120);

/// Returns the rows deleted. A tenant that fails does not hold up the others; the run then fails as a
/// whole, so the failure is recorded as an error event and retried next run.
pub(crate) async fn run(db: &Db) -> Result<u64, JobError> {
    let started = Instant::now();
    let mut failed = None;
    let mut deleted = 0u64;
    for (_, slug) in termination::due(db).await? {
        let Some(left) = RUN_BUDGET.checked_sub(started.elapsed()) else {
            break;
        };
        let purged = match termination::begin(db, &slug).await {
            Ok(Some(tenant)) => termination::purge(db, tenant, Some(left), |_, _| {})
                .await
                .map(|p| (tenant, p)),
            Ok(None) => continue,
            Err(e) => Err(e),
        };
        match purged {
            Ok((tenant, purged)) => {
                deleted += purged
                    .rows
                    .values()
                    .map(|n| u64::try_from(*n).unwrap_or(0))
                    .sum::<u64>();
                if purged.finished {
                    tracing::info!(tenant_id = %tenant, "terminated tenant purged");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "a tenant purge failed");
                failed = Some(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(deleted),
    }
}
