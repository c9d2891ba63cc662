//! HubSpot's limits, per portal: a bucket of requests per ten seconds for everything, and CRM search
//! at a few requests a second on top. One [`Limits`] serves the whole process; since a tenant's sync
//! runs under a lease (one worker at a time per tenant) and every request of a run goes through it,
//! no two parts of Palisade spend one portal's bucket without seeing each other.
use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Which of a portal's budgets a request spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    General,
    /// CRM search spends the general bucket too.
    Search,
}

pub struct Limits {
    general: Option<DefaultKeyedRateLimiter<u64>>,
    search: Option<DefaultKeyedRateLimiter<u64>>,
}

impl Limits {
    /// `0` turns a limit off (benchmarks against a fake server).
    pub fn new(per_ten_seconds: u32, searches_per_second: u32) -> Self {
        let general = NonZeroU32::new(per_ten_seconds).and_then(|n| {
            Quota::with_period(Duration::from_secs(10) / n.get())
                .map(|q| RateLimiter::keyed(q.allow_burst(n)))
        });
        let search = NonZeroU32::new(searches_per_second).map(|n| RateLimiter::keyed(Quota::per_second(n)));
        Self { general, search }
    }

    /// Waits until the portal may make one more request of this kind.
    pub async fn wait(&self, portal: u64, bucket: Bucket) {
        if bucket == Bucket::Search {
            if let Some(search) = &self.search {
                search.until_key_ready(&portal).await;
            }
        }
        if let Some(general) = &self.general {
            general.until_key_ready(&portal).await;
        }
    }
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits")
            .field("general", &self.general.is_some())
            .field("search", &self.search.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_portal_gets_its_burst_then_waits_while_another_does_not() {
        let limits = Limits::new(10, 0);
        for _ in 0..10 {
            limits.wait(1, Bucket::General).await;
        }
        // The eleventh in the same ten seconds waits about a second.
        let eleventh = tokio::time::timeout(Duration::from_millis(300), limits.wait(1, Bucket::General));
        assert!(eleventh.await.is_err());
        // Another portal has its own bucket.
        let other = tokio::time::timeout(Duration::from_millis(300), limits.wait(2, Bucket::General));
        assert!(other.await.is_ok());
        // Search has its own rate on top.
        let limits = Limits::new(0, 2);
        limits.wait(1, Bucket::Search).await;
        limits.wait(1, Bucket::Search).await;
        let third = tokio::time::timeout(Duration::from_millis(200), limits.wait(1, Bucket::Search));
        assert!(third.await.is_err());
        let general = tokio::time::timeout(Duration::from_millis(200), limits.wait(1, Bucket::General));
        assert!(general.await.is_ok(), "no general limit configured");
    }
}
