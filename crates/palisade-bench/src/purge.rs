//! Scenario 13: purging a terminated tenant. Two identical tenants are planted with the admin
//! connection (not measured; audit triggers on, as deployed, and the sealer left to link their events):
//! leads, four notes and one deal per lead. A is `palisade tenant purge --slug … --yes`, the operator's
//! command doing what the `terminations` job does: batches of 2,000 rows in the system service context
//! under row-level security, then the tenant's audit chain up to an anchor. B is the superuser deleting
//! the same rows in the same order and the same batches of 2,000, each its own transaction, with plain
//! SQL: no row-level security, no definer function, no lock; the audit and rollup triggers fire for
//! each row as in A, and B leaves the trail, which A also deletes. Throughput is the tenant's rows
//! deleted per second; no goal was set for it: the ratio is what the purge's machinery costs.
//! (One plain `DELETE` per table in one transaction is far slower than either: each deleted note
//! updates the same rollup row again, and a row updated thousands of times in one transaction leaves a
//! version chain every next update walks.)
use std::path::Path;
use std::time::Instant;

use uuid::Uuid;

use crate::company_export::measured;
use crate::outcome::Outcome;
use crate::server::Server;
use crate::settle::settle;

pub const NAME: &str =
    "13. Purge a terminated tenant: leads, 4 notes and a deal each (operator, `tenant purge`)";

/// Whether this run includes scenario 13.
pub fn selected(only: Option<&str>) -> bool {
    only.is_none_or(|o| NAME.contains(o))
}

/// A tenant with `leads` leads, each with four notes and a deal; returns its rows.
async fn plant(admin: &tokio_postgres::Client, tenant: Uuid, slug: &str, leads: i64) -> anyhow::Result<f64> {
    let user = Uuid::now_v7();
    admin
        .batch_execute(&format!(
            "insert into app.tenants (id, slug, name) values ('{tenant}', '{slug}', 'Purge bench'); \
             insert into app.users (id, email) values ('{user}', '{user}@purge.bench'); \
             insert into app.memberships (tenant_id, user_id, role) values ('{tenant}', '{user}', 'admin'); \
             insert into app.leads (tenant_id, id, owner_id, name, email) \
               select '{tenant}', gen_random_uuid(), '{user}', 'Lead ' || g, 'lead' || g || '@purge.bench' \
               from generate_series(1, {leads}) g; \
             insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
               select l.tenant_id, gen_random_uuid(), l.id, l.owner_id, 'note', 'internal', 'Note ' || g \
               from app.leads l, generate_series(1, 4) g where l.tenant_id = '{tenant}'; \
             insert into app.deals (tenant_id, id, lead_id, owner_id, title, amount_cents) \
               select l.tenant_id, gen_random_uuid(), l.id, l.owner_id, 'Deal ' || l.name, 1000 \
               from app.leads l where l.tenant_id = '{tenant}';"
        ))
        .await?;
    // The tenant row, the person, the membership, and per lead: the lead, four notes, a deal.
    Ok(3.0 + leads as f64 * 6.0)
}

pub async fn run(server: &Server, palisade: &Path, leads: i64) -> anyhow::Result<(Outcome, String)> {
    let admin = palisade_db::connect::connect_once(&server.admin()).await?;
    let run = Uuid::now_v7().simple().to_string();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let slug_a = format!("purge-a-{}", &run[..12]);
    let rows = plant(&admin, a, &slug_a, leads).await?;
    plant(&admin, b, &format!("purge-b-{}", &run[..12]), leads).await?;
    admin
        .batch_execute("vacuum analyze app.leads, app.interactions, app.deals")
        .await?;
    settle(&admin).await?;

    let started = Instant::now();
    let out = std::process::Command::new(palisade)
        .args(["tenant", "purge", "--slug", &slug_a, "--yes", "--data-dir"])
        .arg(&server.data_dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()?;
    let a_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        out.status.success(),
        "tenant purge failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: i64 = admin
        .query_one("select count(*) from app.leads where tenant_id = $1", &[&a])
        .await?
        .get(0);
    anyhow::ensure!(left == 0, "the purge left {left} leads");
    settle(&admin).await?;

    let started = Instant::now();
    for table in ["app.interactions", "app.deals", "app.leads", "app.memberships"] {
        let batch = format!(
            "delete from {table} x where x.tenant_id = $1 and x.ctid = any (array(select y.ctid from {table} y \
             where y.tenant_id = $1 limit 2000))"
        );
        while admin.execute(&batch, &[&b]).await? > 0 {}
    }
    admin
        .execute("delete from app.tenants where id = $1", &[&b])
        .await?;
    let b_secs = started.elapsed().as_secs_f64();
    let check = format!(
        "Scenario 13: {rows:.0} rows per tenant; `tenant purge` {a_secs:.1} s ({:.0} rows/s, the audit trail \
         included), the superuser's plain DELETEs in the same batches {b_secs:.1} s ({:.0} rows/s): {:.2}.",
        rows / a_secs,
        rows / b_secs,
        b_secs / a_secs
    );
    let outcome = Outcome {
        name: NAME,
        a_label: "`palisade tenant purge` (batches under RLS, then the trail)",
        b_label: Some("superuser: plain DELETEs, same batches"),
        a: vec![measured(rows, a_secs)],
        b: vec![measured(rows, b_secs)],
        target_ratio: None,
        rss_mib: server.rss_mib(),
        audit: None,
        p50_goal_ms: None,
    };
    Ok((outcome, check))
}
