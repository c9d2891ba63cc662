//! The HubSpot sync over HTTP, against the fake HubSpot: connecting (OAuth in an admin's browser, or
//! a private app's token), the job reading contacts in, marks and deals going out, HubSpot's events,
//! erasures both ways, and disconnecting.
mod connect;
mod events;

use palisade_testkit::{
    spawn_app_with, FakeHubspot, TestApp, Who, FAKE_HUBSPOT_CLIENT_ID, FAKE_HUBSPOT_CLIENT_SECRET,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::Client;

pub const CRON: &str = "cron-secret-0123456789abcdef0123456789";
pub const PORTAL: u64 = 7_700_001;

/// A server whose HubSpot is the fake (with the operator's app configured), and no fixture
/// connection (the policy matrix's).
pub async fn app_with_hubspot() -> (TestApp, FakeHubspot) {
    let fake = FakeHubspot::start().await;
    let (api, authorize) = (fake.base_url.clone(), fake.authorize_url());
    let app = spawn_app_with(move |c| {
        c.hubspot.api_base_url = api;
        c.hubspot.authorize_url = authorize;
        c.hubspot.client_id = Some(FAKE_HUBSPOT_CLIENT_ID.into());
        c.hubspot.client_secret = Some(FAKE_HUBSPOT_CLIENT_SECRET.to_owned().into());
        c.hubspot.backoff_ms = 10;
        c.hubspot.max_attempts = 2;
        c.cron_secret = Some(CRON.to_owned().into());
    })
    .await;
    let su = app.db.superuser().await;
    su.batch_execute("delete from app.crm_connections; delete from app.crm_sync_runs; delete from app.crm_outbox; delete from app.crm_sync_cursors")
        .await
        .unwrap();
    (app, fake)
}

/// Runs the `crm_sync` job once: how many tenants it synced.
pub async fn run_sync(app: &TestApp) -> u64 {
    let su = app.db.superuser().await;
    su.execute(
        "update app.crm_sync_runs set next_run_at = now(), lease_until = null",
        &[],
    )
    .await
    .unwrap();
    su.execute(
        "update app.crm_outbox set not_before = now() where status = 'pending'",
        &[],
    )
    .await
    .unwrap();
    let run: Value = Client::bearer(app, CRON)
        .post_empty("/internal/cron/crm_sync", StatusCode::OK)
        .await;
    run["done"].as_u64().unwrap()
}

/// Tenant A's admin connects a private app's token of the fake.
pub async fn connect_private_app(app: &TestApp, fake: &FakeHubspot) -> Value {
    let token = fake.private_app_token(PORTAL);
    Client::new(app, Some(Who::AdminA))
        .put(
            "/api/v1/crm/hubspot/private-app",
            json!({"access_token": token}),
            StatusCode::OK,
        )
        .await
}

/// The status admins read.
pub async fn status(app: &TestApp) -> Value {
    Client::new(app, Some(Who::AdminA))
        .get("/api/v1/crm/hubspot", StatusCode::OK)
        .await
}

/// A count over tenant A's rows, read past RLS.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let su = app.db.superuser().await;
    su.query_one(sql, &[app.world().tenant_a.as_uuid()])
        .await
        .unwrap()
        .get(0)
}
