//! `palisade verify`: checks a live deployment against every promise that can be checked from
//! outside the code — its configuration, its keys, the database's catalog, the audit chains, and a
//! behavioural probe in a rolled-back transaction. Read-only: nothing is migrated, registered or
//! kept. Prints a table (or JSON) and fails when any promise is broken.
mod report;
mod settings;

use anyhow::bail;
use palisade_core::verify::{catalog, probe, Check};
use palisade_server::config::Config;
use palisade_server::Database;

pub async fn run(config: &Config, json: bool) -> anyhow::Result<()> {
    let database = Database::prepare(&config.database).await?;
    let result = async {
        let mut checks = settings::checks(config, &database.runtime, &database.admin);
        let mut client = super::admin_connection(&database).await?;
        #[expect(
            clippy::disallowed_methods,
            reason = "verify reads as the database admin: one read-only snapshot for the catalog and \
                      the chains, then the probe in a transaction that is always rolled back; the \
                      probe's attempts go through the request path's context statements"
        )]
        {
            // One snapshot: a sealer committing between the chains' reads cannot fake a break.
            let snapshot = client
                .build_transaction()
                .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await?;
            checks.push(migrations(&snapshot).await?);
            checks.extend(catalog::checks(&snapshot).await?);
            checks.push(keys(config, &snapshot).await?);
            checks.push(chains(&snapshot).await?);
            snapshot.rollback().await?;
            let mut tx = client.transaction().await?;
            let behaviour = probe::run(&mut tx).await;
            tx.rollback().await?;
            checks.push(behaviour?);
        }
        anyhow::Ok(checks)
    }
    .await;
    database.close().await;
    let checks = result?;
    report::print(&checks, json)?;
    let broken = checks.iter().filter(|c| !c.passed).count();
    if broken > 0 {
        bail!("{broken} promise(s) broken");
    }
    Ok(())
}

/// The database holds exactly this binary's migrations, unedited.
async fn migrations(client: &tokio_postgres::Transaction<'_>) -> anyhow::Result<Check> {
    let expected = palisade_db::migrate::embedded()?;
    let recorded = client
        .query(
            "select version, checksum from palisade_meta.schema_migrations order by version",
            &[],
        )
        .await?;
    let mut problems = Vec::new();
    for m in &expected {
        let found = recorded.iter().find(|r| r.get::<_, i32>("version") == m.version);
        match found {
            None => problems.push(format!("migration {} is not applied", m.version)),
            Some(r) if r.get::<_, String>("checksum") != m.checksum => {
                problems.push(format!("migration {} was edited after it was applied", m.version))
            }
            Some(_) => {}
        }
    }
    if recorded.len() > expected.len() {
        problems.push("the database has migrations this binary does not know".into());
    }
    Ok(Check::new(
        "schema",
        "the database holds exactly this release's migrations",
        problems,
    ))
}

/// Each configured key is the one the database has seen under its id (migration 0018).
async fn keys(config: &Config, client: &tokio_postgres::Transaction<'_>) -> anyhow::Result<Check> {
    let mut problems = Vec::new();
    let rings = [
        ("seal", palisade_server::startup::keyring(config)),
        ("index", palisade_server::startup::index_keyring(config)),
    ];
    for (ring, keys) in rings {
        let keys = match keys {
            Ok(keys) => keys,
            Err(e) => {
                problems.push(format!("the {ring} keyring is not usable: {e}"));
                continue;
            }
        };
        for (id, check) in keys.check_values() {
            let row = client
                .query_opt(
                    "select check_value from palisade_meta.key_checks where keyring = $1 and key_id = $2",
                    &[&ring, &id.as_str()],
                )
                .await?;
            match row {
                None => problems.push(format!(
                    "{ring} key {id} is not registered (no server has used it)"
                )),
                Some(r) if r.get::<_, Vec<u8>>(0) != check => problems.push(format!(
                    "{ring} key {id} differs from the key the database has seen"
                )),
                Some(_) => {}
            }
        }
    }
    Ok(Check::new(
        "keys",
        "the configured keys are the ones the database's sealed values were made with",
        problems,
    ))
}

/// Every audit hash chain recomputes, and the sealer keeps up (an event not yet linked is not yet
/// covered by its chain). Chains are named by id: a tenant's slug is the customer's name.
async fn chains(client: &tokio_postgres::Transaction<'_>) -> anyhow::Result<Check> {
    let reports = palisade_core::audit::verify::verify(client, None).await?;
    let mut problems: Vec<String> = reports
        .iter()
        .filter_map(|r| {
            r.broken
                .as_ref()
                .map(|(seq, why)| format!("chain {}: first broken link at seq {seq}: {why}", r.chain_id))
        })
        .collect();
    let stale: i64 = client
        .query_one(
            "select count(*) from audit.pending where occurred_at < now() - interval '15 minutes'",
            &[],
        )
        .await?
        .get(0);
    if stale > 0 {
        problems.push(format!(
            "{stale} event(s) older than 15 minutes are not linked into a chain (is the sealer running?)"
        ));
    }
    Ok(Check::new(
        "audit_chains",
        "every audit hash chain recomputes from its events",
        problems,
    ))
}
