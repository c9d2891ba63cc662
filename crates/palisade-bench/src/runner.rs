//! Runs the scenarios: warm-up, then alternating measured rounds of A and B from a settled database,
//! CPU per request from /proc, and the checks made after them.
use std::sync::Arc;
use std::time::Duration;

use palisade_auth::TokenKeys;
use palisade_db::{TenantId, UserId};
use uuid::Uuid;

use crate::audit::{AuditToggle, EventCount};
use crate::inbound;
use crate::load::{self, Measurement};
use crate::outcome::{succeeded, AuditRounds, Outcome, Side};
use crate::pgbench::Pgbench;
use crate::scenarios::scenarios;
use crate::seed::World;
use crate::server::{Server, DBNAME};
use crate::Args;

async fn measure(
    side: &Side,
    pg: &Pgbench,
    server_pid: u32,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Measurement> {
    let before = crate::cpu::snapshot(server_pid);
    let mut m = measure_side(side, pg, concurrency, duration).await?;
    m.cpu = crate::cpu::PerRequest::between(before, crate::cpu::snapshot(server_pid), m.count);
    Ok(m)
}

async fn measure_side(
    side: &Side,
    pg: &Pgbench,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Measurement> {
    match side {
        Side::Http { make, .. } => load::run(concurrency, duration, make.clone()).await,
        Side::Driver { work, .. } => {
            load::closed_loop(concurrency, duration, || {
                let work = work.clone();
                Ok(move |n| work(n))
            })
            .await
        }
        Side::Pgbench {
            user,
            scripts,
            vars,
            latencies,
            ..
        } => {
            let (user, scripts, vars, latencies) = (*user, scripts.clone(), vars.clone(), *latencies);
            let pg = Pgbench {
                bin: pg.bin.clone(),
                socket_dir: pg.socket_dir.clone(),
                dbname: pg.dbname.clone(),
                scripts_dir: pg.scripts_dir.clone(),
            };
            tokio::task::spawn_blocking(move || {
                pg.run(user, &scripts, &vars, concurrency, duration, latencies)
            })
            .await?
        }
    }
}

/// Measures one side of a round, from a settled database (see crate::settle). With `audit`, counts the `audit.events` rows the round wrote and,
/// if `trigger_off`, disables the trigger for exactly this measurement.
#[allow(
    clippy::too_many_arguments,
    reason = "one call site per side, all settings explicit"
)]
async fn measure_round(
    side: &Side,
    audit: Option<&AuditToggle>,
    trigger_off: bool,
    admin: &tokio_postgres::Client,
    pg: &Pgbench,
    server: &Server,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<(Measurement, Option<EventCount>)> {
    crate::settle::settle(admin).await?;
    let Some(toggle) = audit else {
        return Ok((
            measure(side, pg, server.pid(), concurrency, duration).await?,
            None,
        ));
    };
    let before = toggle.count(admin).await?;
    let round = measure(side, pg, server.pid(), concurrency, duration);
    let m = if trigger_off {
        toggle.off_during(admin, &server.admin(), round).await?
    } else {
        round.await?
    };
    let events = toggle.count(admin).await?.since(before);
    Ok((m, Some(events)))
}

/// The scenarios' outcomes and the checks made after them (lines for the report).
pub async fn run_all(
    args: &Args,
    server: &Server,
    world: &World,
    keys: &TokenKeys,
) -> anyhow::Result<(Vec<Outcome>, Vec<String>)> {
    let pg = Pgbench {
        bin: crate::pgbench::find_pgbench()?,
        socket_dir: server.socket_dir(),
        dbname: DBNAME.into(),
        scripts_dir: server.data_dir.join("pgbench-scripts"),
    };
    let admin = palisade_db::connect::connect_once(&server.admin()).await?;
    let tenant = TenantId::from_uuid(world.tenant);
    let token = |user: Uuid| keys.mint(UserId::from_uuid(user), Some(tenant), Duration::from_secs(3600));
    let texts = Arc::new(
        inbound::prepare(
            &server.base,
            world,
            &token(world.admin)?,
            &token(world.rep)?,
            &admin,
            // Enough for a warm-up and the rounds at 3,000 messages a second.
            (args.warmup + args.seconds * args.rounds as u64) * 3000,
        )
        .await?,
    );
    let driver = crate::driver::Driver::connect(server, crate::server::pool_size(args.concurrency)).await?;
    let mut all = scenarios(server, world, keys, &pg, &texts, &driver)?;
    if args.only.as_deref().is_none_or(|o| crate::web::NAME.contains(o)) {
        all.push(crate::web::scenario(server, world, &admin).await?);
    }
    if args
        .only
        .as_deref()
        .is_none_or(|o| crate::knowledge::NAME.contains(o))
    {
        all.push(crate::knowledge::scenario(server, world, keys, &admin, &pg).await?);
    }
    // Whatever runs, every audit trigger starts enabled, as deployed (see crate::audit).
    for toggle in all.iter().filter_map(|s| s.audit.as_ref()) {
        toggle.repair(&admin).await?;
    }
    let (conc, warm, secs) = (args.concurrency, args.warm(), args.measure());
    let mut outcomes = Vec::new();
    for scenario in all {
        if args.only.as_deref().is_some_and(|o| !scenario.name.contains(o)) {
            continue;
        }
        println!("{}", scenario.name);
        let audit = scenario.audit.as_ref();
        let conc = scenario.concurrency.unwrap_or(conc);
        if !warm.is_zero() {
            measure_round(&scenario.a, audit, false, &admin, &pg, server, conc, warm).await?;
            if let Some(b) = &scenario.b {
                measure_round(b, audit, true, &admin, &pg, server, conc, warm).await?;
            }
        }
        let mut outcome = Outcome {
            name: scenario.name,
            a_label: scenario.a.label(),
            b_label: scenario.b.as_ref().map(Side::label),
            a: Vec::new(),
            b: Vec::new(),
            target_ratio: scenario.target_ratio,
            rss_mib: 0.0,
            audit: scenario.audit.map(|toggle| AuditRounds {
                toggle,
                on: Vec::new(),
                off: Vec::new(),
            }),
            p50_goal_ms: None,
        };
        for round in 1..=args.rounds {
            let (a, events) =
                measure_round(&scenario.a, audit, false, &admin, &pg, server, conc, secs).await?;
            println!(
                "  round {round}: {:<28} {:>10.0}/s{}",
                scenario.a.label(),
                a.per_second,
                audit_note(&a, events)
            );
            if let (Some(rounds), Some(e)) = (&mut outcome.audit, events) {
                rounds.on.push(e);
            }
            outcome.a.push(a);
            outcome.rss_mib = outcome.rss_mib.max(server.rss_mib());
            if let Some(b) = &scenario.b {
                let (m, events) = measure_round(b, audit, true, &admin, &pg, server, conc, secs).await?;
                println!(
                    "  round {round}: {:<28} {:>10.0}/s{}",
                    b.label(),
                    m.per_second,
                    audit_note(&m, events)
                );
                if let (Some(rounds), Some(e)) = (&mut outcome.audit, events) {
                    rounds.off.push(e);
                }
                outcome.b.push(m);
            }
        }
        outcomes.push(outcome);
    }
    let mut checks = Vec::new();
    if outcomes.iter().any(|o| o.name.starts_with("8.")) {
        // Every replay was acknowledged; none may have been recorded again.
        let (events, interactions) = texts.replay_records(&admin, world).await?;
        let replays: f64 = outcomes
            .iter()
            .filter(|o| o.name.starts_with("8."))
            .flat_map(|o| o.a.iter().map(succeeded))
            .sum();
        checks.push(format!(
            "Scenario 8: the message was delivered once and then {replays:.0} more times through the API (each \
             acknowledged with 2xx), besides pgbench's replays; it is recorded {events} time(s) in \
             `app.webhook_events` and {interactions} time(s) as an interaction: {} duplicates.",
            (events - 1).max(0) + (interactions - 1).max(0)
        ));
        if replays < 1.0 {
            anyhow::bail!("no replay reached the server: the replay check proves nothing");
        }
        if (events, interactions) != (1, 1) {
            anyhow::bail!(
                "replays were recorded again: {events} provider events and {interactions} interactions for one message"
            );
        }
    }
    Ok((outcomes, checks))
}

/// Successful requests (HTTP 2xx with the body read) of a round.
fn audit_note(m: &Measurement, events: Option<EventCount>) -> String {
    match events {
        Some(e) => format!(
            "  ({:.0} inserts ok, {} failed; audit.events +{})",
            succeeded(m),
            m.errors,
            e.table
        ),
        None => String::new(),
    }
}
