//! Privacy operations over HTTP, and a subject planted everywhere the product lets a person's name,
//! email and number go.
mod company_export;
mod erasure_steps;
mod erasures;
mod retention;
mod subject_exports;
mod termination;

use palisade_db::{TenantId, UserId};
use palisade_testkit::{TestApp, TwilioSender, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::client::Client;

pub(super) const NAME: &str = "Zebulon Quixotic-Farthingale";
pub(super) const EMAIL: &str = "Zebulon.Quixote@Erasure.example";
pub(super) const NUMBER: &str = "+14155550199";

/// Every way the subject may have been written down, searched for without regard to case. (Shorter
/// digit runs would turn up by chance in the hex of sealed values.)
pub(super) const TRACES: &[&str] = &[
    "zebulon",
    "quixotic",
    "farthingale",
    "zebulon.quixote@erasure.example",
    "+14155550199",
    "14155550199",
    "4155550199",
    "(415) 555-0199",
    "415-555-0199",
    "415 555 0199",
    "415.555.0199",
];

pub(super) fn traces_in(dump: &str) -> Vec<&'static str> {
    let lower = dump.to_lowercase();
    TRACES.iter().copied().filter(|t| lower.contains(t)).collect()
}

/// A plain-text dump of the whole database, as an operator would take a backup.
pub(crate) fn dump(app: &TestApp) -> String {
    let binaries = palisade_db::embedded::find_binaries(None, None).expect("PostgreSQL binaries");
    // The server's directory may hold links to a few tools only (/usr/local/bin): pg_dump sits next
    // to the real `postgres`.
    let postgres = std::fs::canonicalize(binaries.tool("postgres")).expect("postgres");
    let pg_dump = postgres.with_file_name("pg_dump");
    let c = &app.db.admin.config;
    let mut command = std::process::Command::new(pg_dump);
    command
        .arg("--no-owner")
        .arg(format!("--dbname={}", c.get_dbname().unwrap()));
    command.arg(format!("--username={}", c.get_user().unwrap()));
    if let Some(port) = c.get_ports().first() {
        command.arg(format!("--port={port}"));
    }
    match c.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => command.arg(format!("--host={host}")),
        Some(tokio_postgres::config::Host::Unix(dir)) => command.arg(format!("--host={}", dir.display())),
        None => &mut command,
    };
    if let Some(password) = c.get_password() {
        command.env("PGPASSWORD", String::from_utf8_lossy(password).as_ref());
    }
    let out = command.output().expect("pg_dump runs");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("a plain dump is text")
}

/// Links every audit event into its chain, as the `audit_seal` job does.
pub(crate) async fn seal_audit(app: &TestApp) {
    let jobs = palisade_jobs::Jobs::new(
        app.db.db.clone(),
        palisade_mail::Mailer::mailbox(std::env::temp_dir(), "Palisade <p@x.test>"),
    );
    while jobs.run_once(palisade_jobs::Job::AuditSeal).await.unwrap() > 0 {}
}

pub(super) fn rep(app: &TestApp) -> Client<'_> {
    Client::new(app, Some(Who::RepA1))
}

pub(super) fn admin(app: &TestApp) -> Client<'_> {
    Client::new(app, Some(Who::AdminA))
}

/// A lead of rep A1's with the subject's name, email and number (typed as a person would), and
/// everything the product records about such a lead: consent, a call note, a deal, a queued text,
/// an inbound text through Twilio, a draft, a coaching note, and a line in the rep's daily brief.
pub(super) async fn plant_subject(app: &TestApp) -> Uuid {
    let twilio = TwilioSender::new();
    twilio.connect(app, Who::AdminA).await;
    let lead: Value = rep(app)
        .post(
            "/api/v1/leads",
            json!({"name": NAME, "email": EMAIL, "phone": "(415) 555-0199", "source": "Zebulon's referral"}),
            StatusCode::CREATED,
        )
        .await;
    let lead: Uuid = lead["id"].as_str().unwrap().parse().unwrap();
    let consent = json!({"channel": "sms", "purpose": "marketing", "source": "form", "form_version": "web-3",
                         "consent_text": "Yes, text me about my quote."});
    let created = StatusCode::CREATED;
    rep(app)
        .post::<Value>(&format!("/api/v1/leads/{lead}/consents"), consent, created)
        .await;
    let note = format!("Called {NAME} on 415-555-0199; follow up at zebulon.quixote@erasure.example");
    let interaction = json!({"lead_id": lead, "channel": "call", "direction": "outbound", "body": note});
    rep(app)
        .post::<Value>("/api/v1/interactions", interaction, created)
        .await;
    let deal = json!({"lead_id": lead, "title": format!("Roof for {NAME}"), "product": "Quixotic roof",
                      "stage": "qualified", "amount_cents": 120_000});
    rep(app).post::<Value>("/api/v1/deals", deal, created).await;
    let text = json!({"lead_id": lead, "channel": "sms", "purpose": "marketing", "body": "Hi Zebulon, your quote is ready"});
    rep(app).post::<Value>("/api/v1/messages", text, created).await;
    let draft = json!({"lead_id": lead, "channel": "sms", "body": "Zebulon, shall we book the survey?"});
    rep(app).post::<Value>("/api/v1/me/drafts", draft, created).await;
    let coaching =
        json!({"lead_id": lead, "category": "rapport", "observation": "Zebulon warmed to the survey idea"});
    rep(app)
        .post::<Value>("/api/v1/me/coaching", coaching, created)
        .await;
    let tenant = *app.world().tenant_a.as_uuid();
    let inbound = format!("This is {NAME}, call me on 415.555.0199");
    let r = twilio
        .inbound_sms(app, tenant, "SM3f1c9a0b", NUMBER, &inbound)
        .await;
    assert_eq!(r.status(), 200);
    let w = app.world();
    plant_brief(app, w.tenant_a, w.rep_a1, NAME).await;
    lead
}

/// A daily brief of rep A1's that lists the subject's deal, as `messaging::brief` writes it. Planted
/// in SQL (a brief needs a verified member number, which is another test's subject), without
/// triggers, like a brief queued before the erasure.
pub(super) async fn plant_brief(app: &TestApp, tenant: TenantId, member: UserId, name: &str) {
    let body = format!(
        "Your brief for Fri 4 Dec: 2 open deals (2,400.00 USD).\n1. Roof for {name} ({name}): qualified, \
         1,200.00 USD\n2. Porch (Someone Else): new, 1,200.00 USD\nReply STOP to stop these briefs."
    );
    let su = app.db.superuser().await;
    su.batch_execute("set session_replication_role = replica")
        .await
        .unwrap();
    su.execute(
        "insert into app.outbound_messages (tenant_id, id, member_id, channel, purpose, body, brief_on) \
         values ($1, gen_random_uuid(), $2, 'whatsapp', 'brief', $3, current_date)",
        &[tenant.as_uuid(), member.as_uuid(), &body],
    )
    .await
    .unwrap();
}

/// The row count of a receipt's entry for `table` and `outcome` (`"absent"` when it has none).
pub(super) fn rows(receipt: &Value, table: &str, outcome: &str) -> Value {
    let tables = receipt["tables"].as_array().unwrap();
    let entry = tables
        .iter()
        .find(|t| t["table"] == table && t["outcome"] == outcome);
    entry
        .map(|t| t["rows"].clone())
        .unwrap_or(Value::String("absent".into()))
}
