//! Scenarios 7 and 8: inbound texts through Twilio's webhook, signed as Twilio signs them. The
//! benchmark connects a Twilio account to the largest tenant (through the API, as an admin would)
//! and gives the rep's leads numbers (through the API, so the server computes their blind
//! indexes); the pgbench side reads those indexes from the database.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::json;
use uuid::Uuid;

use crate::load::MakeRequest;
use crate::seed::World;

/// The tenant's Twilio number (the `To` of every inbound text).
const NUMBER: &str = "+15005550006";
pub const BODY: &str = "Bench inbound";

/// What the inbound scenarios need.
pub struct Inbound {
    auth_token: String,
    account_sid: String,
    /// The signed URL of the tenant's messaging webhook.
    url: String,
    /// One sender per rep lead, and the hex of that lead's stored phone index.
    pub senders: Vec<String>,
    pub indexes: Vec<String>,
    /// A message id delivered once before the replay scenario, then again and again, and its
    /// text (which names it, so a reused dataset's earlier runs do not count).
    pub replay_sid: String,
    replay_body: String,
    /// How many of scenario 7's messages to sign before the clock (beyond them, they are signed as
    /// they go).
    presigned: u64,
}

fn random_hex(n: usize) -> String {
    (0..n.div_ceil(32))
        .map(|_| Uuid::new_v4().simple().to_string())
        .collect::<String>()[..n]
        .to_owned()
}

async fn ok(response: reqwest::Response, what: &str) -> anyhow::Result<()> {
    let status = response.status();
    if !status.is_success() {
        bail!("{what}: {status} {}", response.text().await.unwrap_or_default());
    }
    Ok(())
}

/// Connects Twilio (a new auth token each run), numbers the rep's leads, and delivers the replay
/// scenario's message once.
pub async fn prepare(
    base: &str,
    world: &World,
    admin_token: &str,
    rep_token: &str,
    db: &tokio_postgres::Client,
    presigned: u64,
) -> anyhow::Result<Inbound> {
    let client = reqwest::Client::new();
    let auth_token = random_hex(32);
    let account_sid = format!("AC{}", "b".repeat(32));
    let r = client
        .put(format!("{base}/api/v1/integrations/twilio"))
        .bearer_auth(admin_token)
        .json(
            &json!({"config": {"account_sid": account_sid, "sms_number": NUMBER},
                      "secrets": {"auth_token": auth_token}}),
        )
        .send()
        .await?;
    ok(r, "connecting Twilio").await?;
    let mut senders = Vec::new();
    for (i, lead) in world.inbound_leads.iter().enumerate() {
        let number = format!("+141555501{i:02}");
        let r = client
            .patch(format!("{base}/api/v1/leads/{lead}"))
            .bearer_auth(rep_token)
            .json(&json!({ "phone": number }))
            .send()
            .await?;
        ok(r, "numbering a lead").await?;
        senders.push(number);
    }
    let mut indexes = Vec::new();
    for lead in &world.inbound_leads {
        let row = db
            .query_one(
                "select encode(phone_index, 'hex') from app.leads where id = $1",
                &[lead],
            )
            .await
            .context("reading a lead's phone index")?;
        indexes.push(row.get::<_, String>(0));
    }
    let replay_sid = format!("SMreplay{}", random_hex(24));
    let inbound = Inbound {
        auth_token,
        account_sid,
        url: format!("{base}/webhooks/twilio/{}/messages", world.tenant),
        senders,
        indexes,
        replay_body: format!("Bench replay {replay_sid}"),
        presigned,
        replay_sid,
    };
    let first = inbound.request(&client, &inbound.replay_sid, 0, &inbound.replay_body);
    ok(first.send().await?, "delivering the replayed message once").await?;
    Ok(inbound)
}

/// A signed text, ready to send: its signature and its form-encoded body.
struct Signed {
    signature: String,
    body: String,
}

impl Inbound {
    /// A text from lead `i`'s number, signed with the account's token.
    fn request(&self, client: &reqwest::Client, sid: &str, i: usize, body: &str) -> reqwest::RequestBuilder {
        let signed = self.sign(sid, i, body);
        self.send(client, &signed)
    }

    fn send(&self, client: &reqwest::Client, signed: &Signed) -> reqwest::RequestBuilder {
        client
            .post(&self.url)
            .header("x-twilio-signature", &signed.signature)
            .header("content-type", "application/x-www-form-urlencoded")
            .timeout(Duration::from_secs(30))
            .body(signed.body.clone())
    }

    /// Signs a text as Twilio would: the work of Twilio's machines, not of the system measured.
    fn sign(&self, sid: &str, i: usize, body: &str) -> Signed {
        let params: Vec<(String, String)> = [
            ("AccountSid", self.account_sid.as_str()),
            ("MessageSid", sid),
            ("SmsSid", sid),
            ("From", self.senders[i].as_str()),
            ("To", NUMBER),
            ("Body", body),
            ("NumMedia", "0"),
            ("ApiVersion", "2010-04-01"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let signature = palisade_webhooks::twilio::sign_form(self.auth_token.as_bytes(), &self.url, &params);
        // Pairs of strings always encode; were one ever refused, the empty body would fail the server's
        // signature check, and the run would report the errors.
        let body = serde_urlencoded::to_string(&params).unwrap_or_default();
        Signed { signature, body }
    }

    /// Scenario 7: a new message each time, rotating over the rep's leads. The messages are signed
    /// up front (Twilio signs on its own machines; pgbench's side pays nothing like it), so the load
    /// generator's CPU during the rounds is sending them.
    pub fn new_messages(self: &Arc<Self>) -> MakeRequest {
        let me = Arc::clone(self);
        // Unique across rounds and runs: a run prefix and a counter that never restarts.
        let prefix = random_hex(12);
        let sid = move |n: u64| format!("SM{prefix}{n:020}");
        let sender = |n: u64| (n as usize) % me.senders.len();
        let ready: Arc<Vec<Signed>> = Arc::new(
            (0..me.presigned)
                .map(|n| me.sign(&sid(n), sender(n), BODY))
                .collect(),
        );
        let seq = Arc::new(AtomicU64::new(0));
        let me = Arc::clone(self);
        Arc::new(move |client, _| {
            let n = seq.fetch_add(1, Ordering::Relaxed);
            match ready.get(n as usize) {
                Some(signed) => me.send(client, signed),
                None => me.request(client, &sid(n), (n as usize) % me.senders.len(), BODY),
            }
        })
    }

    /// Scenario 8: the same message again and again (each is a replay).
    pub fn replays(self: &Arc<Self>) -> MakeRequest {
        let me = Arc::clone(self);
        Arc::new(move |client, _| me.request(client, &me.replay_sid, 0, &me.replay_body))
    }

    /// After the replay scenario: how many times the replayed message was recorded, as a provider
    /// event and as an interaction (1 and 1 are right).
    pub async fn replay_records(
        &self,
        db: &tokio_postgres::Client,
        world: &World,
    ) -> anyhow::Result<(i64, i64)> {
        let row = db
            .query_one(
                "select (select count(*) from app.webhook_events where tenant_id = $1 and event_id = $2), \
                        (select count(*) from app.interactions where tenant_id = $1 and lead_id = $3 and body = $4)",
                &[&world.tenant, &self.replay_sid, &world.inbound_leads[0], &self.replay_body],
            )
            .await?;
        Ok((row.get(0), row.get(1)))
    }
}
