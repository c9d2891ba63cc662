//! The API's database work without the API: the domain functions the handlers call, on context
//! transactions from palisade-db's pool, run from this process with no HTTP, no token and no JSON.
//! Against pgbench's identical transaction it prices the driver and the transaction code alone;
//! what the API pays beyond this side is HTTP, authentication, JSON and the handler.
use std::sync::Arc;

use anyhow::Context;
use palisade_core::crm::leads::{self, LeadFilter};
use palisade_core::messaging::inbound::{self, Inbound, Outcome};
use palisade_core::messaging::Channel;
use palisade_core::phone::{self, PhoneKeys};
use palisade_crypto::Keyring;
use palisade_db::connect::Target;
use palisade_db::{CorrelationId, Db, LeadId, PoolSettings, Principal, Purpose, TenantId, UserId};
use secrecy::SecretString;
use uuid::Uuid;

use crate::load::Attempt;
use crate::server::{Server, DBNAME};

/// How a driver side is labelled in the report.
pub const LABEL: &str = "palisade-db from Rust";

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
    /// A pool of `pool` connections, the size the server was given.
    pub async fn connect(server: &Server, pool: usize) -> anyhow::Result<Self> {
        let target = Target::socket(server.socket_dir(), 5432, "palisade_runtime", DBNAME);
        let settings = PoolSettings {
            max_size: pool,
            ..PoolSettings::default()
        };
        let db = Db::connect(&target, &settings).await?;
        let keys = Arc::new((keyring(server, "keys")?, keyring(server, "index-keys")?));
        Ok(Self { db, keys })
    }

    /// A member's transaction in `tenant`, as `Member::tx` opens it for a bearer token (with a
    /// request's correlation id).
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
                let Ok(mut tx) = d.request().user(&principal).await else {
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
                let Ok(mut tx) = d.request().user(&principal).await else {
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
        if let Some(bad) = senders.iter().find(|s| phone::international(s).is_err()) {
            anyhow::bail!("sender {bad:?} is not an international number");
        }
        let senders = Arc::new(senders.to_vec());
        let (this, tenant) = (self.clone(), TenantId::from_uuid(tenant));
        Ok(Arc::new(move |n| {
            let (d, senders) = (this.clone(), senders.clone());
            Box::pin(async move {
                // The handler reads the sender from the form, as here, on every request.
                let Ok(from) = phone::international(&senders[(n as usize) % senders.len()]) else {
                    return false;
                };
                let Ok(mut tx) = d.db.service(tenant, Purpose::Webhook).await else {
                    return false;
                };
                let sid = format!("SMd{}", Uuid::new_v4().simple());
                let message = Inbound {
                    channel: Channel::Sms,
                    from: &from,
                    body: crate::inbound::BODY,
                    provider_message_id: &sid,
                };
                let received = inbound::receive(&mut tx, tenant, d.phone_keys(), "twilio", &message).await;
                // Only the path scenario 7 measures counts: a message for a known lead.
                let known = matches!(
                    received,
                    Ok(Outcome::Received {
                        created_lead: false,
                        ..
                    })
                );
                known && tx.commit().await.is_ok()
            })
        }))
    }

    /// The pool as a handler holds it: tagged with a fresh correlation id per request.
    fn request(&self) -> Db {
        self.db.correlated(CorrelationId::generate())
    }

    fn phone_keys(&self) -> PhoneKeys<'_> {
        PhoneKeys {
            seal: &self.keys.0,
            index: &self.keys.1,
        }
    }
}
