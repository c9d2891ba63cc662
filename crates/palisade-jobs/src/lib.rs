//! Background jobs. They run in the server process (switchable by config) and never inside a
//! request. Each job is idempotent or claims its work with `SKIP LOCKED`, so several instances can
//! run them side by side. Tests drive them with [`Jobs::run_once`] instead of waiting for a timer.
mod briefs;
pub mod delivery;
mod erasures;
mod notices;
mod retention;
mod status;
mod terminations;

use std::sync::Arc;
use std::time::Duration;

use palisade_core::audit::platform_errors::{self, ErrorReport, Severity, Surface};
use palisade_core::audit::{access, incidents};
use palisade_core::CoreError;
use palisade_db::{Db, Purpose};
use palisade_mail::Mailer;

pub use status::{JobStatus, StatusBoard};

/// Months of audit partitions kept ready ahead of the current one.
pub const PARTITION_MONTHS_AHEAD: i32 = 12;
/// Events linked per sealer transaction, and transactions per run.
const SEAL_BATCH: i32 = 2_000;
const SEAL_BATCHES: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    /// Link recorded audit events into their tenant's hash chain.
    AuditSeal,
    /// Create next months' `audit.events` partitions.
    AuditPartitions,
    /// Drop `audit.events` partitions past the retention period.
    AuditRetention,
    /// Email affected tenants' admins about declared incidents.
    IncidentNotices,
    /// Forget used or expired magic links, and sessions a month after they ended.
    SignInCleanup,
    /// Send due outbound messages (when delivery is configured).
    Delivery,
    /// Queue the daily briefs now due (when delivery is configured).
    Briefs,
    /// Write one access event for each ended window of counted security events (forged webhooks,
    /// failed sign-ins).
    SecurityEventWindows,
    /// Continue erasures a request left unfinished (a large subject, or a crash).
    Erasures,
    /// Delete what is past each tenant's retention periods.
    Retention,
    /// Purge the tenants whose termination's grace period is over.
    Terminations,
    /// The assistant's queue: coaching from calls, answers to inbound texts.
    Assistant,
    /// The HubSpot sync: each connected tenant's reads and writes back, when due.
    CrmSync,
}

impl Job {
    pub const ALL: [Job; 13] = [
        Job::AuditSeal,
        Job::AuditPartitions,
        Job::AuditRetention,
        Job::IncidentNotices,
        Job::SignInCleanup,
        Job::Delivery,
        Job::Briefs,
        Job::SecurityEventWindows,
        Job::Erasures,
        Job::Retention,
        Job::Terminations,
        Job::Assistant,
        Job::CrmSync,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Self::AuditSeal => "audit_seal",
            Self::AuditPartitions => "audit_partitions",
            Self::AuditRetention => "audit_retention",
            Self::IncidentNotices => "incident_notices",
            Self::SignInCleanup => "sign_in_cleanup",
            Self::Delivery => "delivery",
            Self::Briefs => "briefs",
            Self::SecurityEventWindows => "security_event_windows",
            Self::Erasures => "erasures",
            Self::Retention => "retention",
            Self::Terminations => "terminations",
            Self::Assistant => "assistant",
            Self::CrmSync => "crm_sync",
        }
    }

    /// The job of this name (`audit_seal`, `delivery`, …).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|j| j.name() == name)
    }

    /// How often the job runs.
    pub const fn every(self) -> Duration {
        match self {
            Self::AuditPartitions | Self::AuditRetention => Duration::from_secs(6 * 3600),
            Self::SignInCleanup | Self::Retention | Self::Terminations => Duration::from_secs(3600),
            Self::AuditSeal | Self::Delivery => Duration::from_secs(1),
            Self::IncidentNotices | Self::SecurityEventWindows => Duration::from_secs(60),
            Self::Erasures | Self::Assistant | Self::CrmSync => Duration::from_secs(10),
            Self::Briefs => Duration::from_secs(300),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Db(#[from] palisade_db::DbError),
    #[error(transparent)]
    Mail(#[from] palisade_mail::MailError),
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Crm(#[from] palisade_hubspot::SyncError),
}

#[derive(Clone)]
pub struct Jobs {
    db: Db,
    mailer: Mailer,
    board: Arc<StatusBoard>,
    delivery: Option<Arc<delivery::Worker>>,
    assistant: Option<Arc<palisade_ai::Assistant>>,
    crm: Option<Arc<palisade_hubspot::Syncer>>,
}

impl Jobs {
    pub fn new(db: Db, mailer: Mailer) -> Self {
        Self {
            db,
            mailer,
            board: Arc::new(StatusBoard::new(&Job::ALL)),
            delivery: None,
            assistant: None,
            crm: None,
        }
    }

    /// Works the assistant's queue too (the `assistant` job does nothing without this).
    pub fn with_assistant(mut self, assistant: Arc<palisade_ai::Assistant>) -> Self {
        self.assistant = Some(assistant);
        self
    }

    /// Syncs connected tenants with HubSpot too (the `crm_sync` job does nothing without this).
    pub fn with_crm(mut self, syncer: Arc<palisade_hubspot::Syncer>) -> Self {
        self.crm = Some(syncer);
        self
    }

    /// Sends outbound messages too (the `delivery` job does nothing without this).
    pub fn with_delivery(mut self, settings: delivery::DeliverySettings) -> Result<Self, JobError> {
        self.delivery = Some(Arc::new(delivery::Worker::new(self.db.clone(), settings)?));
        Ok(self)
    }

    pub fn board(&self) -> Arc<StatusBoard> {
        Arc::clone(&self.board)
    }

    /// Runs one job now and records the outcome; a failure is also recorded as an error event.
    /// Returns a count of what the job did (partitions made or dropped, notices sent).
    pub async fn run_once(&self, job: Job) -> Result<u64, JobError> {
        let result = self.execute(job).await;
        match &result {
            Ok(n) => {
                self.board.succeeded(job);
                if *n > 0 || !matches!(job, Job::AuditSeal | Job::Delivery) {
                    tracing::debug!(job = job.name(), done = n, "job finished");
                }
            }
            Err(e) => {
                self.board.failed(job);
                tracing::error!(job = job.name(), error = %e, "job failed");
                self.report_failure(job).await;
            }
        }
        result
    }

    async fn execute(&self, job: Job) -> Result<u64, JobError> {
        if job == Job::AuditSeal {
            return self.seal().await;
        }
        if job == Job::Delivery {
            return match &self.delivery {
                Some(worker) => worker.run().await,
                None => Ok(0),
            };
        }
        if job == Job::Erasures {
            return erasures::run(&self.db).await;
        }
        if job == Job::Retention {
            return retention::run(&self.db).await;
        }
        if job == Job::Terminations {
            return terminations::run(&self.db).await;
        }
        if job == Job::CrmSync {
            return match &self.crm {
                Some(syncer) => Ok(palisade_hubspot::sync::worker::run(syncer, &self.db).await?),
                None => Ok(0),
            };
        }
        if job == Job::Assistant {
            return match &self.assistant {
                Some(assistant) => Ok(palisade_ai::worker::run(assistant, &self.db).await?),
                None => Ok(0),
            };
        }
        if job == Job::Briefs {
            // Without a delivery worker the briefs would wait in the outbox and arrive stale.
            return match &self.delivery {
                Some(_) => briefs::run(&self.db).await,
                None => Ok(0),
            };
        }
        let mut tx = self.db.system(Purpose::Maintenance).await?;
        let done = match job {
            Job::AuditSeal
            | Job::Delivery
            | Job::Briefs
            | Job::Erasures
            | Job::Retention
            | Job::Terminations
            | Job::Assistant
            | Job::CrmSync => 0,
            Job::AuditPartitions => {
                let row = tx
                    .query_one(
                        "select audit.ensure_partitions($1) as created",
                        &[&PARTITION_MONTHS_AHEAD],
                    )
                    .await?;
                u64::try_from(
                    row.try_get::<_, i32>("created")
                        .map_err(palisade_db::DbError::from)?,
                )
                .unwrap_or(0)
            }
            Job::AuditRetention => {
                let rows = tx
                    .query(
                        "select * from audit.drop_expired_partitions() as dropped(partition_name)",
                        &[],
                    )
                    .await?;
                for row in &rows {
                    let name: String = row
                        .try_get("partition_name")
                        .map_err(palisade_db::DbError::from)?;
                    tracing::info!(partition = %name, "audit partition past retention dropped");
                }
                rows.len() as u64
            }
            Job::IncidentNotices => {
                let notices = incidents::claim_notices(&mut tx, 100).await?;
                for notice in &notices {
                    // Written before the claim commits: a crash in between sends a notice twice,
                    // never zero times.
                    let delivery = self.mailer.send(&notices::incident_mail(notice)).await?;
                    incidents::mark_notified(&mut tx, notice, delivery.recipients).await?;
                }
                notices.len() as u64
            }
            Job::SecurityEventWindows => access::close_windows(&mut tx, chrono::Utc::now()).await?,
            Job::SignInCleanup => {
                let row = tx
                    .query_one("select auth.purge_expired($1) as purged", &[&chrono::Utc::now()])
                    .await?;
                u64::try_from(
                    row.try_get::<_, i32>("purged")
                        .map_err(palisade_db::DbError::from)?,
                )
                .unwrap_or(0)
            }
        };
        tx.commit().await?;
        Ok(done)
    }

    /// Bounded batches, each in its own transaction, so a backlog drains without one long
    /// transaction; the next tick continues.
    async fn seal(&self) -> Result<u64, JobError> {
        let mut total = 0u64;
        for _ in 0..SEAL_BATCHES {
            let mut tx = self.db.system(Purpose::Maintenance).await?;
            let n: i32 = tx
                .query_one("select audit.seal($1) as sealed", &[&SEAL_BATCH])
                .await?
                .try_get("sealed")
                .map_err(palisade_db::DbError::from)?;
            tx.commit().await?;
            total += u64::try_from(n).unwrap_or(0);
            if n < SEAL_BATCH {
                break;
            }
        }
        Ok(total)
    }

    async fn report_failure(&self, job: Job) {
        let report = ErrorReport {
            severity: Severity::Error,
            surface: Surface::Job,
            tenant: None,
            code: "job_failed",
            message: "a background job failed; see the server log for the correlation id",
            operation: job.name().to_owned(),
        };
        let recorded = async {
            let mut tx = self.db.system(Purpose::ErrorReport).await?;
            platform_errors::record(&mut tx, &report).await?;
            tx.commit().await?;
            Ok::<_, JobError>(())
        }
        .await;
        if let Err(e) = recorded {
            tracing::error!(job = job.name(), error = %e, "could not record the job failure as an error event");
        }
    }

    /// Runs every job at start and then on its interval until `shutdown` resolves.
    pub fn spawn(self, shutdown: tokio::sync::watch::Receiver<bool>) -> Vec<tokio::task::JoinHandle<()>> {
        Job::ALL
            .into_iter()
            .map(|job| {
                let jobs = self.clone();
                let mut shutdown = shutdown.clone();
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(job.every());
                    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        tokio::select! {
                            _ = tick.tick() => { let _ = jobs.run_once(job).await; }
                            _ = shutdown.changed() => break,
                        }
                    }
                })
            })
            .collect()
    }
}
