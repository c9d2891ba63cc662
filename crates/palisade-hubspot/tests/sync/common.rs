use std::sync::Arc;
use std::time::Duration;

use palisade_core::crm_sync::connection::{self, Kind, NewConnection, Tokens};
use palisade_crypto::{KeyId, Keyring};
use palisade_hubspot::{AppCredentials, HubspotConfig, HubspotMetrics, Syncer, Transport};
use palisade_testkit::{
    test_db, FakeHubspot, TestDb, Who, FAKE_HUBSPOT_CLIENT_ID, FAKE_HUBSPOT_CLIENT_SECRET,
};
use secrecy::SecretString;

pub const PORTAL: u64 = 4_200_001;

pub struct Setup {
    pub t: TestDb,
    pub fake: FakeHubspot,
    pub syncer: Syncer,
}

pub fn config(fake: &FakeHubspot) -> HubspotConfig {
    HubspotConfig {
        api_base_url: fake.base_url.clone(),
        authorize_url: fake.authorize_url(),
        app: Some(AppCredentials {
            client_id: FAKE_HUBSPOT_CLIENT_ID.into(),
            client_secret: SecretString::from(FAKE_HUBSPOT_CLIENT_SECRET.to_owned()),
            redirect_uri: "http://127.0.0.1:9/oauth/hubspot/callback".into(),
        }),
        requests_per_ten_seconds: 0,
        searches_per_second: 0,
        page_size: 100,
        request_timeout: Duration::from_secs(5),
        max_attempts: 4,
        backoff: Duration::from_millis(20),
        ..HubspotConfig::default()
    }
}

fn keyring(id: &str) -> Keyring {
    Keyring::parse(&Keyring::generate_text(&KeyId::parse(id).unwrap())).unwrap()
}

pub async fn setup_with(config: impl FnOnce(&FakeHubspot) -> HubspotConfig) -> Setup {
    let t = test_db().await;
    // The fixture's connections and queue are the policy matrix's.
    t.superuser()
        .await
        .batch_execute(
            "delete from app.crm_connections; delete from app.crm_sync_runs; delete from app.crm_sync_cursors; \
             delete from app.crm_outbox",
        )
        .await
        .unwrap();
    let fake = FakeHubspot::start().await;
    let transport = Transport::new(config(&fake), HubspotMetrics::default()).unwrap();
    let syncer = Syncer {
        transport: Arc::new(transport),
        keyring: Arc::new(keyring("k1")),
        index_keys: Arc::new(keyring("i1")),
    };
    Setup { t, fake, syncer }
}

pub async fn setup() -> Setup {
    setup_with(config).await
}

impl Setup {
    /// Tenant A's admin connects through OAuth (the code exchanged as the callback does).
    pub async fn connect(&self) {
        let code = self.fake.issue_code(PORTAL, &["crm.objects.contacts.read"]);
        let grant = self.syncer.transport.exchange_code(&code).await.unwrap();
        let info = self
            .syncer
            .transport
            .oauth_token_info(&grant.access_token)
            .await
            .unwrap();
        assert_eq!(info.hub_id, PORTAL);
        let tokens = Tokens {
            access: grant.access_token,
            refresh: grant.refresh_token,
        };
        self.save(Kind::Oauth, &tokens, grant.expires_at, info.hub_id)
            .await;
    }

    pub async fn save(
        &self,
        kind: Kind,
        tokens: &Tokens,
        expires: Option<chrono::DateTime<chrono::Utc>>,
        portal: u64,
    ) {
        let w = &self.t.world;
        let admin = w.principal(Who::AdminA).unwrap();
        let sealed = connection::seal(&self.syncer.keyring, w.tenant_a, tokens).unwrap();
        let mut tx = self.t.db.user(&admin).await.unwrap();
        let new = NewConnection {
            kind,
            portal_id: portal as i64,
            hub_domain: Some("portal.hubspot.test"),
            scopes: &["crm.objects.contacts.read".to_owned()],
            access_expires_at: expires,
        };
        connection::save(&mut tx, w.tenant_a, admin.user_id, &new, sealed)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    /// One run for tenant A, due or not (the lease's schedule is moved to now first).
    pub async fn run(&self) -> Result<bool, palisade_hubspot::SyncError> {
        let su = self.t.superuser().await;
        su.execute(
            "update app.crm_sync_runs set next_run_at = now(), lease_until = null where tenant_id = $1",
            &[self.t.world.tenant_a.as_uuid()],
        )
        .await
        .unwrap();
        palisade_hubspot::sync::worker::run_tenant(
            &self.syncer,
            &self.t.db,
            self.t.world.tenant_a,
            Duration::from_secs(120),
        )
        .await
    }

    /// Runs until a run reads nothing more (a backfill larger than one run's budget).
    pub async fn run_to_end(&self) {
        for _ in 0..50 {
            self.run().await.unwrap();
            if self.scalar("select count(*) from app.crm_sync_cursors where tenant_id = $1 and backfilled_at is null").await == 0
            {
                return;
            }
        }
        panic!("the sync never finished its pass");
    }

    /// A count of tenant A's rows, read past RLS.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let su = self.t.superuser().await;
        su.query_one(sql, &[self.t.world.tenant_a.as_uuid()])
            .await
            .unwrap()
            .get(0)
    }

    pub async fn text(&self, sql: &str) -> Option<String> {
        let su = self.t.superuser().await;
        su.query_opt(sql, &[self.t.world.tenant_a.as_uuid()])
            .await
            .unwrap()
            .and_then(|r| r.get(0))
    }
}
