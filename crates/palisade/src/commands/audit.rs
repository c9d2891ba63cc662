//! `palisade audit ...`: operator tools for the audit trail. They connect as the database admin
//! (the URL in DATABASE_URL, or the embedded cluster's superuser), because verifying every chain
//! means reading every tenant's events past row-level security.
use std::collections::BTreeMap;
use std::time::SystemTime;

use anyhow::{bail, Context};
use futures::TryStreamExt;
use palisade_core::audit::chain::{Hash, Link, Verifier};
use palisade_server::config::Config;
use palisade_server::Database;
use uuid::Uuid;

use crate::cli::AuditCommand;

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let database = Database::prepare(&config.database).await?;
    let result = async {
        if config.database.migrate_on_start {
            database.migrate(&config.database).await?;
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "operator command: reads or configures every tenant's audit trail as the database admin"
        )]
        let client = palisade_db::connect::connect_once(&database.admin).await?;
        match command {
            AuditCommand::Verify { tenant } => verify(&client, tenant.as_deref()).await,
            AuditCommand::Retention { months } => retention(&client, months).await,
        }
    }
    .await;
    database.close().await;
    result
}

const LINKS: &str = "select chain_id, seq, tenant_id, table_name, op, row_key, actor_user_id, actor_kind, \
     actor_role, purpose, correlation_id, lead_id, owner_id, private, occurred_at, before::text, after::text, \
     redacted_at is not null, content_hash, hash from audit.events";

fn link(row: &tokio_postgres::Row) -> anyhow::Result<Link> {
    let at: SystemTime = row.try_get(14)?;
    let micros = match at.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_micros())?,
        Err(e) => -i64::try_from(e.duration().as_micros())?,
    };
    Ok(Link {
        chain_id: row.try_get(0)?,
        seq: row.try_get(1)?,
        tenant_id: row.try_get(2)?,
        table_name: row.try_get(3)?,
        op: row.try_get(4)?,
        row_key: row.try_get(5)?,
        actor_user_id: row.try_get(6)?,
        actor_kind: row.try_get(7)?,
        actor_role: row.try_get(8)?,
        purpose: row.try_get(9)?,
        correlation_id: row.try_get(10)?,
        lead_id: row.try_get(11)?,
        owner_id: row.try_get(12)?,
        private: row.try_get(13)?,
        occurred_at_micros: micros,
        before: row.try_get(15)?,
        after: row.try_get(16)?,
        redacted: row.try_get(17)?,
        content_hash: row.try_get(18)?,
        hash: row.try_get(19)?,
    })
}

async fn pairs(client: &tokio_postgres::Client, sql: &str) -> anyhow::Result<BTreeMap<Uuid, (i64, Vec<u8>)>> {
    let rows = client.query(sql, &[]).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?))))
        .collect()
}

fn to_hash(bytes: &[u8]) -> anyhow::Result<Hash> {
    bytes.try_into().context("a stored hash is not 32 bytes")
}

async fn verify(client: &tokio_postgres::Client, tenant: Option<&str>) -> anyhow::Result<()> {
    let names: BTreeMap<Uuid, String> = client
        .query("select id, slug from app.tenants", &[])
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<anyhow::Result<_>>()?;
    let only = match tenant {
        None => None,
        Some(slug) => match names.iter().find(|(_, s)| s.as_str() == slug) {
            Some((id, _)) => Some(*id),
            None => bail!("no tenant with slug `{slug}`"),
        },
    };
    let heads = pairs(client, "select chain_id, seq, hash from audit.chain_heads").await?;
    let anchors = pairs(client, "select chain_id, seq, hash from audit.chain_anchors").await?;
    let label = |chain: &Uuid| match names.get(chain) {
        Some(slug) => format!("tenant {slug}"),
        None if chain.is_nil() => "platform".to_owned(),
        None => format!("chain {chain} (tenant deleted)"),
    };
    let new_verifier = |chain: &Uuid| -> anyhow::Result<Verifier> {
        Ok(Verifier::new(match anchors.get(chain) {
            Some((seq, hash)) => Some((*seq, to_hash(hash)?)),
            None => None,
        }))
    };

    let (sql, params): (String, Vec<Uuid>) = match only {
        Some(id) => (
            format!("{LINKS} where chain_id = $1 order by chain_id, seq"),
            vec![id],
        ),
        None => (format!("{LINKS} order by chain_id, seq"), vec![]),
    };
    let stream = client.query_raw(&sql, params.iter()).await?;
    futures::pin_mut!(stream);
    let mut results: BTreeMap<Uuid, palisade_core::audit::chain::Outcome> = BTreeMap::new();
    let mut current: Option<(Uuid, Verifier)> = None;
    while let Some(row) = stream.try_next().await? {
        let l = link(&row)?;
        if current.as_ref().is_none_or(|(c, _)| *c != l.chain_id) {
            if let Some((c, v)) = current.take() {
                results.insert(c, v.finish(heads.get(&c).cloned()));
            }
            current = Some((l.chain_id, new_verifier(&l.chain_id)?));
        }
        if let Some((_, v)) = current.as_mut() {
            v.push(&l);
        }
    }
    if let Some((c, v)) = current.take() {
        results.insert(c, v.finish(heads.get(&c).cloned()));
    }
    // Chains whose head exists but whose events are all gone.
    for (chain, head) in &heads {
        if only.is_some_and(|o| o != *chain) || results.contains_key(chain) {
            continue;
        }
        results.insert(*chain, new_verifier(chain)?.finish(Some(head.clone())));
    }

    let mut broken = 0;
    let mut events = 0;
    for (chain, outcome) in &results {
        events += outcome.checked;
        match &outcome.broken {
            None => println!("ok      {}: {} event(s)", label(chain), outcome.checked),
            Some((seq, why)) => {
                broken += 1;
                println!("BROKEN  {}: first broken link at seq {seq}: {why}", label(chain));
            }
        }
    }
    println!(
        "{} chain(s), {events} event(s) checked, {broken} broken",
        results.len()
    );
    if broken > 0 {
        bail!("{broken} audit chain(s) failed verification");
    }
    Ok(())
}

async fn retention(client: &tokio_postgres::Client, months: Option<u32>) -> anyhow::Result<()> {
    if let Some(months) = months {
        if !(1..=1200).contains(&months) {
            bail!("--months must be between 1 and 1200");
        }
        let months = i32::try_from(months)?;
        client
            .execute("update audit.settings set retention_months = $1", &[&months])
            .await?;
    }
    let months: i32 = client
        .query_one("select retention_months from audit.settings", &[])
        .await?
        .try_get(0)?;
    println!("audit retention: {months} month(s); partitions that ended before then are dropped daily");
    Ok(())
}
