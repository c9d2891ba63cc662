//! `palisade export --tenant SLUG --out DIR`: every table of the company export written to DIR, from
//! one snapshot of the database, in the service context with purpose `company_export` (the same rows
//! an admin downloads). Each file is written under a `.partial` name and renamed when whole; a
//! `manifest.json` names every file with its row count, and the tables left out with the reason.
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use palisade_core::audit::access::{self, Access, AccessAction};
use palisade_core::phone::PhoneKeys;
use palisade_core::privacy::company_export::{self, Format, Opener, EXCLUDED, EXPORTED};
use palisade_db::{Db, Purpose, TenantId};
use palisade_server::config::Config;
use serde_json::json;
use tokio::io::AsyncWriteExt;

use super::keys::Keys;

pub async fn run(config: &Config, slug: &str, out: &Path, format: Format) -> anyhow::Result<()> {
    let keys = Keys::load(config)?;
    super::operator::with_db(config, async |db| {
        let tenant = find_tenant(db, slug).await?;
        prepare_dir(out)?;
        let mut tx = db.service(tenant, Purpose::CompanyExport).await?;
        access::log(&mut tx, Some(tenant), &logged(tenant, format)).await?;
        tx.commit().await?;
        let keys = PhoneKeys { seal: &keys.seal, index: &keys.index };
        let tables = export(db, tenant, out, format, Opener { keys, tenant }).await?;
        let manifest = json!({
            "tenant": { "id": tenant.to_string(), "slug": slug },
            "exported_at": chrono::Utc::now(),
            "format": format,
            "tables": tables,
            "excluded": EXCLUDED.iter().map(|(source, why)| json!({ "source": source, "why": why })).collect::<Vec<_>>(),
        });
        std::io::Write::write_all(&mut new_file(&out.join("manifest.json"))?, &serde_json::to_vec_pretty(&manifest)?)?;
        println!("{} table(s) written to {}", EXPORTED.len(), out.display());
        Ok(())
    })
    .await
}

fn logged(tenant: TenantId, format: Format) -> Access<'static> {
    Access {
        action: AccessAction::DataExport,
        target_type: Some("tenant"),
        target_id: Some(tenant.to_string()),
        detail: json!({ "scope": "company", "table": "all", "format": format, "by": "operator" }),
        client_ip: None,
    }
}

async fn find_tenant(db: &Db, slug: &str) -> anyhow::Result<TenantId> {
    let mut tx = db.system(Purpose::CompanyExport).await?;
    let row = tx
        .query_one("select app.tenant_for_export($1) as id", &[&slug])
        .await?;
    tx.commit().await?;
    let id: Option<uuid::Uuid> = row.try_get("id")?;
    id.map(TenantId::from_uuid)
        .ok_or_else(|| anyhow!("no tenant `{slug}`"))
}

fn file_of(out: &Path, file: &str, format: Format) -> PathBuf {
    out.join(format!("{file}.{}", format.extension()))
}

/// Creates DIR (readable by the operator alone: the files hold opened phone numbers and every email),
/// or takes an existing empty one; anything already in it, a link included, is refused.
fn prepare_dir(out: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(out)
            .with_context(|| format!("creating {}", out.display())),
        Err(e) => Err(e).with_context(|| format!("reading {}", out.display())),
        Ok(meta) if !meta.is_dir() => bail!("{} exists and is not a directory", out.display()),
        Ok(_) => {
            // Restricted first, so nothing can be slipped in between the check and the export.
            std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("restricting {}", out.display()))?;
            if std::fs::read_dir(out)?.next().is_some() {
                bail!(
                    "{} is not empty: export into a new or empty directory",
                    out.display()
                );
            }
            Ok(())
        }
    }
}

/// A new file, for the operator alone; never an existing one or a link.
fn new_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

fn progress(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg:20} [{bar:30}] {pos}/{len} rows ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

/// Every table in one read-only snapshot; returns the manifest's entries.
async fn export(
    db: &Db,
    tenant: TenantId,
    out: &Path,
    format: Format,
    opener: Opener<'_>,
) -> anyhow::Result<Vec<serde_json::Value>> {
    let mut tx = db.service(tenant, Purpose::CompanyExport).await?.snapshot()?;
    company_export::prepare(&mut tx, None).await?;
    let manifest = company_export::manifest(&mut tx).await?;
    let bar = progress(
        manifest
            .tables
            .iter()
            .map(|t| u64::try_from(t.rows).unwrap_or(0))
            .sum(),
    );
    let mut entries = Vec::new();
    for (table, listed) in EXPORTED.iter().zip(&manifest.tables) {
        bar.set_message(table.file);
        let plan = company_export::plan(&mut tx, table).await?;
        let path = file_of(out, table.file, format);
        let partial = path.with_extension(format!("{}.partial", format.extension()));
        let (mut chunks, received) = futures::channel::mpsc::channel(4);
        let (written, saved) = tokio::join!(
            async {
                let rows = company_export::write(&mut tx, &plan, format, opener, &mut chunks).await;
                drop(chunks);
                rows
            },
            save(received, &partial, &bar),
        );
        if written.is_err() || saved.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        // A failed write stops the reader first: its error is the one that says why.
        saved.with_context(|| format!("writing {}", partial.display()))?;
        let rows = written.map_err(|e| anyhow!("exporting {}: {e}", table.name))?;
        std::fs::rename(&partial, &path)?;
        entries.push(json!({
            "table": table.file, "source": table.name, "file": path.file_name().map(|n| n.to_string_lossy()),
            "rows": rows, "columns": listed.columns,
        }));
    }
    tx.commit().await?;
    bar.finish_with_message("done");
    Ok(entries)
}

/// Writes the chunks to `path`, advancing the bar by the lines they end (a CSV field may hold a line
/// break, so for CSV the bar is close, not exact).
async fn save(
    mut received: futures::channel::mpsc::Receiver<std::io::Result<bytes::Bytes>>,
    path: &Path,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    let mut file = tokio::fs::File::from_std(new_file(path)?);
    while let Some(chunk) = received.next().await {
        let chunk = chunk?;
        file.write_all(&chunk).await?;
        let lines = chunk.iter().filter(|b| **b == b'\n').count();
        bar.inc(u64::try_from(lines).unwrap_or(0));
    }
    file.sync_all().await?;
    Ok(())
}
