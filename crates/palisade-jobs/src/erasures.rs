//! The `erasures` job: continues every erasure a request left running (a subject too large to erase
//! within the request, or a request that failed part way), each in its own tenant's service context.
use std::time::{Duration, Instant};

use palisade_core::privacy::erasure::work;
use palisade_db::{Db, Purpose};

use crate::JobError;

/// Erasures looked at per run; how long each may take before the next gets its turn; and when a
/// run stops starting new ones (the rest wait ten seconds for the next run), so a run never
/// outlasts the time after which the job would count as overdue.
const PER_RUN: i32 = 100;
const BUDGET: Duration = Duration::from_secs(20);
const RUN_BUDGET: Duration = Duration::from_secs(40);

/// Returns how many erasures were worked on. One that fails does not hold up the others; the run
/// then fails as a whole, so the failure is recorded as an error event and retried next run.
pub(crate) async fn run(db: &Db) -> Result<u64, JobError> {
    let mut tx = db.system(Purpose::Erasure).await?;
    let unfinished = work::unfinished(&mut tx, PER_RUN).await?;
    tx.commit().await?;
    let started = Instant::now();
    let mut failed = None;
    let mut worked = 0u64;
    for (tenant, id) in &unfinished {
        if started.elapsed() >= RUN_BUDGET {
            break;
        }
        worked += 1;
        if let Err(e) = work::run(db, *tenant, *id, BUDGET).await {
            tracing::error!(tenant_id = %tenant, erasure_id = %id, error = %e, "an erasure step failed");
            failed = Some(e);
        }
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(worked),
    }
}
