//! `palisade-bench`: starts Palisade on its embedded database, seeds a skewed multi-tenant dataset,
//! and measures each scenario's API side against pgbench running the identical SQL on the same
//! machine, alternating rounds, reporting medians and ratios. Run it through `bench/run`.
#![allow(
    clippy::disallowed_methods,
    reason = "the benchmark seeds and inspects with raw admin connections"
)]

mod audit;
mod cold;
mod company_export;
mod cpu;
mod driver;
mod erasure;
mod hubspot;
mod inbound;
mod knowledge;
mod load;
mod outcome;
mod pgbench;
mod purge;
mod report;
mod runner;
mod scenarios;
mod seed;
mod server;
mod settle;
mod web;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "palisade-bench",
    about = "Palisade API vs pgbench, identical SQL, one run"
)]
pub struct Args {
    /// Smoke run: small dataset, short scenarios, one round; writes target/bench-quick.md.
    #[arg(long)]
    pub quick: bool,
    /// The palisade binary to benchmark (bench/run passes the one it just built).
    #[arg(long)]
    pub palisade: PathBuf,
    /// Data directory of the benchmark's embedded database (kept between runs to reuse the seed).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    #[arg(long, default_value_t = 1000)]
    pub tenants: usize,
    #[arg(long, default_value_t = 1_000_000)]
    pub leads: usize,
    #[arg(long, default_value_t = 3)]
    pub interactions_per_lead: usize,
    /// Concurrent clients, for the API and for pgbench alike.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Seconds measured per round and side.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Warm-up seconds before each side's first round.
    #[arg(long, default_value_t = 3)]
    pub warmup: u64,
    /// Alternating A/B rounds per scenario (medians are reported).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Only scenarios whose name contains this.
    #[arg(long)]
    pub only: Option<String>,
    /// Where the report goes (default BENCHMARKS.md; target/bench-quick.md with --quick).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Criterion's `--output-format bencher` lines for the at-rest primitives (bench/run makes them).
    #[arg(long)]
    pub crypto: Option<PathBuf>,
}

impl Args {
    fn settle(&mut self) {
        if self.quick {
            self.tenants = self.tenants.min(20);
            self.leads = self.leads.min(5_000);
            self.seconds = self.seconds.min(2);
            self.warmup = self.warmup.min(1);
            self.rounds = 1;
        }
    }

    pub fn measure(&self) -> Duration {
        Duration::from_secs(self.seconds)
    }

    pub fn warm(&self) -> Duration {
        Duration::from_secs(self.warmup)
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    args.settle();
    if std::env::var_os("DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        anyhow::bail!(
            "the benchmark runs against its own embedded database; unset DATABASE_URL \
             (benchmarking an external server is not supported yet)"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let data_dir = args.data_dir.clone().unwrap_or_else(|| {
        PathBuf::from(if args.quick {
            "/tmp/palisade-bench-quick"
        } else {
            "/tmp/palisade-bench"
        })
    });
    let pool = server::pool_size(args.concurrency);
    // The server's HubSpot: a fake in this process, on this machine.
    let hubspot = palisade_testkit::FakeHubspot::start().await;
    let mut server = server::Server::start(&args.palisade, &data_dir, pool, &hubspot.base_url)
        .await
        .context("starting Palisade")?;
    let result = async {
        let sizes = seed::Sizes {
            tenants: args.tenants,
            leads: args.leads,
            interactions_per_lead: args.interactions_per_lead,
        };
        let world = seed::ensure(&server, &sizes).await.context("seeding")?;
        let keys = server.token_keys()?;
        let (mut results, mut checks) = runner::run_all(&args, &server, &world, &keys).await?;
        if cold::selected(args.only.as_deref()) {
            println!("{}", cold::NAME);
            // A restart empties shared buffers (see crate::cold).
            server.restart(&args.palisade, pool).await?;
            let tenants = if args.quick { 10 } else { 200 };
            let (outcome, check) = cold::run(&server, &world, &keys, tenants).await?;
            results.push(outcome);
            checks.push(check);
        }
        if erasure::selected(args.only.as_deref()) {
            println!("{}", erasure::NAME);
            let subjects = if args.quick { 3 } else { 20 };
            let (outcome, check) = erasure::run(&server, &world, &keys, subjects).await?;
            results.push(outcome);
            checks.push(check);
        }
        if company_export::selected(args.only.as_deref()) {
            println!("{}", company_export::NAMES.join(" / "));
            let (outcomes, check) = company_export::run(&server, &world, &keys, args.rounds).await?;
            results.extend(outcomes);
            checks.push(check);
        }
        if hubspot::selected(args.only.as_deref()) {
            println!("{}", hubspot::NAME);
            let contacts = if args.quick { 2_000 } else { 100_000 };
            let (outcome, check) =
                hubspot::run(&server, &world, &keys, &hubspot, contacts, args.rounds).await?;
            results.push(outcome);
            checks.push(check);
        }
        if purge::selected(args.only.as_deref()) {
            println!("{}", purge::NAME);
            let leads = if args.quick { 1_000 } else { 10_000 };
            let (outcome, check) = purge::run(&server, &args.palisade, leads).await?;
            results.push(outcome);
            checks.push(check);
        }
        let machine = report::Machine::describe(&server).await;
        let plans = report::plans(&server, &world)
            .await
            .context("explaining scenario 3")?;
        let text = report::render(&args, &sizes, &world, &machine, &results, &plans, &checks);
        for check in &checks {
            println!("{check}");
        }
        println!("{}", report::table(&results));
        let out = args.out.clone().unwrap_or_else(|| {
            PathBuf::from(if args.quick {
                "target/bench-quick.md"
            } else {
                "BENCHMARKS.md"
            })
        });
        // A hand-written analysis section survives regeneration.
        let previous = std::fs::read_to_string(&out).unwrap_or_default();
        let text = match previous.find("\n## Analysis") {
            Some(i) => format!("{text}{}", &previous[i..]),
            None => text,
        };
        std::fs::write(&out, text).with_context(|| format!("writing {}", out.display()))?;
        println!("report written to {}", out.display());
        Ok::<_, anyhow::Error>(())
    }
    .await;
    server.stop();
    result
}
