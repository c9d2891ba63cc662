//! Scenario 11: erasing a subject. In the benchmark's largest tenant, each subject is a lead with a
//! unique email and 1,000 interactions (planted with the admin connection, not measured); the admin
//! then erases it by email, one request at a time, and each answer must be `201` (finished within the
//! request). The goal is a p50 under one second.
use std::time::{Duration, Instant};

use palisade_auth::TokenKeys;
use palisade_db::{TenantId, UserId};
use uuid::Uuid;

use crate::load::Measurement;
use crate::outcome::Outcome;
use crate::seed::World;
use crate::server::Server;

pub const NAME: &str = "11. Erase a subject with 1,000 interactions by email (admin, largest tenant)";

/// Interactions per erased subject.
const INTERACTIONS: i32 = 1_000;

const PLANT_SQL: &str = "
with lead as (
  insert into app.leads (tenant_id, id, owner_id, name, email)
  values ($1, $2, $3, 'Bench Subject', $4) returning tenant_id, id, owner_id)
insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body)
select lead.tenant_id, gen_random_uuid(), lead.id, lead.owner_id, 'call', 'outbound', 'Called the subject, try ' || g
from lead, generate_series(1, $5) g";

pub async fn run(
    server: &Server,
    world: &World,
    keys: &TokenKeys,
    subjects: usize,
) -> anyhow::Result<(Outcome, String)> {
    let admin = palisade_db::connect::connect_once(&server.admin()).await?;
    let run_id = Uuid::now_v7().simple().to_string();
    let mut emails = Vec::with_capacity(subjects);
    for n in 0..subjects {
        let email = format!("subject-{run_id}-{n}@erasure.bench");
        let params: [&(dyn palisade_db::ToSql + Sync); 5] =
            [&world.tenant, &Uuid::now_v7(), &world.rep, &email, &INTERACTIONS];
        admin.execute(PLANT_SQL, &params).await?;
        emails.push(email);
    }
    // The planted rows are settled before the clock starts, as a subject's history would be.
    admin
        .batch_execute("vacuum analyze app.leads, app.interactions")
        .await?;
    drop(admin);
    let token = keys.mint(
        UserId::from_uuid(world.admin),
        Some(TenantId::from_uuid(world.tenant)),
        Duration::from_secs(3600),
    )?;
    let url = format!("{}/api/v1/privacy/erasures", server.base);
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(emails.len());
    for email in &emails {
        let sent = Instant::now();
        let response = client
            .post(&url)
            .bearer_auth(&token)
            .json(&serde_json::json!({ "email": email }))
            .send()
            .await?;
        let status = response.status();
        response.bytes().await?;
        anyhow::ensure!(
            status.as_u16() == 201,
            "an erasure answered {status}, not 201 (finished)"
        );
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    let measurement = Measurement::sequential(latencies, started.elapsed().as_secs_f64());
    let check = format!(
        "Scenario 11: {} subjects of {INTERACTIONS} interactions each, erased one at a time: p50 {:.0} ms, \
         p99 {:.0} ms (goal: p50 under 1,000 ms).",
        emails.len(),
        measurement.p50_ms.unwrap_or(f64::NAN),
        measurement.p99_ms.unwrap_or(f64::NAN),
    );
    let outcome = Outcome {
        name: NAME,
        a_label: "API, one erasure at a time",
        b_label: None,
        a: vec![measurement],
        b: Vec::new(),
        target_ratio: None,
        rss_mib: server.rss_mib(),
        audit: None,
        p50_goal_ms: Some(1_000.0),
    };
    Ok((outcome, check))
}

/// Whether this run includes scenario 11.
pub fn selected(only: Option<&str>) -> bool {
    only.is_none_or(|o| NAME.contains(o))
}
