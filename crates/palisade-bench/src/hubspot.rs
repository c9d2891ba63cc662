//! Scenario 16: the first backfill of a HubSpot portal. The fake HubSpot (in this process, limits
//! off) holds N contacts with names, addresses, numbers and lifecycle stages; the largest tenant's
//! admin connects it with a private app's token, and the server's `crm_sync` job reads every contact
//! into leads — search pages of 200, each mapped, its numbers sealed and indexed, its addresses
//! indexed, written in one statement per page under row-level security with the audit trigger, and
//! checkpointed. A is contacts per second from the connection to the last page committed; B is a
//! plain `COPY` of the same rows (id, names, address, number, stage) into a fresh table as the
//! superuser: no HTTP, no JSON, no sealing, no policies, no trail. The ratio is what all of that
//! costs.
use std::time::{Duration, Instant};

use palisade_auth::TokenKeys;
use palisade_db::{TenantId, UserId};
use palisade_testkit::FakeHubspot;

use crate::company_export::measured;
use crate::outcome::Outcome;
use crate::seed::World;
use crate::server::{Server, CRON_SECRET};

pub const NAME: &str =
    "16. HubSpot backfill: contacts into leads (fake HubSpot, limits off) vs COPY of the same rows";

const PORTAL: u64 = 9_160_001;

/// Whether this run includes scenario 16.
pub fn selected(only: Option<&str>) -> bool {
    only.is_none_or(|o| NAME.contains(o))
}

fn contact(i: usize) -> Vec<(String, String)> {
    let stages = ["lead", "marketingqualifiedlead", "salesqualifiedlead", "customer"];
    vec![
        ("firstname".into(), format!("Bench{i}")),
        ("lastname".into(), "Contact".into()),
        ("email".into(), format!("contact-{i}@hubspot.bench")),
        ("phone".into(), format!("+1415{:07}", 5_550_000 + i % 10_000)),
        ("lifecyclestage".into(), stages[i % stages.len()].into()),
    ]
}

/// The contacts as CSV, the way COPY takes them.
fn csv(fake: &FakeHubspot) -> String {
    let mut out = String::new();
    for (id, p) in fake.records("contacts") {
        let field = |k: &str| p.get(k).cloned().unwrap_or_default();
        out.push_str(&format!(
            "{id},{},{},{},{},{}\n",
            field("firstname"),
            field("lastname"),
            field("email"),
            field("phone"),
            field("lifecyclestage")
        ));
    }
    out
}

async fn copy_once(admin: &tokio_postgres::Client, data: &str) -> anyhow::Result<f64> {
    admin
        .batch_execute(
            "drop table if exists bench_hubspot_contacts; \
             create table bench_hubspot_contacts (hubspot_id bigint primary key, firstname text, lastname text, \
               email text, phone text, lifecyclestage text)",
        )
        .await?;
    let started = Instant::now();
    let sink = admin
        .copy_in("copy bench_hubspot_contacts from stdin with (format csv)")
        .await?;
    let mut sink = std::pin::pin!(sink);
    futures::SinkExt::send(&mut sink, bytes::Bytes::from(data.to_owned())).await?;
    let rows = sink.finish().await?;
    let elapsed = started.elapsed().as_secs_f64();
    admin.batch_execute("drop table bench_hubspot_contacts").await?;
    Ok(rows as f64 / elapsed)
}

pub async fn run(
    server: &Server,
    world: &World,
    keys: &TokenKeys,
    fake: &FakeHubspot,
    contacts: usize,
    rounds: usize,
) -> anyhow::Result<(Outcome, String)> {
    let admin = palisade_db::connect::connect_once(&server.admin()).await?;
    // A run of its own: the sync's place and the leads of an earlier run go first.
    for sql in [
        "delete from app.crm_sync_cursors where tenant_id = $1",
        "delete from app.crm_sync_runs where tenant_id = $1",
        "delete from app.leads where tenant_id = $1 and source = 'hubspot'",
    ] {
        admin.execute(sql, &[&world.tenant]).await?;
    }
    let before = fake.records("contacts").len();
    fake.add_many("contacts", contacts.saturating_sub(before), contact);
    let token = keys.mint(
        UserId::from_uuid(world.admin),
        Some(TenantId::from_uuid(world.tenant)),
        Duration::from_secs(3600),
    )?;
    let client = reqwest::Client::new();
    let started = Instant::now();
    client
        .put(format!("{}/api/v1/crm/hubspot/private-app", server.base))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "access_token": fake.private_app_token(PORTAL) }))
        .send()
        .await?
        .error_for_status()?;
    let done = "select count(*) from app.crm_sync_cursors where tenant_id = $1 and object = 'contacts' \
                and backfilled_at is not null";
    loop {
        client
            .post(format!("{}/internal/cron/crm_sync", server.base))
            .bearer_auth(CRON_SECRET)
            .send()
            .await?
            .error_for_status()?;
        let finished: i64 = admin.query_one(done, &[&world.tenant]).await?.get(0);
        if finished == 1 {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(3600),
            "the backfill took over an hour"
        );
    }
    let elapsed = started.elapsed().as_secs_f64();
    let written: i64 = admin
        .query_one(
            "select count(*) from app.leads where tenant_id = $1 and hubspot_id is not null and phone_sealed is not null",
            &[&world.tenant],
        )
        .await?
        .get(0);
    anyhow::ensure!(
        written as usize == contacts,
        "the backfill wrote {written} leads, not {contacts}"
    );
    let data = csv(fake);
    let mut b = Vec::new();
    for _ in 0..rounds.max(1) {
        let per_second = copy_once(&admin, &data).await?;
        b.push(measured(contacts as f64, contacts as f64 / per_second));
    }
    let a = measured(contacts as f64, elapsed);
    let check = format!(
        "Scenario 16: {contacts} contacts backfilled in {elapsed:.1} s ({:.0} a second), every one a lead with its \
         number sealed and indexed; COPY of the same rows {:.0} a second.",
        a.per_second,
        crate::outcome::median(b.iter().map(|m| m.per_second)),
    );
    let outcome = Outcome {
        name: NAME,
        a_label: "crm_sync job, from connecting to the last page",
        b_label: Some("COPY of the same rows (superuser)"),
        a: vec![a],
        b,
        target_ratio: None,
        rss_mib: server.rss_mib(),
        audit: None,
        p50_goal_ms: None,
    };
    Ok((outcome, check))
}
