//! The outbox worker: claims due messages (a lease, `SKIP LOCKED`, at most so many per tenant per
//! run), checks consent again at send time (withdrawn meanwhile → `blocked`), sends through the
//! tenant's provider without holding a transaction, and records the answer: `sent`, or queued
//! again with exponential backoff and jitter, or `failed` after the last attempt (with an error
//! event for the tenant).
mod providers;

use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use palisade_core::audit::platform_errors::{self, ErrorReport, Severity, Surface};
use palisade_core::integrations::{self, Provider};
use palisade_core::messaging::delivery::{self, Claimed, Next, Outgoing};
use palisade_core::messaging::Channel;
use palisade_core::phone::PhoneKeys;
use palisade_crypto::Keyring;
use palisade_db::{Db, Purpose, TenantId};

pub use providers::ProviderUrls;
use providers::{Account, Attempt};

use crate::JobError;

/// How the worker sends.
#[derive(Clone)]
pub struct DeliverySettings {
    pub keyring: Arc<Keyring>,
    pub index_keys: Arc<Keyring>,
    pub urls: ProviderUrls,
    /// Palisade's public base URL (Twilio's status callbacks come back to it).
    pub public_url: String,
    /// Messages sent per tenant per run (runs are a second apart): the per-tenant send rate.
    pub per_tenant_per_run: i32,
    /// Messages claimed per run, all tenants together.
    pub batch: i32,
    /// Attempts before a message is `failed`.
    pub max_attempts: i32,
    /// The first retry's delay; each later one doubles it (with ±20% jitter), up to an hour.
    pub retry_base: Duration,
    /// How long one provider request may take.
    pub timeout: Duration,
}

impl DeliverySettings {
    pub fn new(keyring: Arc<Keyring>, index_keys: Arc<Keyring>, public_url: String) -> Self {
        Self {
            keyring,
            index_keys,
            urls: ProviderUrls::default(),
            public_url,
            per_tenant_per_run: 10,
            batch: 50,
            max_attempts: 6,
            retry_base: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Provider accounts opened during one run, by tenant and whether the channel is email.
type Accounts = std::collections::HashMap<
    (TenantId, bool),
    Option<(&'static str, serde_json::Value, integrations::Secrets)>,
>;

/// A claimed message is leased for this long; a worker that dies mid-send leaves it to the next.
const LEASE_SECS: i32 = 120;
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

pub(crate) struct Worker {
    db: Db,
    settings: DeliverySettings,
    http: reqwest::Client,
}

impl Worker {
    pub(crate) fn new(db: Db, settings: DeliverySettings) -> Result<Self, JobError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            // A provider API does not redirect; following one could leak credentials elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| JobError::Setup(format!("the delivery HTTP client: {e}")))?;
        Ok(Self { db, settings, http })
    }

    /// One run: claim, then handle each message. Returns how many were handled.
    pub(crate) async fn run(&self) -> Result<u64, JobError> {
        let mut tx = self.db.system(Purpose::Delivery).await?;
        let claimed = delivery::claim(
            &mut tx,
            self.settings.batch,
            self.settings.per_tenant_per_run,
            LEASE_SECS,
        )
        .await?;
        tx.commit().await?;
        // A tenant's provider account is opened (and its decryption logged) once per run, not once
        // per message.
        let mut accounts = Accounts::new();
        for message in &claimed {
            // One message's trouble (a database hiccup) must not stop the others; its lease ends
            // and it is claimed again.
            if let Err(e) = self.deliver(*message, &mut accounts).await {
                tracing::error!(tenant_id = %message.tenant, message_id = %message.id, error = %e, "delivery failed");
            }
        }
        Ok(claimed.len() as u64)
    }

    fn keys(&self) -> PhoneKeys<'_> {
        PhoneKeys {
            seal: &self.settings.keyring,
            index: &self.settings.index_keys,
        }
    }

    async fn deliver(&self, claimed: Claimed, accounts: &mut Accounts) -> Result<(), JobError> {
        let tenant = claimed.tenant;
        let mut tx = self.db.service(tenant, Purpose::Delivery).await?;
        let message = match delivery::prepare(&mut tx, tenant, self.keys(), claimed.id).await? {
            Next::Send(message) => message,
            Next::Blocked(reason) => {
                tx.commit().await?;
                tracing::info!(tenant_id = %tenant, message_id = %claimed.id, reason, "message not sent: consent");
                return Ok(());
            }
            Next::Skip => return Ok(()),
        };
        let provider = match accounts.entry((tenant, message.channel == Channel::Email)) {
            Entry::Occupied(opened) => opened.into_mut(),
            Entry::Vacant(slot) => slot.insert(self.provider(&mut tx, tenant, message.channel).await?),
        }
        .as_ref();
        // Commit before the request: the secret's decryption is logged, and no transaction waits
        // on a provider.
        tx.commit().await?;
        let attempt = match provider {
            Some((provider, config, secrets)) => {
                let account = Account {
                    provider,
                    config,
                    secrets,
                };
                let callback = format!(
                    "{}/webhooks/twilio/{tenant}/status",
                    self.settings.public_url.trim_end_matches('/')
                );
                providers::send(&self.http, &self.settings.urls, &account, &message, &callback).await
            }
            None => Attempt::Refused {
                error: "not_configured: no active provider for this channel".into(),
            },
        };
        self.record(tenant, &message, attempt).await
    }

    /// The tenant's provider for a channel: Twilio for texts; Resend, else SendGrid, for email.
    async fn provider(
        &self,
        tx: &mut palisade_db::Tx,
        tenant: TenantId,
        channel: Channel,
    ) -> Result<Option<(&'static str, serde_json::Value, integrations::Secrets)>, JobError> {
        let candidates: &[Provider] = match channel {
            Channel::Sms | Channel::Whatsapp => &[Provider::Twilio],
            Channel::Email => &[Provider::Resend, Provider::Sendgrid],
        };
        for provider in candidates {
            let config = match integrations::get(tx, tenant, *provider).await {
                Ok(integration) if integration.status == "active" => integration.config,
                Ok(_) | Err(palisade_core::CoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            match integrations::open_secrets(tx, &self.settings.keyring, tenant, *provider).await {
                Ok(Some(secrets)) => return Ok(Some((provider.as_str(), config, secrets))),
                Ok(None) => continue,
                Err(e) => {
                    tracing::error!(tenant_id = %tenant, error = %e, "a provider's secrets do not open");
                    return Ok(None);
                }
            }
        }
        Ok(None)
    }

    async fn record(&self, tenant: TenantId, message: &Outgoing, attempt: Attempt) -> Result<(), JobError> {
        let mut tx = self.db.service(tenant, Purpose::Delivery).await?;
        match attempt {
            Attempt::Accepted { provider_message_id } => {
                delivery::mark_sent(&mut tx, tenant, message.id, &provider_message_id).await?;
            }
            Attempt::Retry { error, after } if message.attempts < self.settings.max_attempts => {
                let wait = backoff(self.settings.retry_base, message.attempts).max(after.unwrap_or_default());
                let at = Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                delivery::mark_retry(&mut tx, tenant, message.id, at, &error).await?;
            }
            Attempt::Retry { error, .. } | Attempt::Refused { error } => {
                delivery::mark_failed(&mut tx, tenant, message.id, &error).await?;
                tx.commit().await?;
                tracing::warn!(tenant_id = %tenant, message_id = %message.id, error, "message failed");
                return self.report_failure(tenant, message.channel).await;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A message given up on is an error event for the platform (by tenant and channel; the
    /// message's own `last_error` says why).
    async fn report_failure(&self, tenant: TenantId, channel: Channel) -> Result<(), JobError> {
        let report = ErrorReport {
            severity: Severity::Warning,
            surface: Surface::Delivery,
            tenant: Some(tenant),
            code: "message_failed",
            message: "a message could not be delivered; see its last_error",
            operation: format!("deliver_{}", channel.as_str()),
        };
        let mut tx = self.db.system(Purpose::ErrorReport).await?;
        platform_errors::record(&mut tx, &report).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// `base × 2^(attempt − 1)`, at most an hour, then ±20% jitter so retries of many messages (a
/// provider outage) do not arrive together.
fn backoff(base: Duration, attempt: i32) -> Duration {
    let exp = u32::try_from(attempt.saturating_sub(1)).unwrap_or(0).min(16);
    let raw = base.saturating_mul(2u32.saturating_pow(exp)).min(MAX_BACKOFF);
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    raw.mul_f64(jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let base = Duration::from_secs(30);
        for attempt in 1..=5 {
            let expected = 30.0 * f64::from(2u32.pow(u32::try_from(attempt - 1).unwrap_or(0)));
            for _ in 0..50 {
                let got = backoff(base, attempt).as_secs_f64();
                assert!(
                    (expected * 0.8..=expected * 1.2).contains(&got),
                    "{attempt}: {got}"
                );
            }
        }
        assert!(backoff(base, 40) <= MAX_BACKOFF.mul_f64(1.2));
        assert_eq!(backoff(Duration::ZERO, 3), Duration::ZERO);
    }
}
