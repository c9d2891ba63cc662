//! The report: a table on stdout and BENCHMARKS.md with method, machine, commit and plans.
use std::fmt::Write;

use palisade_core::crm::leads;
use palisade_db::connect::{connect_once, Target};
use palisade_db::SET_CONTEXT;

use crate::audit::EventCount;
use crate::outcome::{succeeded, Outcome};
use crate::seed::{Sizes, World};
use crate::server::{Server, DBNAME};
use crate::Args;

pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub postgres: String,
    pub commit: String,
}

impl Machine {
    pub async fn describe(server: &Server) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
            .unwrap_or_else(|| "unknown CPU".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_gib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map(|kb| kb / 1024.0 / 1024.0)
            .unwrap_or(0.0);
        let postgres = match connect_once(&server.admin()).await {
            Ok(c) => c
                .query_one("show server_version", &[])
                .await
                .map(|r| r.get::<_, String>(0))
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args(args)
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_default()
        };
        let dirty = if git(&["status", "--porcelain", "--untracked-files=no"]).is_empty() {
            ""
        } else {
            " (with uncommitted changes)"
        };
        Self {
            cpu,
            cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            memory_gib,
            postgres,
            commit: format!("{}{dirty}", git(&["rev-parse", "--short", "HEAD"])),
        }
    }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}")).unwrap_or_else(|| "–".into())
}

pub fn table(results: &[Outcome]) -> String {
    let mut t = String::from(
        "| scenario | A | B | A req/s | B req/s | A/B | target | A p50 ms | A p99 ms | B mean ms | B p99 ms | server RSS MiB |\n\
         |---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|\n",
    );
    for r in results {
        let target = match (r.target_ratio, r.ratio()) {
            (Some(t), Some(ratio)) => format!("≥ {t:.2} {}", if ratio >= t { "met" } else { "**missed**" }),
            // A floor has no goal of its own: it bounds what the API can reach.
            (None, _) if r.a_label == crate::driver::LABEL => "– (a floor)".into(),
            (None, _) => match (r.p50_goal_ms, r.p50(), r.p99()) {
                (Some(goal), Some(p50), _) => {
                    format!(
                        "p50 < {goal:.0} ms {}",
                        if p50 < goal { "met" } else { "**missed**" }
                    )
                }
                (_, _, Some(p99)) => {
                    format!("p99 ≤ 50 ms {}", if p99 <= 50.0 { "met" } else { "**missed**" })
                }
                _ => "–".into(),
            },
            _ => "–".into(),
        };
        let _ = writeln!(
            t,
            "| {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {:.0} |",
            r.name,
            r.a_label,
            r.b_label.unwrap_or("–"),
            r.a_rate(),
            opt(r.b_rate(), 0),
            opt(r.ratio(), 2),
            target,
            opt(r.p50(), 2),
            opt(r.p99(), 2),
            opt(r.b_mean_ms(), 2),
            opt(r.b_p99(), 2),
            r.rss_mib,
        );
    }
    t.push_str(
        "\nCPU per request or transaction, in µs (client = load generator, server = Palisade, database = all \
         PostgreSQL processes):\n\n| scenario | side | client | server | database | total |\n|---|---|---:|---:|---:|---:|\n",
    );
    for r in results {
        for (label, cpu) in [(Some(r.a_label), r.cpu(false)), (r.b_label, r.cpu(true))] {
            // Scenario 10 sends one request at a time and measures no CPU.
            if let (Some(label), Some(c)) = (
                label,
                cpu.filter(|c| c.client_us + c.server_us + c.database_us > 0.0),
            ) {
                let _ = writeln!(
                    t,
                    "| {} | {label} | {:.0} | {:.0} | {:.0} | {:.0} |",
                    r.name,
                    c.client_us,
                    c.server_us,
                    c.database_us,
                    c.client_us + c.server_us + c.database_us
                );
            }
        }
    }
    audit_check(&mut t, results);
    let errors: u64 = results.iter().map(Outcome::errors).sum();
    if errors > 0 {
        let _ = writeln!(
            t,
            "\n**{errors} failed requests/transactions** — the figures above are not trustworthy."
        );
    }
    t
}

/// The audited-writes sanity check: what each measured round wrote to `audit.events`.
fn audit_check(t: &mut String, results: &[Outcome]) {
    let audited: Vec<_> = results
        .iter()
        .filter_map(|r| r.audit.as_ref().map(|a| (r, a)))
        .collect();
    if audited.is_empty() {
        return;
    }
    t.push_str(
        "\nAudit trail check: `audit.events` rows committed during each measured round (counted over the superuser \
         connection before and after it). With the trigger on, every successful insert must add exactly one event for \
         its table; with it off, none:\n\n\
         | scenario | round | trigger | inserts ok | failed | events (table) | events (all tables) | check |\n\
         |---|---:|---|---:|---:|---:|---:|---|\n",
    );
    for (r, a) in audited {
        let sides = [(true, &r.a, &a.on), (false, &r.b, &a.off)];
        for (on, rounds, events) in sides {
            let mut total = (0.0, 0, EventCount::default());
            for (i, (m, e)) in rounds.iter().zip(events.iter()).enumerate() {
                total.0 += succeeded(m);
                total.1 += m.errors;
                total.2.all += e.all;
                total.2.table += e.table;
                row(t, r.name, &(i + 1).to_string(), on, succeeded(m), m.errors, *e);
            }
            if rounds.len() > 1 {
                row(t, r.name, "all", on, total.0, total.1, total.2);
            }
        }
        let _ = writeln!(
            t,
            "\n(events of `{}` on `{}`; \"trigger off\" is bench-only: `ALTER TABLE {} DISABLE TRIGGER {}` for those rounds)",
            a.toggle.events_table, a.toggle.table, a.toggle.table, a.toggle.trigger
        );
    }
}

fn row(t: &mut String, name: &str, round: &str, on: bool, ok: f64, failed: u64, e: EventCount) {
    let _ = writeln!(
        t,
        "| {name} | {round} | {} | {ok:.0} | {failed} | {} | {} | {} |",
        if on { "on" } else { "off" },
        e.table,
        e.all,
        verdict(on, ok, failed, e)
    );
}

/// Whether a round's events match its inserts, and if not, how far off.
fn verdict(on: bool, ok: f64, failed: u64, e: EventCount) -> String {
    let others = e.all - e.table;
    let other_note = if others == 0 {
        String::new()
    } else {
        format!(", **{others} events of other tables**")
    };
    if !on {
        return if e.all == 0 {
            "none, as expected".into()
        } else {
            format!("**{} events with the trigger off**", e.all)
        };
    }
    let diff = e.table as f64 - ok;
    let what = if e.table == 0 {
        "**no events: the trigger did not run**".to_owned()
    } else if diff == 0.0 {
        "= inserts ok".to_owned()
    } else if diff > 0.0 && diff <= failed as f64 {
        // A request whose response was lost may still have committed.
        format!("{diff:.0} more than inserts ok (≤ failed requests, which may have committed)")
    } else {
        format!("**{diff:+.0} against inserts ok**")
    };
    format!("{what}{other_note}")
}

/// `EXPLAIN (ANALYZE, BUFFERS)` of the page query under RLS (user context) and as the superuser.
pub async fn plans(server: &Server, world: &World) -> anyhow::Result<(String, String)> {
    let sql = leads::first_page_sql()
        .replace("$1", &format!("'{}'", world.tenant))
        .replace("$2", "51");
    let explain = format!("explain (analyze, buffers) {sql}");
    let text = |rows: Vec<tokio_postgres::Row>| {
        rows.iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let runtime = Target::socket(server.socket_dir(), 5432, "palisade_runtime", DBNAME);
    let mut user = connect_once(&runtime).await?;
    let tx = user.transaction().await?;
    tx.execute(
        SET_CONTEXT,
        &[
            &"app_user",
            &world.manager.to_string(),
            &world.tenant.to_string(),
            &"bench",
            &"",
        ],
    )
    .await?;
    tx.batch_execute(&crate::pgbench::enter_without_session()).await?;
    let rls = text(tx.query(&explain, &[]).await?);
    tx.rollback().await?;
    let owner = text(connect_once(&server.admin()).await?.query(&explain, &[]).await?);
    Ok((rls, owner))
}

pub fn render(
    args: &Args,
    sizes: &Sizes,
    world: &World,
    machine: &Machine,
    results: &[Outcome],
    plans: &(String, String),
    checks: &[String],
) -> String {
    let mut md = String::new();
    let _ = write!(
        md,
        "# Benchmarks\n\n\
         Palisade's API measured against PostgreSQL running the identical SQL, on the same machine, in the same\n\
         run. Reproduce with:\n\n```sh\nbench/run            # full run (writes this file)\nbench/run --quick    # smoke run (target/bench-quick.md)\n```\n\n\
         ## Method\n\n\
         * `bench/run` builds release, starts `palisade serve` on its embedded PostgreSQL (unix socket), seeds the\n  \
           dataset with set-based SQL, and runs each scenario with {conc} concurrent clients: {warm} s warm-up per side,\n  \
           then {rounds} alternating rounds of A and B, {secs} s each. Figures are medians over rounds.\n\
         * **A (API)** is a closed-loop Rust HTTP client on loopback (one connection per client), running on the same\n  \
           cores as the server and the database. **B** is `pgbench -M prepared` with the same number of clients,\n  \
           running the statements the API runs (taken from the code, not copied) with the same round-trip shape:\n  \
           `BEGIN`, the context statement, `ctx.enter()` (which resolves the caller once for the transaction) and the\n  \
           statement in one pipeline, then `COMMIT`. The server's pool has {pool} connections (the default).\n\
         * Scenario 4's pgbench side takes the new row's id from `gen_random_uuid()` (pgbench cannot produce a\n  \
           UUID parameter); the API sends a UUIDv7 made in Rust.\n\
         * Scenarios 7 and 8 post inbound texts to `/webhooks/twilio/{{tenant}}/messages`, signed with the tenant's\n  \
           auth token as Twilio signs them (HMAC-SHA1 over the URL and the sorted form; scenario 7's before the\n  \
           clock), from the numbers of the rep's 16 leads. The server checks the signature (the opened account is\n  \
           reused for a minute), then runs BEGIN, the context and `inbound::RECEIVE_SQL` in one flight (the event\n  \
           recorded, the sender found by blind index, the message logged for the lead's owner), then COMMIT;\n  \
           pgbench runs the same statements in the same shape, the event id from `gen_random_uuid()`. Scenario 8\n  \
           sends one message again and again: the statement stops at the event it finds recorded; the run fails\n  \
           if the message was recorded twice (see Checks).\n\
         * Scenario 6 (audited writes) posts the same note through the API on both sides: A with the audit trail as\n  \
           deployed (the deferred constraint trigger `interactions_audit` writes a hash-chained `audit.events` row at\n  \
           commit, serialised per tenant on its chain head), B with that trigger disabled, a bench-only state: the\n  \
           harness runs `ALTER TABLE app.interactions DISABLE TRIGGER interactions_audit` as the superuser before\n  \
           each B round (and B's warm-up) and `ENABLE TRIGGER` after it, on errors too; a run also enables it on\n  \
           start in case an interrupted run left it off. The other scenarios run with the audit trail on\n  \
           (scenario 4 pays it on both sides). The `audit.events` rows of every round are counted (table below).\n\
         * Scenarios 1d, 2d and 7d run what the handlers of scenarios 1, 2 and 7 do to the database — the same\n  \
           domain functions on context transactions from palisade-db's pool of {pool}, rows decoded as the handlers\n  \
           decode them — from this process, with no HTTP, token or JSON, against the same pgbench transactions.\n  \
           What the API pays beyond them is its HTTP, authentication and JSON layers.\n\
         * Scenario 9 is scenario 2 with {queue} clients on each side: the API's requests queue for the pool's\n  \
           {pool} connections, while pgbench's clients each hold a connection of their own. Its B p99 comes from\n  \
           pgbench's per-transaction log (`-l`).\n\
         * Scenario 10 restarts the server, and with it the embedded PostgreSQL, so shared buffers start empty;\n  \
           warms the pool and plan caches for 2 s on the largest tenant; then sends each of the next-largest\n  \
           tenants' managers one request for their first page, one at a time, so each reads its tenant's pages\n  \
           into shared buffers (from the operating system's page cache). The same requests again give the warm\n  \
           figures (see Checks).\n\
         * Scenario 11 plants subjects in the largest tenant — a lead with a unique email and 1,000 interactions\n  \
           each, written by the superuser and vacuumed before the clock starts — then an admin erases each by email,\n  \
           one request at a time; every answer must be `201` (finished within the request: lead, interactions,\n  \
           audit redaction, suppression and receipt). Its goal is the issue's: a p50 under one second.\n\
         * Scenario 14 signs the rep in as a browser (the magic link from the server's development mailbox) and\n  \
           sends the same session cookie on both sides: A the web app's lead list (`/t/{{tenant}}/leads`, HTML, the\n  \
           workspace read for its header, numbers masked), B the API's first page of 50 leads (JSON, the tenant in\n  \
           `X-Palisade-Tenant`). Neither follows redirects: a page that sent the browser to sign-in would fail.\n\
         * Scenario 15 gives the largest tenant a knowledge base of 400 passages (200 entries written from a small\n  \
           vocabulary, so each question matches many) and searches it as the rep, rotating over four questions:\n  \
           A through `GET /api/v1/knowledge/search`, B the identical statement (`retrieval::SEARCH_SQL`) in the\n  \
           rep's user context. It is the database work every auto-reply does before it may ask the model.\n\
         * Absolute numbers on a shared 2-core machine are noise; the ratios are the result.\n\n",
        conc = args.concurrency,
        pool = crate::server::pool_size(args.concurrency),
        queue = crate::scenarios::QUEUEING_CLIENTS,
        warm = args.warmup,
        rounds = args.rounds,
        secs = args.seconds,
    );
    let _ = write!(
        md,
        "## Machine and dataset\n\n\
         * {cores} × {cpu}, {mem:.0} GiB RAM; PostgreSQL {pg}; commit `{commit}`{quick}\n\
         * {tenants} tenants (Zipf-sized), {leads} leads, {inter} interactions; largest tenant {tl} leads\n  \
           (requested: {st} tenants, {sl} leads, {si} interactions per lead)\n\n",
        cores = machine.cores,
        cpu = machine.cpu,
        mem = machine.memory_gib,
        pg = machine.postgres,
        commit = machine.commit,
        quick = if args.quick {
            " — **quick smoke run, not a measurement**"
        } else {
            ""
        },
        tenants = world.total_tenants,
        leads = world.total_leads,
        inter = world.total_interactions,
        tl = world.tenant_leads,
        st = sizes.tenants,
        sl = sizes.leads,
        si = sizes.interactions_per_lead,
    );
    md.push_str("## Results\n\n");
    md.push_str(&table(results));
    if !checks.is_empty() {
        md.push_str("\n## Checks\n\n");
        for check in checks {
            let _ = writeln!(md, "* {check}");
        }
    }
    if let Some(path) = &args.crypto {
        md.push_str(&crypto_table(&std::fs::read_to_string(path).unwrap_or_default()));
    }
    let _ = write!(
        md,
        "\n## Scenario 3 plans\n\nUnder RLS (manager's user context):\n\n```\n{}\n```\n\n\
         As the superuser with only the explicit `tenant_id` filter:\n\n```\n{}\n```\n",
        plans.0, plans.1
    );
    md
}

/// The criterion figures for the at-rest primitives, from `--output-format bencher` lines
/// (`test NAME ... bench: 1,234 ns/iter (+/- 56)`).
fn crypto_table(bencher: &str) -> String {
    let mut t = String::from(
        "\n## At-rest primitives (criterion, one core)\n\n\
         Sealing is AES-256-GCM with a fresh nonce and the row binding as associated data; a blind index is\n\
         HKDF-SHA256 (per tenant and column) then HMAC-SHA256.\n\n\
         | operation | ns per op | ± |\n|---|---:|---:|\n",
    );
    let mut rows = 0;
    for line in bencher.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, figures)) = rest.split_once(" ... bench:") else {
            continue;
        };
        let mut parts = figures.split_whitespace();
        let ns = parts.next().unwrap_or("?");
        let spread = figures
            .split_once("(+/- ")
            .map_or("?", |(_, s)| s.trim_end_matches(')'));
        let _ = writeln!(t, "| {} | {ns} | {spread} |", name.trim());
        rows += 1;
    }
    if rows == 0 {
        t.push_str("| (no figures: run through `bench/run`) | – | – |\n");
    }
    t
}
