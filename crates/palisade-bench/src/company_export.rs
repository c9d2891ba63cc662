//! Scenario 12: company export. The largest tenant's admin downloads its leads, deals and interactions
//! through the API (A), one table after another, in each format; B is PostgreSQL's own `COPY (…) TO
//! STDOUT` of the same columns and rows in the same format (JSON Lines by `row_to_json`), as the
//! superuser (no row-level security, no HTTP), drained by the same client machine. Throughput is rows per second; the goal is A ≥ 0.5 of B. The server's
//! resident memory is sampled every 20 ms while A streams, to show that it stays flat.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use palisade_auth::TokenKeys;
use palisade_db::{TenantId, UserId};

use crate::load::Measurement;
use crate::outcome::Outcome;
use crate::seed::World;
use crate::server::Server;

pub const NAMES: [&str; 2] = [
    "12a. Company export as JSON Lines: leads, deals, interactions (admin, largest tenant)",
    "12b. Company export as CSV: leads, deals, interactions (admin, largest tenant)",
];

const TABLES: [(&str, &str); 3] = [
    ("leads", "app.leads"),
    ("deals", "app.deals"),
    ("interactions", "app.interactions"),
];

/// Whether this run includes scenario 12.
pub fn selected(only: Option<&str>) -> bool {
    only.is_none_or(|o| NAMES.iter().any(|n| n.contains(o)))
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next());
    kb.and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Table {
    file: &'static str,
    source: &'static str,
    rows: f64,
    /// The exported columns that are columns of the table (a lead's `phone` is opened, not stored).
    columns: Vec<String>,
}

async fn tables(client: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<Vec<Table>> {
    let manifest: serde_json::Value = client
        .get(format!("{base}/api/v1/privacy/company-export"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut out = Vec::new();
    for (file, source) in TABLES {
        let entry = manifest["tables"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["table"] == file));
        let entry = entry.ok_or_else(|| anyhow::anyhow!("{file} is not in the manifest"))?;
        let columns = entry["columns"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str());
        out.push(Table {
            file,
            source,
            rows: entry["rows"].as_f64().unwrap_or(0.0),
            columns: columns.filter(|c| *c != "phone").map(str::to_owned).collect(),
        });
    }
    Ok(out)
}

/// Downloads every table once; the bytes received.
async fn through_api(client: &reqwest::Client, base: &str, token: &str, format: &str) -> anyhow::Result<u64> {
    let mut bytes = 0u64;
    for (file, _) in TABLES {
        let url = format!("{base}/api/v1/privacy/company-export/{file}?format={format}");
        let mut response = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?;
        while let Some(chunk) = response.chunk().await? {
            bytes += chunk.len() as u64;
        }
    }
    Ok(bytes)
}

/// The same rows in the same format with PostgreSQL's own COPY; the rows counted. JSON Lines are
/// PostgreSQL's `row_to_json` of the same columns (a lead's number, which only the server can open,
/// aside); CSV is COPY's own.
async fn through_copy(
    admin: &tokio_postgres::Client,
    tenant: uuid::Uuid,
    tables: &[Table],
    format: &str,
) -> anyhow::Result<f64> {
    let mut rows = 0u64;
    for table in tables {
        let columns: Vec<String> = table.columns.iter().map(|c| format!("t.\"{c}\"")).collect();
        let sql = match format {
            "jsonl" => format!(
                "copy (select row_to_json(r) from {} t cross join lateral (select {}) r where t.tenant_id = '{tenant}') \
                 to stdout with (format csv, delimiter E'\\x01', quote E'\\x02')",
                table.source,
                columns.join(", ")
            ),
            _ => format!(
                "copy (select {} from {} t where t.tenant_id = '{tenant}') to stdout with (format csv)",
                columns.join(", "),
                table.source
            ),
        };
        let mut stream = std::pin::pin!(admin.copy_out(sql.as_str()).await?);
        while let Some(data) = stream.next().await {
            data?;
            rows += 1;
        }
    }
    Ok(rows as f64)
}

/// Rows per second of one pass over `rows` that took `elapsed` seconds.
pub(crate) fn measured(rows: f64, elapsed: f64) -> Measurement {
    Measurement {
        per_second: rows / elapsed,
        p50_ms: None,
        p99_ms: None,
        mean_ms: elapsed * 1000.0,
        errors: 0,
        count: rows,
        cpu: Default::default(),
    }
}

pub async fn run(
    server: &Server,
    world: &World,
    keys: &TokenKeys,
    rounds: usize,
) -> anyhow::Result<(Vec<Outcome>, String)> {
    let token = keys.mint(
        UserId::from_uuid(world.admin),
        Some(TenantId::from_uuid(world.tenant)),
        Duration::from_secs(3600),
    )?;
    let client = reqwest::Client::new();
    let tables = tables(&client, &server.base, &token).await?;
    let rows: f64 = tables.iter().map(|t| t.rows).sum();
    let admin = palisade_db::connect::connect_once(&server.admin()).await?;
    let pid = server.pid();
    let (mut outcomes, mut lines) = (Vec::new(), Vec::new());
    for (name, format) in NAMES.into_iter().zip(["jsonl", "csv"]) {
        // Warm both sides once (the tables into shared buffers), then alternate.
        through_api(&client, &server.base, &token, format).await?;
        through_copy(&admin, world.tenant, &tables, format).await?;
        let baseline = rss_mib(pid);
        let (peak, sampling) = (
            Arc::new(std::sync::Mutex::new(baseline)),
            Arc::new(AtomicBool::new(true)),
        );
        let sampler = tokio::spawn({
            let (peak, sampling) = (peak.clone(), sampling.clone());
            async move {
                while sampling.load(Ordering::Relaxed) {
                    let now = rss_mib(pid);
                    if let Ok(mut p) = peak.lock() {
                        *p = p.max(now);
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        });
        let (mut a, mut b, mut streamed) = (Vec::new(), Vec::new(), 0u64);
        for _ in 0..rounds {
            let started = Instant::now();
            streamed = through_api(&client, &server.base, &token, format).await?;
            a.push(measured(rows, started.elapsed().as_secs_f64()));
            let started = Instant::now();
            let copied = through_copy(&admin, world.tenant, &tables, format).await?;
            b.push(measured(copied, started.elapsed().as_secs_f64()));
        }
        sampling.store(false, Ordering::Relaxed);
        sampler.await?;
        let peak = peak.lock().map(|p| *p).unwrap_or(baseline);
        lines.push(format!(
            "{format}: {rows:.0} rows ({:.1} MiB) per download; server RSS {baseline:.0} MiB before, {peak:.0} MiB at most while streaming",
            streamed as f64 / (1024.0 * 1024.0)
        ));
        let sides = (
            "API, admin (rows/s)",
            "COPY … TO STDOUT of the same, superuser (rows/s)",
        );
        outcomes.push(Outcome {
            name,
            a_label: sides.0,
            b_label: Some(sides.1),
            a,
            b,
            target_ratio: Some(0.5),
            rss_mib: peak,
            audit: None,
            p50_goal_ms: None,
        });
    }
    let names: Vec<String> = tables
        .iter()
        .map(|t| format!("{} {:.0}", t.file, t.rows))
        .collect();
    let check = format!("Scenario 12 ({}): {}.", names.join(", "), lines.join("; "));
    Ok((outcomes, check))
}
