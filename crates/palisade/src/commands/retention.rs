//! `palisade retention run [--dry-run] [--tenant SLUG]`: what the hourly `retention` job does, now, in
//! the same service contexts; with `--dry-run`, only counted.
use std::time::Duration;

use anyhow::bail;
use palisade_core::privacy::retention;
use palisade_server::config::Config;

/// No time limit from the command line: it runs until every tenant is done.
const NO_BUDGET: Duration = Duration::from_secs(u64::MAX / 4);

pub async fn run(config: &Config, dry_run: bool, slug: Option<&str>) -> anyhow::Result<()> {
    super::operator::with_db(config, async |db| {
        let tenants = retention::tenants(db).await?;
        let chosen: Vec<_> = tenants
            .iter()
            .filter(|(_, s)| slug.is_none_or(|want| want == s))
            .collect();
        if let (Some(slug), true) = (slug, chosen.is_empty()) {
            bail!("no active tenant `{slug}`");
        }
        let verb = if dry_run { "would be deleted" } else { "deleted" };
        let mut total = 0u64;
        for (tenant, slug) in chosen {
            let swept = retention::sweep(db, *tenant, dry_run, NO_BUDGET).await?;
            for (class, rows) in &swept.rows {
                println!("{slug:24} {:16} {rows} {verb}", class.as_str());
            }
            total += swept.total();
        }
        println!("{total} row(s) {verb} past retention");
        Ok(())
    })
    .await
}
