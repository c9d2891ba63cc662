//! Opened provider accounts, kept for a minute. Every webhook request is checked with its tenant's
//! secret; opening it each time would decrypt, and write an access event, per request. An entry is
//! opened (and logged) about once per minute per server instance (requests that arrive together
//! before it is kept may each open it), and forgotten at once when an admin of this instance
//! changes or removes the integration (an account read while the change lands is not kept). Other instances pick a change up within the
//! minute. Only accounts that opened are kept: a tenant that connects a provider is served at once.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use palisade_core::integrations::Provider;
use palisade_core::webhook_check;
use palisade_db::TenantId;

/// A tenant's settings for a provider and its opened secrets.
pub(crate) type Account = Arc<webhook_check::Account>;

/// How long an opened account is used before it is read again.
pub(crate) const TTL: Duration = Duration::from_secs(60);
/// Entries kept at most; past it the cache is cleared (a flood of distinct tenants cannot grow it).
const MAX_ENTRIES: usize = 10_000;

/// Opened accounts by tenant and provider name, with when they were opened.
type Entries = HashMap<(TenantId, &'static str), (Instant, Account)>;

#[derive(Default)]
pub struct AccountCache {
    entries: Mutex<Entries>,
    /// Counts `forget` calls: an account read before one is not kept (it may be the old one).
    epoch: AtomicU64,
}

impl AccountCache {
    pub(crate) fn get(&self, tenant: TenantId, provider: Provider) -> Option<Account> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(&(tenant, provider.as_str()))
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, account)| Arc::clone(account))
    }

    /// Where the cache stands before a read: pass it to [`Self::put`].
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Keeps an account read since `epoch`, unless an integration was changed meanwhile.
    pub(crate) fn put(&self, epoch: u64, tenant: TenantId, provider: Provider, account: Account) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock `forget` takes: a change that lands during the read wins.
        if self.epoch.load(Ordering::SeqCst) != epoch {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((tenant, provider.as_str()), (Instant::now(), account));
    }

    /// The integration changed: the next request opens it again.
    pub fn forget(&self, tenant: TenantId, provider: Provider) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        self.epoch.fetch_add(1, Ordering::SeqCst);
        entries.remove(&(tenant, provider.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_until_forgotten_and_per_tenant_and_provider() {
        let cache = AccountCache::default();
        let (a, b) = (
            TenantId::from_uuid(uuid::Uuid::from_u128(1)),
            TenantId::from_uuid(uuid::Uuid::from_u128(2)),
        );
        assert!(cache.get(a, Provider::Twilio).is_none());
        let epoch = cache.epoch();
        cache.put(epoch, a, Provider::Twilio, Arc::default());
        assert!(cache.get(a, Provider::Twilio).is_some());
        assert!(cache.get(b, Provider::Twilio).is_none());
        assert!(cache.get(a, Provider::Meta).is_none());
        cache.forget(a, Provider::Twilio);
        assert!(cache.get(a, Provider::Twilio).is_none());
        // Read before a change, kept after it: not kept.
        cache.forget(b, Provider::Meta);
        cache.put(epoch, a, Provider::Twilio, Arc::default());
        assert!(cache.get(a, Provider::Twilio).is_none());
    }
}
