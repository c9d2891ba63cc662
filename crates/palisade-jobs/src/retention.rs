//! The `retention` job: in every active tenant, what is past its retention periods is deleted in
//! batches (`palisade_core::privacy::retention`), each tenant in its own service context.
use std::time::{Duration, Instant};

use palisade_core::privacy::retention;
use palisade_db::Db;

use crate::JobError;

/// How long one tenant may take per run, and when a run stops starting tenants: the rest continue
/// at the next run, as does a tenant whose budget ran out.
const PER_TENANT: Duration = Duration::from_secs(10);
const RUN_BUDGET: Duration = Duration::from_secs(120);

/// Returns the rows deleted. A tenant that fails does not hold up the others; the run then fails as
/// a whole, so the failure is recorded as an error event and retried next run.
pub(crate) async fn run(db: &Db) -> Result<u64, JobError> {
    let started = Instant::now();
    let mut failed = None;
    let mut deleted = 0u64;
    let tenants = retention::tenants(db).await?;
    // Each run starts at a different tenant: a few large backlogs cannot use every run's time.
    let first = if tenants.is_empty() {
        0
    } else {
        rand::random::<usize>() % tenants.len()
    };
    for (tenant, _) in tenants.iter().cycle().skip(first).take(tenants.len()) {
        let tenant = *tenant;
        if started.elapsed() >= RUN_BUDGET {
            break;
        }
        match retention::sweep(db, tenant, false, PER_TENANT).await {
            Ok(swept) => {
                deleted += swept.total();
                for (class, rows) in swept.rows.iter().filter(|(_, n)| *n > 0) {
                    tracing::info!(tenant_id = %tenant, data_class = class.as_str(), rows, "deleted past retention");
                }
            }
            Err(e) => {
                tracing::error!(tenant_id = %tenant, error = %e, "a retention sweep failed");
                failed = Some(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(deleted),
    }
}
