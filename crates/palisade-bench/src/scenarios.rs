//! The scenarios. Each has an A side (usually the API) and optionally a B side (pgbench running the
//! identical SQL); adding one is adding an entry to `scenarios()`.
use std::sync::Arc;
use std::time::Duration;

use palisade_auth::TokenKeys;
use palisade_core::crm::{interactions, leads};
use palisade_core::messaging::inbound as messages_in;
use palisade_db::{TenantId, UserId, SET_CONTEXT};
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditToggle;
use crate::driver::Driver;
use crate::inbound::{self, Inbound};
use crate::load::MakeRequest;
use crate::outcome::{Scenario, Side};
use crate::pgbench::{bind, transaction, Pgbench};
use crate::seed::World;
use crate::server::Server;

pub const INTERACTIONS_AUDIT: AuditToggle = AuditToggle {
    table: "app.interactions",
    trigger: "interactions_audit",
    events_table: "interactions",
};

/// Scenario 9's clients, against the server's pool of [`crate::server::POOL_SIZE`].
pub const QUEUEING_CLIENTS: usize = 64;

pub(crate) const CONTEXT_VARS: [&str; 4] = ["role", "uid", "tid", "cid"];

pub(crate) fn context_vars(user: Uuid, tenant: Uuid) -> Vec<(String, String)> {
    vec![
        ("role".into(), "app_user".into()),
        ("uid".into(), user.to_string()),
        ("tid".into(), tenant.to_string()),
        ("cid".into(), "bench".into()),
    ]
}

/// pgbench running the API's transaction verbatim, as the runtime login.
pub(crate) fn identical(scripts: Vec<std::path::PathBuf>, vars: Vec<(String, String)>) -> Side {
    Side::Pgbench {
        label: "pgbench, identical tx",
        user: "palisade_runtime",
        scripts,
        vars,
        latencies: false,
    }
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
    driver: &Driver,
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
    let health_base = base.clone();
    let manager_page = http(
        manager_token.clone(),
        reqwest::Method::GET,
        format!("{base}/api/v1/leads?limit=50"),
        None,
    );
    // pgbench cannot define an empty variable: the user context's empty purpose is a literal.
    let ctx = bind(&SET_CONTEXT.replace("$5", "''"), &CONTEXT_VARS);
    // Bearer tokens carry no session: the API resolves the caller with no session to check.
    let enter = crate::pgbench::enter_without_session();
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
        let script = transaction(&[ctx.clone(), enter.clone(), statement]);
        s1_scripts.push(pg.write_script(&format!("lead_by_id_{i}"), &script)?);
    }
    let mut s1_vars = context_vars(world.rep, world.tenant);
    s1_vars.extend(lead_vars.clone());

    // 2./3. The first page of 50 leads, as a manager of the largest tenant.
    let page = bind(&leads::first_page_sql(), &["tid", "lim"]);
    let page_user = pg.write_script(
        "lead_page_user",
        &transaction(&[ctx.clone(), enter.clone(), page.clone()]),
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
        let script = transaction(&[ctx.clone(), enter.clone(), statement]);
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

    // 7./8. Inbound texts, as the service context: in one statement the event recorded once, the
    //    sender found by blind index among leads and members, the message on the lead for its owner.
    //    pgbench's event ids come from gen_random_uuid() (scenario 7) or are the replayed one
    //    (scenario 8).
    let service_ctx = bind(
        &SET_CONTEXT.replace("$2", "''"),
        &["srole", "unused", "tid", "cid", "purpose"],
    );
    let receive = messages_in::RECEIVE_SQL
        .replacen("$3", "'SMpg' || gen_random_uuid()", 1)
        .replacen("$5::uuid", "gen_random_uuid()", 1);
    let queue_answer =
        palisade_core::ai::tasks::QUEUE_ANSWER_SQL.replacen("$4::uuid", "gen_random_uuid()", 1);
    let mut s7_scripts = Vec::new();
    for i in 0..world.inbound_leads.len() {
        let idx = format!("idx{i}");
        let statement = bind(
            &receive,
            &["tid", "provider", "unused", &idx, "unused", "chan", "ibody"],
        );
        // The server then asks whether the tenant answers texts automatically (it does not here).
        let lead = format!("lead{i}");
        let answer = bind(&queue_answer, &["tid", &lead, "chan", "unused"]);
        let script = transaction(&[service_ctx.clone(), enter.clone(), statement, answer]);
        s7_scripts.push(pg.write_script(&format!("inbound_sms_{i}"), &script)?);
    }
    let mut s7_vars: Vec<(String, String)> = vec![
        ("srole".into(), "app_service".into()),
        ("tid".into(), world.tenant.to_string()),
        ("cid".into(), "bench".into()),
        ("purpose".into(), "webhook".into()),
        ("provider".into(), "twilio".into()),
        ("chan".into(), "sms".into()),
        ("ibody".into(), inbound::BODY.into()),
    ];
    for (i, lead) in world.inbound_leads.iter().enumerate() {
        s7_vars.push((format!("lead{i}"), lead.to_string()));
    }
    for (i, index) in texts.indexes.iter().enumerate().take(world.inbound_leads.len()) {
        // A bytea[] of the one index (the API passes one per index key; the bench has one key).
        s7_vars.push((format!("idx{i}"), format!(r#"{{"\\x{index}"}}"#)));
    }
    // The replay runs the same statement, which stops at the event it finds recorded.
    let replay_event = bind(
        &messages_in::RECEIVE_SQL.replacen("$5::uuid", "gen_random_uuid()", 1),
        &["tid", "provider", "replay", "idx0", "unused", "chan", "ibody"],
    );
    let s8_script = pg.write_script(
        "inbound_replay",
        &transaction(&[service_ctx.clone(), enter.clone(), replay_event]),
    )?;
    let mut s8_vars = s7_vars.clone();
    s8_vars.push(("replay".into(), texts.replay_sid.clone()));

    Ok(vec![
        // 0. The floor: what HTTP alone costs the load generator and the server (no token, no database),
        //    the part of every API request pgbench has no equivalent for.
        Scenario::new(
            "0. Floor: GET /healthz (HTTP only: no token, no database)",
            Side::Http {
                label: "API",
                make: Arc::new(move |client, _| client.get(format!("{health_base}/healthz"))),
            },
            None,
            None,
        ),
        Scenario::new(
            "1. GET /api/v1/leads/{id} (rep)",
            Side::Http {
                label: "API",
                make: s1_api,
            },
            Some(identical(s1_scripts.clone(), s1_vars.clone())),
            Some(0.95),
        ),
        Scenario::new(
            "2. GET /api/v1/leads?limit=50 (manager, largest tenant)",
            Side::Http {
                label: "API",
                make: manager_page.clone(),
            },
            Some(identical(vec![page_user.clone()], page_vars.clone())),
            Some(0.9),
        ),
        // 1d./2d. The handlers' database work of scenarios 1 and 2 without HTTP (see crate::driver):
        //    what the driver and the transaction code cost beside pgbench, apart from the API's layers.
        Scenario::new(
            "1d. Scenario 1's database work alone: palisade-db, no HTTP (rep)",
            Side::Driver {
                label: crate::driver::LABEL,
                work: driver.lead_by_id(world.rep, world.tenant, world.rep_leads.clone()),
            },
            Some(identical(s1_scripts.clone(), s1_vars.clone())),
            None,
        ),
        Scenario::new(
            "2d. Scenario 2's database work alone: palisade-db, no HTTP (manager)",
            Side::Driver {
                label: crate::driver::LABEL,
                work: driver.first_page(world.manager, world.tenant, 50),
            },
            Some(identical(vec![page_user.clone()], page_vars.clone())),
            None,
        ),
        Scenario {
            name: "3. RLS cost: page SQL in user context vs owner + tenant filter",
            a: Side::Pgbench {
                label: "pgbench, RLS (user ctx)",
                user: "palisade_runtime",
                scripts: vec![page_user.clone()],
                vars: page_vars.clone(),
                latencies: false,
            },
            // The identical transaction with the role switched to the superuser, which bypasses RLS:
            // the only difference left is policy evaluation (the explicit tenant_id filter stays).
            b: Some(Side::Pgbench {
                label: "pgbench, superuser (no RLS)",
                user: "postgres",
                scripts: vec![page_user.clone()],
                vars: page_vars
                    .clone()
                    .into_iter()
                    .map(|(k, v)| {
                        if k == "role" {
                            (k, "postgres".to_owned())
                        } else {
                            (k, v)
                        }
                    })
                    .collect(),
                latencies: false,
            }),
            // Issue 17's goal: RLS costs at most 9% of the throughput.
            target_ratio: Some(0.91),
            audit: None,
            concurrency: None,
        },
        Scenario::new(
            "4. POST /api/v1/interactions (rep)",
            Side::Http {
                label: "API",
                make: s4_api,
            },
            Some(identical(s4_scripts, s4_vars)),
            Some(0.8),
        ),
        Scenario {
            name: "5. GET /api/v1/dashboard (manager, largest tenant)",
            a: Side::Http {
                label: "API",
                make: http(
                    manager_token.clone(),
                    reqwest::Method::GET,
                    format!("{base}/api/v1/dashboard"),
                    None,
                ),
            },
            b: None,
            target_ratio: None,
            audit: None,
            concurrency: None,
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
            concurrency: None,
        },
        Scenario {
            name: "7. Signed Twilio inbound SMS, a new message each time",
            a: Side::Http {
                label: "API (signed webhook)",
                make: texts.new_messages(),
            },
            b: Some(identical(s7_scripts.clone(), s7_vars.clone())),
            // Issue 17's goal for signed inbound webhooks: at least 0.8 of pgbench.
            target_ratio: Some(0.8),
            audit: None,
            concurrency: None,
        },
        // 7d. Scenario 7 after the signature check, from this process (see crate::driver).
        Scenario::new(
            "7d. Scenario 7's database work alone: palisade-db, no HTTP (service context)",
            Side::Driver {
                label: crate::driver::LABEL,
                work: driver.inbound_text(world.tenant, &texts.senders)?,
            },
            Some(identical(s7_scripts, s7_vars)),
            None,
        ),
        Scenario::new(
            "8. The same signed Twilio message replayed",
            Side::Http {
                label: "API (signed webhook)",
                make: texts.replays(),
            },
            Some(identical(vec![s8_script], s8_vars)),
            None,
        ),
        // 9. Scenario 2 with eight times the clients on the server's default pool of 16 connections:
        //    requests queue for a connection, pgbench's 64 clients each hold their own.
        Scenario {
            name: "9. Queueing: scenario 2 with 64 clients, pool of 16",
            a: Side::Http {
                label: "API, pool 16",
                make: manager_page.clone(),
            },
            b: Some(Side::Pgbench {
                label: "pgbench, 64 connections",
                user: "palisade_runtime",
                scripts: vec![page_user.clone()],
                vars: page_vars.clone(),
                latencies: true,
            }),
            target_ratio: Some(0.9),
            audit: None,
            concurrency: Some(QUEUEING_CLIENTS),
        },
    ])
}
