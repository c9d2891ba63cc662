//! The scenarios. Each has an A side (usually the API) and optionally a B side (pgbench running the
//! identical SQL); adding one is adding an entry to `scenarios()`.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use palisade_auth::TokenKeys;
use palisade_core::crm::{interactions, leads};
use palisade_core::messaging::inbound as messages_in;
use palisade_db::{TenantId, UserId, MEMBERSHIP_CHECK, SET_CONTEXT};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{AuditToggle, EventCount};
use crate::inbound::{self, Inbound};
use crate::load::{self, MakeRequest, Measurement};
use crate::pgbench::{bind, transaction, transaction_then, Pgbench};
use crate::seed::World;
use crate::server::{Server, DBNAME};
use crate::Args;

pub enum Side {
    Http {
        label: &'static str,
        make: MakeRequest,
    },
    Pgbench {
        label: &'static str,
        user: &'static str,
        scripts: Vec<PathBuf>,
        vars: Vec<(String, String)>,
    },
}

impl Side {
    fn label(&self) -> &'static str {
        match self {
            Side::Http { label, .. } | Side::Pgbench { label, .. } => label,
        }
    }
}

pub struct Scenario {
    pub name: &'static str,
    pub a: Side,
    pub b: Option<Side>,
    /// What the ratio A/B is held to (None: latency-only scenario).
    pub target_ratio: Option<f64>,
    /// A runs with this audit trigger on (as deployed), B with it off (bench-only), and every measured
    /// round counts the `audit.events` rows it wrote.
    pub audit: Option<AuditToggle>,
}

/// `audit.events` rows written during each measured round of an audited-writes scenario.
pub struct AuditRounds {
    pub toggle: AuditToggle,
    /// A's rounds (trigger on), in order.
    pub on: Vec<EventCount>,
    /// B's rounds (trigger off), in order.
    pub off: Vec<EventCount>,
}

pub struct Outcome {
    pub name: &'static str,
    pub a_label: &'static str,
    pub b_label: Option<&'static str>,
    pub a: Vec<Measurement>,
    pub b: Vec<Measurement>,
    pub target_ratio: Option<f64>,
    pub rss_mib: f64,
    pub audit: Option<AuditRounds>,
}

pub fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.into_iter().collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    }
}

impl Outcome {
    pub fn a_rate(&self) -> f64 {
        median(self.a.iter().map(|m| m.per_second))
    }
    pub fn b_rate(&self) -> Option<f64> {
        self.b_label.map(|_| median(self.b.iter().map(|m| m.per_second)))
    }
    pub fn ratio(&self) -> Option<f64> {
        self.b_rate().filter(|b| *b > 0.0).map(|b| self.a_rate() / b)
    }
    pub fn p50(&self) -> Option<f64> {
        self.a
            .iter()
            .all(|m| m.p50_ms.is_some())
            .then(|| median(self.a.iter().filter_map(|m| m.p50_ms)))
    }
    pub fn p99(&self) -> Option<f64> {
        self.a
            .iter()
            .all(|m| m.p99_ms.is_some())
            .then(|| median(self.a.iter().filter_map(|m| m.p99_ms)))
    }
    pub fn b_mean_ms(&self) -> Option<f64> {
        self.b_label.map(|_| median(self.b.iter().map(|m| m.mean_ms)))
    }
    /// Median CPU µs per request of each round, split client/server/database.
    pub fn cpu(&self, b: bool) -> Option<crate::cpu::PerRequest> {
        let rounds = if b { &self.b } else { &self.a };
        (!rounds.is_empty()).then(|| crate::cpu::PerRequest {
            client_us: median(rounds.iter().map(|m| m.cpu.client_us)),
            server_us: median(rounds.iter().map(|m| m.cpu.server_us)),
            database_us: median(rounds.iter().map(|m| m.cpu.database_us)),
        })
    }

    pub fn errors(&self) -> u64 {
        self.a.iter().chain(&self.b).map(|m| m.errors).sum()
    }
}

/// Scenario 6's switch: the audit trigger of `app.interactions` (migration 0007).
pub const INTERACTIONS_AUDIT: AuditToggle = AuditToggle {
    table: "app.interactions",
    trigger: "interactions_audit",
    events_table: "interactions",
};

const CONTEXT_VARS: [&str; 4] = ["role", "uid", "tid", "cid"];

fn context_vars(user: Uuid, tenant: Uuid) -> Vec<(String, String)> {
    vec![
        ("role".into(), "app_user".into()),
        ("uid".into(), user.to_string()),
        ("tid".into(), tenant.to_string()),
        ("cid".into(), "bench".into()),
    ]
}

fn http(token: String, method: reqwest::Method, url: String, body: Option<serde_json::Value>) -> MakeRequest {
    Arc::new(move |client, _| {
        let mut req = client.request(method.clone(), &url).bearer_auth(&token);
        if let Some(b) = &body {
            req = req.json(b);
        }
        req
    })
}

pub fn scenarios(
    server: &Server,
    world: &World,
    keys: &TokenKeys,
    pg: &Pgbench,
    texts: &Arc<Inbound>,
) -> anyhow::Result<Vec<Scenario>> {
    let tenant = TenantId::from_uuid(world.tenant);
    let token = |user: Uuid| {
        keys.mint(
            UserId::from_uuid(user),
            Some(tenant),
            Duration::from_secs(6 * 3600),
        )
    };
    let rep_token = token(world.rep)?;
    let manager_token = token(world.manager)?;
    let base = server.base.clone();
    // pgbench cannot define an empty variable: the user context's empty purpose is a literal.
    let ctx = bind(&SET_CONTEXT.replace("$5", "''"), &CONTEXT_VARS);
    let lead_vars: Vec<(String, String)> = world
        .rep_leads
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("lead{i}"), id.to_string()))
        .collect();

    // 1. One lead by id, as its rep; requests rotate over the rep's first 16 leads, and so do the
    //    pgbench scripts (one per lead, picked at random).
    let leads_for_rotation = world.rep_leads.clone();
    let (tok, b) = (rep_token.clone(), base.clone());
    let s1_api: MakeRequest = Arc::new(move |client, n| {
        let id = leads_for_rotation[(n as usize) % leads_for_rotation.len()];
        client.get(format!("{b}/api/v1/leads/{id}")).bearer_auth(&tok)
    });
    let mut s1_scripts = Vec::new();
    for i in 0..world.rep_leads.len() {
        let statement = bind(&leads::get_sql(), &["tid", &format!("lead{i}")]);
        let script = transaction(&[ctx.clone(), MEMBERSHIP_CHECK.into(), statement]);
        s1_scripts.push(pg.write_script(&format!("lead_by_id_{i}"), &script)?);
    }
    let mut s1_vars = context_vars(world.rep, world.tenant);
    s1_vars.extend(lead_vars.clone());

    // 2./3. The first page of 50 leads, as a manager of the largest tenant.
    let page = bind(&leads::first_page_sql(), &["tid", "lim"]);
    let page_user = pg.write_script(
        "lead_page_user",
        &transaction(&[ctx.clone(), MEMBERSHIP_CHECK.into(), page.clone()]),
    )?;

    let mut page_vars = context_vars(world.manager, world.tenant);
    page_vars.push(("lim".into(), "51".into()));

    // 4. Log an interaction. pgbench cannot make a UUID parameter, so its id comes from
    //    gen_random_uuid(); everything else is the API's statement and parameters.
    let insert_sql = interactions::create_sql().replacen(", $2,", ", gen_random_uuid(),", 1);
    let mut s4_scripts = Vec::new();
    for i in 0..world.rep_leads.len() {
        let lead = format!("lead{i}");
        let statement = bind(
            &insert_sql,
            &["tid", "unused", &lead, "uid", "chan", "dir", "body", "occ", "adv"],
        );
        let script = transaction(&[ctx.clone(), MEMBERSHIP_CHECK.into(), statement]);
        s4_scripts.push(pg.write_script(&format!("interaction_insert_{i}"), &script)?);
    }
    let mut s4_vars = context_vars(world.rep, world.tenant);
    s4_vars.extend(lead_vars);
    s4_vars.extend([
        ("chan".into(), "call".into()),
        ("dir".into(), "outbound".into()),
        ("body".into(), "Bench interaction".into()),
        ("occ".into(), "2026-01-01T00:00:00Z".into()),
        ("adv".into(), "false".into()),
    ]);
    let leads_for_posts = world.rep_leads.clone();
    let (tok, b) = (rep_token.clone(), base.clone());
    let s4_api: MakeRequest = Arc::new(move |client, n| {
        let lead = leads_for_posts[(n as usize) % leads_for_posts.len()];
        client
            .post(format!("{b}/api/v1/interactions"))
            .bearer_auth(&tok)
            .json(&json!({"lead_id": lead, "channel": "call", "direction": "outbound", "body": "Bench interaction"}))
    });

    // 6. The same request with and without the audit trail: a note on one of the rep's leads, posted
    //    with the audit trigger on (A) and, for B's rounds only, disabled over the superuser connection.
    let leads_for_notes = world.rep_leads.clone();
    let (tok, b) = (rep_token.clone(), base.clone());
    let s6_api: MakeRequest = Arc::new(move |client, n| {
        let lead = leads_for_notes[(n as usize) % leads_for_notes.len()];
        client
            .post(format!("{b}/api/v1/interactions"))
            .bearer_auth(&tok)
            .json(&json!({"lead_id": lead, "channel": "note", "direction": "internal", "body": "Bench audited note"}))
    });

    // 7./8. Inbound texts, as the service context: the event recorded once, the sender found by
    //    blind index among leads and members, the lead's owner, the message on the lead. pgbench's
    //    event ids come from gen_random_uuid() (scenario 7) or are the replayed one (scenario 8).
    let service_ctx = bind(
        &SET_CONTEXT.replace("$2", "''"),
        &["srole", "unused", "tid", "cid", "purpose"],
    );
    let new_event = bind(
        &messages_in::RECORD_EVENT_SQL.replacen("$3", "'SMpg' || gen_random_uuid()", 1),
        &["tid", "provider", "unused", "kind"],
    );
    let insert_inbound = messages_in::INSERT_INBOUND_SQL.replacen(", $2,", ", gen_random_uuid(),", 1);
    let mut s7_scripts = Vec::new();
    for i in 0..world.inbound_leads.len() {
        let (idx, lead) = (format!("idx{i}"), format!("lead{i}"));
        let script = transaction_then(
            &[service_ctx.clone(), new_event.clone()],
            &[
                bind(messages_in::LEADS_BY_PHONE_SQL, &["tid", &idx]),
                bind(messages_in::MEMBERS_BY_PHONE_SQL, &["tid", &idx]),
                bind(messages_in::LEAD_OWNER_SQL, &["tid", &lead]),
                bind(&insert_inbound, &["tid", "unused", &lead, "uid", "chan", "ibody"]),
            ],
        );
        s7_scripts.push(pg.write_script(&format!("inbound_sms_{i}"), &script)?);
    }
    let mut s7_vars: Vec<(String, String)> = vec![
        ("srole".into(), "app_service".into()),
        ("tid".into(), world.tenant.to_string()),
        ("cid".into(), "bench".into()),
        ("purpose".into(), "webhook".into()),
        ("provider".into(), "twilio".into()),
        ("kind".into(), "inbound_message".into()),
        ("uid".into(), world.rep.to_string()),
        ("chan".into(), "sms".into()),
        ("ibody".into(), inbound::BODY.into()),
    ];
    for (i, (lead, index)) in world.inbound_leads.iter().zip(&texts.indexes).enumerate() {
        s7_vars.push((format!("lead{i}"), lead.to_string()));
        // A bytea[] of the one index (the API passes one per index key; the bench has one key).
        s7_vars.push((format!("idx{i}"), format!(r#"{{"\\x{index}"}}"#)));
    }
    let replay_event = bind(
        messages_in::RECORD_EVENT_SQL,
        &["tid", "provider", "replay", "kind"],
    );
    let s8_script = pg.write_script(
        "inbound_replay",
        &transaction(&[service_ctx.clone(), replay_event]),
    )?;
    let mut s8_vars = s7_vars.clone();
    s8_vars.push(("replay".into(), texts.replay_sid.clone()));

    Ok(vec![
        Scenario {
            name: "1. GET /api/v1/leads/{id} (rep)",
            a: Side::Http {
                label: "API",
                make: s1_api,
            },
            b: Some(Side::Pgbench {
                label: "pgbench, identical tx",
                user: "palisade_runtime",
                scripts: s1_scripts,
                vars: s1_vars,
            }),
            target_ratio: Some(0.9),
            audit: None,
        },
        Scenario {
            name: "2. GET /api/v1/leads?limit=50 (manager, largest tenant)",
            a: Side::Http {
                label: "API",
                make: http(
                    manager_token.clone(),
                    reqwest::Method::GET,
                    format!("{base}/api/v1/leads?limit=50"),
                    None,
                ),
            },
            b: Some(Side::Pgbench {
                label: "pgbench, identical tx",
                user: "palisade_runtime",
                scripts: vec![page_user.clone()],
                vars: page_vars.clone(),
            }),
            target_ratio: Some(0.9),
            audit: None,
        },
        Scenario {
            name: "3. RLS cost: page SQL in user context vs owner + tenant filter",
            a: Side::Pgbench {
                label: "pgbench, RLS (user ctx)",
                user: "palisade_runtime",
                scripts: vec![page_user.clone()],
                vars: page_vars.clone(),
            },
            // The identical transaction with the role switched to the superuser, which bypasses RLS:
            // the only difference left is policy evaluation (the explicit tenant_id filter stays).
            b: Some(Side::Pgbench {
                label: "pgbench, superuser (no RLS)",
                user: "postgres",
                scripts: vec![page_user],
                vars: page_vars
                    .into_iter()
                    .map(|(k, v)| {
                        if k == "role" {
                            (k, "postgres".to_owned())
                        } else {
                            (k, v)
                        }
                    })
                    .collect(),
            }),
            // RLS may cost at most 10%: throughput ratio >= 1 / 1.1.
            target_ratio: Some(1.0 / 1.1),
            audit: None,
        },
        Scenario {
            name: "4. POST /api/v1/interactions (rep)",
            a: Side::Http {
                label: "API",
                make: s4_api,
            },
            b: Some(Side::Pgbench {
                label: "pgbench, identical tx",
                user: "palisade_runtime",
                scripts: s4_scripts,
                vars: s4_vars,
            }),
            target_ratio: Some(0.8),
            audit: None,
        },
        Scenario {
            name: "5. GET /api/v1/dashboard (manager, largest tenant)",
            a: Side::Http {
                label: "API",
                make: http(
                    manager_token,
                    reqwest::Method::GET,
                    format!("{base}/api/v1/dashboard"),
                    None,
                ),
            },
            b: None,
            target_ratio: None,
            audit: None,
        },
        Scenario {
            name: "6. Audited writes: POST /api/v1/interactions, audit trigger on vs off (rep)",
            a: Side::Http {
                label: "API, audit on",
                make: s6_api.clone(),
            },
            b: Some(Side::Http {
                label: "API, audit off (bench-only)",
                make: s6_api,
            }),
            // Issue: "Target: audited writes ≥ 0.85 × unaudited".
            target_ratio: Some(0.85),
            audit: Some(INTERACTIONS_AUDIT),
        },
        Scenario {
            name: "7. Signed Twilio inbound SMS, a new message each time",
            a: Side::Http {
                label: "API (signed webhook)",
                make: texts.new_messages(),
            },
            b: Some(Side::Pgbench {
                label: "pgbench, identical tx",
                user: "palisade_runtime",
                scripts: s7_scripts,
                vars: s7_vars,
            }),
            // The goal set for signed inbound webhooks: at least 0.7 of pgbench.
            target_ratio: Some(0.7),
            audit: None,
        },
        Scenario {
            name: "8. The same signed Twilio message replayed",
            a: Side::Http {
                label: "API (signed webhook)",
                make: texts.replays(),
            },
            b: Some(Side::Pgbench {
                label: "pgbench, identical tx",
                user: "palisade_runtime",
                scripts: vec![s8_script],
                vars: s8_vars,
            }),
            target_ratio: None,
            audit: None,
        },
    ])
}

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
        Side::Pgbench {
            user, scripts, vars, ..
        } => {
            let (user, scripts, vars) = (*user, scripts.clone(), vars.clone());
            let pg = Pgbench {
                bin: pg.bin.clone(),
                socket_dir: pg.socket_dir.clone(),
                dbname: pg.dbname.clone(),
                scripts_dir: pg.scripts_dir.clone(),
            };
            tokio::task::spawn_blocking(move || pg.run(user, &scripts, &vars, concurrency, duration)).await?
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
        )
        .await?,
    );
    let all = scenarios(server, world, keys, &pg, &texts)?;
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
pub fn succeeded(m: &Measurement) -> f64 {
    m.count - m.errors as f64
}

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
