//! Scenario 10: the first request of a tenant whose pages are not in shared buffers. The harness
//! restarts the server (and with it the embedded PostgreSQL, whose shared buffers start empty), warms
//! the pool and the plan caches on the benchmark's largest tenant, then asks each of the next-largest
//! tenants for its first page of leads once, one request at a time: every one of those reads its
//! tenant's pages into shared buffers (from the operating system's page cache; a disk read would add
//! the device's latency per page). The same requests again give the warm figures beside them.
use std::time::{Duration, Instant};

use palisade_auth::TokenKeys;
use palisade_db::{TenantId, UserId};
use uuid::Uuid;

use crate::load::{self, Measurement};
use crate::outcome::Outcome;
use crate::seed::World;
use crate::server::Server;

pub const NAME: &str = "10. Cold tenant: first GET /api/v1/leads?limit=50 after a restart (manager)";

/// The tenants after the largest, by members (reps are seeded in proportion to leads), with a manager.
const TENANTS_SQL: &str =
    "select m.tenant_id, min(m.user_id::text) filter (where m.role = 'manager') as manager \
     from app.memberships m where m.tenant_id <> $1 \
     group by m.tenant_id having count(*) filter (where m.role = 'manager') > 0 \
     order by count(*) desc, m.tenant_id limit $2";

pub async fn run(
    server: &Server,
    world: &World,
    keys: &TokenKeys,
    tenants: i64,
) -> anyhow::Result<(Outcome, String)> {
    let admin = palisade_db::connect::connect_once(&server.admin()).await?;
    let rows = admin.query(TENANTS_SQL, &[&world.tenant, &tenants]).await?;
    let mut targets = Vec::with_capacity(rows.len());
    for row in rows {
        let tenant: Uuid = row.try_get("tenant_id")?;
        let manager: String = row.try_get("manager")?;
        let manager = UserId::from_uuid(manager.parse()?);
        let token = keys.mint(
            manager,
            Some(TenantId::from_uuid(tenant)),
            Duration::from_secs(3600),
        )?;
        targets.push(token);
    }
    drop(admin);
    // Pool connections and plan caches warm on the largest tenant only.
    let warm_token = keys.mint(
        UserId::from_uuid(world.manager),
        Some(TenantId::from_uuid(world.tenant)),
        Duration::from_secs(3600),
    )?;
    let url = format!("{}/api/v1/leads?limit=50", server.base);
    let (u, t) = (url.clone(), warm_token);
    load::run(
        crate::server::POOL_SIZE,
        Duration::from_secs(2),
        std::sync::Arc::new(move |client, _| client.get(&u).bearer_auth(&t)),
    )
    .await?;
    let client = reqwest::Client::new();
    let cold = sequential(&client, &url, &targets).await?;
    let warm = sequential(&client, &url, &targets).await?;
    let outcome = Outcome {
        name: NAME,
        a_label: "API, each tenant's first request",
        b_label: None,
        a: vec![cold],
        b: Vec::new(),
        target_ratio: None,
        rss_mib: server.rss_mib(),
        audit: None,
        p50_goal_ms: None,
    };
    let check = format!(
        "Scenario 10: {} tenants (the largest after the benchmark's own), one request at a time; the same \
         requests again, warm: p50 {} ms, p99 {} ms.",
        targets.len(),
        fmt(warm.p50_ms),
        fmt(warm.p99_ms),
    );
    Ok((outcome, check))
}

fn fmt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into())
}

/// One GET per token, in order; each must succeed.
async fn sequential(client: &reqwest::Client, url: &str, tokens: &[String]) -> anyhow::Result<Measurement> {
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(tokens.len());
    for token in tokens {
        let sent = Instant::now();
        let response = client.get(url).bearer_auth(token).send().await?;
        let status = response.status();
        response.bytes().await?;
        anyhow::ensure!(status.is_success(), "a cold tenant's page answered {status}");
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(Measurement::sequential(
        latencies,
        started.elapsed().as_secs_f64(),
    ))
}

/// Whether this run includes scenario 10.
pub fn selected(only: Option<&str>) -> bool {
    only.is_none_or(|o| NAME.contains(o))
}
