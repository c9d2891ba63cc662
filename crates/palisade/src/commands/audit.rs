//! `palisade audit ...`: operator tools for the audit trail. They connect as the database admin
//! (the URL in DATABASE_URL, or the embedded cluster's superuser), because verifying every chain
//! means reading every tenant's events past row-level security.
use anyhow::bail;
use palisade_core::audit::verify;
use palisade_server::config::Config;

use crate::cli::AuditCommand;

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    super::as_database_admin(config, async |client| match command {
        AuditCommand::Verify { tenant } => verify_chains(client, tenant.as_deref()).await,
        AuditCommand::Retention { months } => retention(client, months).await,
    })
    .await
}

async fn verify_chains(client: &tokio_postgres::Client, tenant: Option<&str>) -> anyhow::Result<()> {
    let reports = verify::verify(client, tenant).await?;
    let mut broken = 0;
    let mut events = 0;
    let mut pending = 0;
    for report in &reports {
        events += report.checked;
        pending += report.pending;
        match &report.broken {
            None if report.pending > 0 => println!(
                "ok      {}: {} event(s), {} not yet linked by the sealer",
                report.label, report.checked, report.pending
            ),
            None => println!("ok      {}: {} event(s)", report.label, report.checked),
            Some((seq, why)) => {
                broken += 1;
                println!("BROKEN  {}: first broken link at seq {seq}: {why}", report.label);
            }
        }
    }
    println!(
        "{} chain(s), {events} event(s) checked, {pending} waiting to be linked, {broken} broken",
        reports.len()
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
        .try_get("retention_months")?;
    println!("audit retention: {months} month(s); partitions that ended before then are dropped daily");
    Ok(())
}
