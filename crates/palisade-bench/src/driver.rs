//! The API's database work without the API: the domain functions the handlers call, on context
//! transactions from palisade-db's pool, run from this process with no HTTP, no token and no JSON.
//! Against pgbench's identical transaction it prices the driver and the transaction code alone;
//! what the API pays beyond this side is HTTP, authentication, JSON and the handler.
use std::sync::Arc;

use anyhow::Context;
use palisade_core::crm::leads::{self, LeadFilter};
use palisade_core::messaging::inbound::{self, Inbound, Outcome};
use palisade_core::messaging::Channel;
use palisade_core::phone::{self, PhoneKeys, E164};
use palisade_crypto::Keyring;
use palisade_db::connect::Target;
use palisade_db::{Db, LeadId, PoolSettings, Principal, Purpose, TenantId, UserId};
use secrecy::SecretString;
use uuid::Uuid;

use crate::load::Attempt;
use crate::server::{Server, DBNAME, POOL_SIZE};

/// One attempt of a driver side, numbered across its workers.
pub type Work = Arc<dyn Fn(u64) -> Attempt + Send + Sync>;

/// What the handlers hold: the runtime pool, as `serve` builds it, and the keys `serve` generated.
#[derive(Clone)]
pub struct Driver {
    db: Db,
    keys: Arc<(Keyring, Keyring)>,
}

fn keyring(server: &Server, file: &str) -> anyhow::Result<Keyring> {
    let text =
        std::fs::read_to_string(server.data_dir.join(file)).with_context(|| format!("reading {file}"))?;
    Keyring::parse(&SecretString::from(text.trim().to_owned())).with_context(|| format!("parsing {file}"))
}

impl Driver {
    pub async fn connect(server: &Server) -> anyhow::Result<Self> {
        let target = Target::socket(server.socket_dir(), 5432, "palisade_runtime", DBNAME);
        let settings = PoolSettings {
            max_size: POOL_SIZE,
            ..PoolSettings::default()
        };
        let db = Db::connect(&target, &settings).await?;
        let keys = Arc::new((keyring(server, "keys")?, keyring(server, "index-keys")?));
        Ok(Self { db, keys })
    }

    /// A member's transaction in `tenant`, as `Member::tx` opens it for a bearer token.
    fn work(
        &self,
        user: Uuid,
        tenant: Uuid,
        job: impl Fn(Driver, Principal, TenantId, u64) -> Attempt + Send + Sync + 'static,
    ) -> Work {
        let this = self.clone();
        let tenant = TenantId::from_uuid(tenant);
        let principal = Principal {
            user_id: UserId::from_uuid(user),
            tenant_id: Some(tenant),
        };
        Arc::new(move |n| job(this.clone(), principal, tenant, n))
    }

    /// Scenario 1's handler body: one lead by id, rotating over `ids`.
    pub fn lead_by_id(&self, user: Uuid, tenant: Uuid, ids: Vec<Uuid>) -> Work {
        self.work(user, tenant, move |d, principal, tenant, n| {
            let id = LeadId::from_uuid(ids[(n as usize) % ids.len()]);
            Box::pin(async move {
                let Ok(mut tx) = d.db.user(&principal).await else {
                    return false;
                };
                let found = leads::get(&mut tx, tenant, id, d.phone_keys()).await;
                found.is_ok() && tx.commit().await.is_ok()
            })
        })
    }

    /// Scenario 2's handler body: the first page of `limit` leads.
    pub fn first_page(&self, user: Uuid, tenant: Uuid, limit: i64) -> Work {
        self.work(user, tenant, move |d, principal, tenant, _| {
            Box::pin(async move {
                let Ok(mut tx) = d.db.user(&principal).await else {
                    return false;
                };
                let filter = LeadFilter {
                    limit: Some(limit),
                    ..LeadFilter::default()
                };
                let page = leads::list(&mut tx, tenant, &filter, d.phone_keys()).await;
                page.is_ok() && tx.commit().await.is_ok()
            })
        })
    }

    /// Scenario 7's handler body after the signature check: a new inbound text from one of
    /// `senders` (rotating), in the service context the webhook runs in.
    pub fn inbound_text(&self, tenant: Uuid, senders: &[String]) -> anyhow::Result<Work> {
        let senders: Arc<Vec<E164>> = Arc::new(
            senders
                .iter()
                .map(|s| phone::international(s))
                .collect::<Result<_, _>>()?,
        );
        let (this, tenant) = (self.clone(), TenantId::from_uuid(tenant));
        Ok(Arc::new(move |n| {
            let (d, senders) = (this.clone(), senders.clone());
            Box::pin(async move {
                let Ok(mut tx) = d.db.service(tenant, Purpose::Webhook).await else {
                    return false;
                };
                let sid = format!("SMd{}", Uuid::new_v4().simple());
                let message = Inbound {
                    channel: Channel::Sms,
                    from: &senders[(n as usize) % senders.len()],
                    body: crate::inbound::BODY,
                    provider_message_id: &sid,
                };
                let received = inbound::receive(&mut tx, tenant, d.phone_keys(), "twilio", &message).await;
                matches!(received, Ok(Outcome::Received { .. })) && tx.commit().await.is_ok()
            })
        }))
    }

    fn phone_keys(&self) -> PhoneKeys<'_> {
        PhoneKeys {
            seal: &self.keys.0,
            index: &self.keys.1,
        }
    }
}
