//! `palisade tenant purge --slug SLUG --yes`: what the `terminations` job does once a termination's
//! grace period is over, now, for any tenant — terminating, active or suspended — with progress. Only
//! the database admin may skip a grace period, so the purge is started on a connection as the database
//! admin; the batches then run in the system service context, as the job's do.
use anyhow::{anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use palisade_core::privacy::termination;
use palisade_server::config::Config;

pub async fn run(config: &Config, slug: &str, yes: bool) -> anyhow::Result<()> {
    if !yes {
        bail!(
            "this deletes every row of tenant `{slug}` now, with no grace period and no undo \
             (export it first: `palisade export --tenant {slug} --out DIR`); run it again with --yes to confirm"
        );
    }
    super::with_database(config, async |database| {
        let admin = super::admin_connection(database).await?;
        let tenant = termination::begin_at_once(&admin, slug)
            .await?
            .ok_or_else(|| anyhow!("no tenant `{slug}` to purge (a purged tenant's slug is `purged-…`)"))?;
        drop(admin);
        let db = database.connect(&config.database).await?;
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} rows deleted ({msg})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let purged = termination::purge(&db, tenant, None, |table, rows| {
            bar.set_message(table.to_owned());
            bar.inc(u64::try_from(rows).unwrap_or(0));
        })
        .await?;
        bar.finish_and_clear();
        for (table, rows) in &purged.rows {
            println!("{table:32} {rows} deleted");
        }
        println!("tenant `{slug}` ({tenant}) purged; its suppressions and audit anchor are kept");
        Ok(())
    })
    .await
}
