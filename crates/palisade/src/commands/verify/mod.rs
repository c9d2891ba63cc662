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
        checks.push(migrations(&client).await?);
        checks.extend(catalog::checks(&client).await?);
        checks.push(keys(config, &client).await?);
        checks.push(chains(&client).await?);
        #[expect(
            clippy::disallowed_methods,
            reason = "the probe writes its synthetic tenants as the database admin in a transaction that \
                      is always rolled back; its attempts go through the request path's context statements"
        )]
        let mut tx = client.transaction().await?;
        let behaviour = probe::run(&mut tx).await;
        tx.rollback().await?;
        checks.push(behaviour?);
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
async fn migrations(client: &tokio_postgres::Client) -> anyhow::Result<Check> {
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
async fn keys(config: &Config, client: &tokio_postgres::Client) -> anyhow::Result<Check> {
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

/// Every audit hash chain recomputes.
async fn chains(client: &tokio_postgres::Client) -> anyhow::Result<Check> {
    let reports = palisade_core::audit::verify::verify(client, None).await?;
    let problems = reports
        .iter()
        .filter_map(|r| {
            r.broken
                .as_ref()
                .map(|(seq, why)| format!("{}: first broken link at seq {seq}: {why}", r.label))
        })
        .collect();
    Ok(Check::new(
        "audit_chains",
        "every audit hash chain recomputes from its events",
        problems,
    ))
}
