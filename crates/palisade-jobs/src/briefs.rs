//! The `briefs` job: asks the database which daily briefs are due (across tenants, the platform's
//! system context) and queues each in its own tenant's service context and transaction, so one
//! member's trouble does not hold up the others. The delivery worker sends them.
use palisade_core::messaging::brief;
use palisade_core::CoreError;
use palisade_db::{Db, Purpose};

use crate::JobError;

/// Briefs queued per run at most; the next run (five minutes later) continues.
const PER_RUN: i32 = 500;

/// Returns how many briefs were queued.
pub(crate) async fn run(db: &Db) -> Result<u64, JobError> {
    let mut tx = db.system(Purpose::Delivery).await?;
    let due = brief::due(&mut tx, chrono::Utc::now(), PER_RUN).await?;
    tx.commit().await?;
    let mut queued = 0u64;
    for one in due {
        let result = async {
            let mut tx = db.service(one.tenant, Purpose::Delivery).await?;
            let fresh = brief::queue(&mut tx, one).await?;
            tx.commit().await?;
            Ok::<_, JobError>(fresh)
        }
        .await;
        match result {
            Ok(true) => queued += 1,
            Ok(false) => {}
            // Consent withdrawn (a STOP) since the list was made: nothing to send.
            Err(JobError::Core(CoreError::ConsentRequired { .. })) => {}
            Err(e) => {
                tracing::error!(tenant_id = %one.tenant, member_id = %one.member, error = %e, "a brief was not queued");
            }
        }
    }
    Ok(queued)
}
