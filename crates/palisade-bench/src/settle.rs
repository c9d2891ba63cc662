//! Between rounds, the database is brought to the same state for either side: the audit sealer has
//! linked every event the previous round wrote, and a checkpoint has written out its dirty pages.
//! Otherwise a round pays for the one before it (scenario 7's first API round ran while the sealer
//! caught up on scenario 6's tens of thousands of events, and measured 0.65 where it measures 0.80
//! alone).

use std::time::{Duration, Instant};

/// The longest wait for the sealer; past it the round starts anyway, and says so.
const MAX_WAIT: Duration = Duration::from_secs(60);

pub async fn settle(admin: &tokio_postgres::Client) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let pending: i64 = admin
            .query_one("select count(*) from audit.pending", &[])
            .await?
            .get(0);
        if pending == 0 {
            break;
        }
        if started.elapsed() > MAX_WAIT {
            println!("  (the audit sealer still has {pending} events after {MAX_WAIT:?}; measuring anyway)");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    admin.batch_execute("checkpoint").await?;
    Ok(())
}
