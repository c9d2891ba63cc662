//! Checking a provider webhook against its tenant's account, as one domain call. The account is read
//! (access-logged) and its secrets opened, the request checked, and a failed check counted towards a
//! `webhook_rejected` access event — in one service transaction, or in none at all when the server
//! already holds the opened account and the check passes.
use std::sync::Arc;

use palisade_crypto::Keyring;
use palisade_db::{Db, Purpose, TenantId};
use palisade_webhooks::Rejection;
use serde_json::Value;

use crate::audit::access;
use crate::integrations::{self, OpenError, Provider, Secrets};
use crate::CoreError;

/// A tenant's settings for a provider and its opened secrets.
#[derive(Debug, Default)]
pub struct Account {
    pub config: Value,
    pub secrets: Secrets,
}

/// Why a webhook was not accepted. The caller learns nothing more than "forbidden" either way.
#[derive(Debug)]
pub enum Refusal {
    /// The request or the account failed the check; counted for the tenant unless the provider is
    /// not connected there (or there is no such tenant), so a flood at random tenant ids writes
    /// nothing.
    Rejected(Rejection),
    /// The database failed: a server error, not the caller's.
    Failed(CoreError),
}

impl From<CoreError> for Refusal {
    fn from(e: CoreError) -> Self {
        Self::Failed(e)
    }
}

impl From<palisade_db::DbError> for Refusal {
    fn from(e: palisade_db::DbError) -> Self {
        Self::Failed(e.into())
    }
}

/// A request that passed: what the check returned and the account it was checked against (`opened`
/// when it was read now, for the caller to keep).
pub struct Checked<T> {
    pub value: T,
    pub account: Arc<Account>,
    pub opened: bool,
}

/// Checks a request with `check` against the tenant's account for `provider`: `held` is an account
/// the caller opened recently (see the server's account cache), used without reading it again.
pub async fn check_webhook<T>(
    db: &Db,
    keyring: &Keyring,
    tenant: TenantId,
    provider: Provider,
    held: Option<Arc<Account>>,
    check: impl FnOnce(&Account) -> Result<T, Rejection>,
) -> Result<Checked<T>, Refusal> {
    if let Some(account) = held {
        return match check(&account) {
            Ok(value) => Ok(Checked {
                value,
                account,
                opened: false,
            }),
            Err(why) => {
                let mut tx = db.service(tenant, Purpose::Webhook).await?;
                count(&mut tx, tenant, provider, why).await?;
                tx.commit().await?;
                Err(Refusal::Rejected(why))
            }
        };
    }
    let mut tx = db.service(tenant, Purpose::Webhook).await?;
    let account = match open(&mut tx, keyring, tenant, provider).await? {
        Opened::Account(account) => Arc::new(account),
        // Nothing is counted, and the read is not kept: the tenant may not exist.
        Opened::NotConnected => return Err(Refusal::Rejected(Rejection::NotConfigured)),
        Opened::Unusable => {
            count(&mut tx, tenant, provider, Rejection::BadSecret).await?;
            tx.commit().await?;
            return Err(Refusal::Rejected(Rejection::BadSecret));
        }
    };
    match check(&account) {
        Ok(value) => {
            tx.commit().await?;
            Ok(Checked {
                value,
                account,
                opened: true,
            })
        }
        Err(why) => {
            count(&mut tx, tenant, provider, why).await?;
            tx.commit().await?;
            Err(Refusal::Rejected(why))
        }
    }
}

enum Opened {
    Account(Account),
    NotConnected,
    /// Connected, but its secrets do not open (a key problem, logged; not the caller's fault).
    Unusable,
}

async fn open(
    tx: &mut palisade_db::Tx,
    keyring: &Keyring,
    tenant: TenantId,
    provider: Provider,
) -> Result<Opened, CoreError> {
    let config = match integrations::get(tx, tenant, provider).await {
        Ok(integration) if integration.status == "active" => integration.config,
        Ok(_) | Err(CoreError::NotFound) => return Ok(Opened::NotConnected),
        Err(e) => return Err(e),
    };
    // SendGrid's key is a public setting, not a sealed secret: nothing to open (or log).
    if provider == Provider::Sendgrid {
        return Ok(Opened::Account(Account {
            config,
            secrets: Secrets::default(),
        }));
    }
    match integrations::open_secrets(tx, keyring, tenant, provider).await {
        Ok(Some(secrets)) => Ok(Opened::Account(Account { config, secrets })),
        Ok(None) => Ok(Opened::NotConnected),
        Err(OpenError::Core(e)) => Err(e),
        Err(e) => {
            tracing::error!(provider = provider.as_str(), error = %e, "a provider's secrets do not open");
            Ok(Opened::Unusable)
        }
    }
}

async fn count(
    tx: &mut palisade_db::Tx,
    tenant: TenantId,
    provider: Provider,
    why: Rejection,
) -> Result<(), CoreError> {
    access::count_webhook_rejection(tx, tenant, provider.as_str(), why.reason()).await
}
