//! Checking a provider webhook against its tenant's account, as one domain call: the account is read
//! (access-logged) and its secrets opened, unless the server holds it from the last minute; the
//! request is checked; a failed check is counted towards a `webhook_rejected` access event. A
//! request with a held account that passes its check touches the database not at all.
use std::sync::Arc;

use palisade_crypto::Keyring;
use palisade_db::{Db, Purpose, TenantId};
use palisade_webhooks::Rejection;
use serde_json::Value;

use crate::audit::access;
use crate::integrations::{self, OpenError, Provider, Secrets};
use crate::CoreError;

/// A tenant's settings for a provider and its opened secrets.
#[derive(Default)]
pub struct Account {
    pub config: Value,
    pub secrets: Secrets,
}

/// The settings hold phone numbers and addresses: `Debug` shows only the names of the secrets.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("secrets", &self.secrets)
            .finish_non_exhaustive()
    }
}

/// Why a webhook was not accepted. The caller learns nothing more than "forbidden" either way.
#[derive(Debug)]
pub enum Refusal {
    /// The request or the account failed the check; counted for the tenant unless the provider is
    /// not connected there (or there is no such tenant), so a flood at random tenant ids writes
    /// nothing. `opened`: the account read for this request, for the caller to keep, so that a
    /// flood of forged requests opens (and logs) it once, not once per request.
    Rejected {
        why: Rejection,
        opened: Option<Arc<Account>>,
    },
    /// The database failed while reading the account: a server error, not the caller's.
    Failed(CoreError),
}

impl From<CoreError> for Refusal {
    fn from(e: CoreError) -> Self {
        Self::Failed(e)
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
    let (account, opened) = match held {
        Some(account) => (account, false),
        None => match open(db, keyring, tenant, provider).await? {
            Opened::Account(account) => (Arc::new(account), true),
            // Nothing is counted: the tenant may not exist.
            Opened::NotConnected => {
                return Err(Refusal::Rejected {
                    why: Rejection::NotConfigured,
                    opened: None,
                })
            }
            Opened::Unusable => {
                count(db, tenant, provider, Rejection::BadSecret).await;
                return Err(Refusal::Rejected {
                    why: Rejection::BadSecret,
                    opened: None,
                });
            }
        },
    };
    match check(&account) {
        Ok(value) => Ok(Checked {
            value,
            account,
            opened,
        }),
        Err(why) => {
            count(db, tenant, provider, why).await;
            Err(Refusal::Rejected {
                why,
                opened: opened.then_some(account),
            })
        }
    }
}

enum Opened {
    Account(Account),
    NotConnected,
    /// Connected, but its secrets do not open (a key problem, logged; not the caller's fault).
    Unusable,
}

/// Reads the account in its own transaction, committed at once so the access event of the secret
/// read is kept whatever the check decides (a read for an unconnected provider writes nothing).
async fn open(db: &Db, keyring: &Keyring, tenant: TenantId, provider: Provider) -> Result<Opened, CoreError> {
    let mut tx = db.service(tenant, Purpose::Webhook).await?;
    let config = match integrations::get(&mut tx, tenant, provider).await {
        Ok(integration) if integration.status == "active" => integration.config,
        Ok(_) | Err(CoreError::NotFound) => return Ok(Opened::NotConnected),
        Err(e) => return Err(e),
    };
    // SendGrid's key is a public setting, not a sealed secret: nothing to open (or log).
    let opened = if provider == Provider::Sendgrid {
        Opened::Account(Account {
            config,
            secrets: Secrets::default(),
        })
    } else {
        match integrations::open_secrets(&mut tx, keyring, tenant, provider).await {
            Ok(Some(secrets)) => Opened::Account(Account { config, secrets }),
            Ok(None) => return Ok(Opened::NotConnected),
            Err(OpenError::Core(e)) => return Err(e),
            Err(e) => {
                tracing::error!(provider = provider.as_str(), error = %e, "a provider's secrets do not open");
                Opened::Unusable
            }
        }
    };
    tx.commit().await?;
    Ok(opened)
}

/// Counts a rejection in a transaction of its own: `audit.count_access` commits without waiting for
/// the WAL, which is safe only when its transaction writes nothing else. A failure to count is
/// logged; the request is refused all the same.
async fn count(db: &Db, tenant: TenantId, provider: Provider, why: Rejection) {
    let counted = async {
        let mut tx = db.service(tenant, Purpose::Webhook).await?;
        access::count_webhook_rejection(&mut tx, tenant, provider.as_str(), why.reason()).await?;
        tx.commit().await?;
        Ok::<_, CoreError>(())
    };
    if let Err(e) = counted.await {
        tracing::error!(error = %e, "could not record a rejected webhook");
    }
}
