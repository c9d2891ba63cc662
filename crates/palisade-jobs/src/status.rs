//! What each job did last, for readiness (`/readyz` reports degraded when a job is overdue) and
//! metrics.
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::Job;

#[derive(Debug, Clone, Default)]
pub struct JobStatus {
    pub last_success: Option<DateTime<Utc>>,
    pub last_failure: Option<DateTime<Utc>>,
    pub runs: u64,
    pub failures: u64,
}

#[derive(Debug)]
pub struct StatusBoard {
    started: DateTime<Utc>,
    jobs: Mutex<BTreeMap<Job, JobStatus>>,
}

impl StatusBoard {
    pub fn new(jobs: &[Job]) -> Self {
        Self {
            started: Utc::now(),
            jobs: Mutex::new(jobs.iter().map(|j| (*j, JobStatus::default())).collect()),
        }
    }

    fn update(&self, job: Job, f: impl FnOnce(&mut JobStatus)) {
        // A poisoned lock only means another thread panicked mid-update; the counters stay usable.
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        f(jobs.entry(job).or_default());
    }

    pub fn succeeded(&self, job: Job) {
        self.update(job, |s| {
            s.runs += 1;
            s.last_success = Some(Utc::now());
        });
    }

    pub fn failed(&self, job: Job) {
        self.update(job, |s| {
            s.runs += 1;
            s.failures += 1;
            s.last_failure = Some(Utc::now());
        });
    }

    pub fn snapshot(&self) -> BTreeMap<Job, JobStatus> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Jobs that have not succeeded within twice their interval (plus a minute of grace), counted
    /// from their last success or, if they never succeeded, from when the board started.
    pub fn overdue(&self, now: DateTime<Utc>) -> Vec<&'static str> {
        self.snapshot()
            .into_iter()
            .filter(|(job, status)| {
                let allowed = job.every() * 2 + Duration::from_secs(60);
                let since = status.last_success.unwrap_or(self.started);
                (now - since).to_std().is_ok_and(|elapsed| elapsed > allowed)
            })
            .map(|(job, _)| job.name())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_overdue_after_twice_its_interval_without_success() {
        let board = StatusBoard::new(&Job::ALL);
        let now = Utc::now();
        assert!(board.overdue(now).is_empty());
        let later = now + chrono::Duration::minutes(4);
        assert_eq!(
            board.overdue(later),
            vec![
                "audit_seal",
                "incident_notices",
                "delivery",
                "security_event_windows",
                "erasures",
                "assistant",
                "crm_sync"
            ]
        );
        board.succeeded(Job::IncidentNotices);
        board.succeeded(Job::SecurityEventWindows);
        board.succeeded(Job::AuditSeal);
        board.succeeded(Job::Delivery);
        board.succeeded(Job::Erasures);
        board.succeeded(Job::Assistant);
        board.succeeded(Job::CrmSync);
        assert!(board
            .overdue(Utc::now() + chrono::Duration::seconds(61))
            .is_empty());
        board.failed(Job::IncidentNotices);
        let s = board.snapshot()[&Job::IncidentNotices].clone();
        assert_eq!((s.runs, s.failures), (2, 1));
        let much_later = Utc::now() + chrono::Duration::hours(13);
        assert_eq!(board.overdue(much_later).len(), Job::ALL.len());
    }
}
