//! The delivery worker against a fake Twilio API on 127.0.0.1: it sends through the tenant's
//! account, checks consent again at send time (withdrawn meanwhile → blocked), retries 500s, 429s
//! and timeouts with growing delays, ends in `failed` with an error event, refuses for good on a
//! 4xx, and sends at most so many messages per tenant per run.
use std::time::Duration;

use palisade_jobs::delivery::{DeliverySettings, ProviderUrls};
use palisade_jobs::{Job, Jobs};
use palisade_testkit::{spawn_app, FakeTwilioApi, TestApp, TwilioReply, TwilioSender, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::client::Client;

const NUMBER: &str = "+14155550123";

struct Setup {
    app: TestApp,
    twilio: TwilioSender,
    api: FakeTwilioApi,
    lead: Uuid,
}

async fn setup() -> Setup {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let api = FakeTwilioApi::start().await;
    api.account(&twilio);
    let rep = Client::new(&app, Some(Who::RepA1));
    let lead: Value = rep
        .post(
            "/api/v1/leads",
            json!({"name": "Pat", "phone": NUMBER}),
            StatusCode::CREATED,
        )
        .await;
    let lead: Uuid = lead["id"].as_str().unwrap().parse().unwrap();
    for purpose in ["marketing", "service"] {
        let consent = json!({"channel": "sms", "purpose": purpose, "form_version": "web-3"});
        let path = format!("/api/v1/leads/{lead}/consents");
        rep.post::<Value>(&path, consent, StatusCode::CREATED).await;
    }
    // The fixture's own queued messages are not this test's.
    let su = app.db.superuser().await;
    su.execute("update app.outbound_messages set status = 'sent'", &[])
        .await
        .unwrap();
    Setup {
        app,
        twilio,
        api,
        lead,
    }
}

fn jobs(s: &Setup, adjust: impl FnOnce(&mut DeliverySettings)) -> Jobs {
    let mut settings =
        DeliverySettings::new(s.app.seal_keys.clone(), s.app.index_keys.clone(), s.app.url(""));
    settings.urls = ProviderUrls {
        twilio: s.api.base_url.clone(),
        ..ProviderUrls::default()
    };
    // Long enough for a loaded machine to answer locally, short of the hanging reply below.
    settings.timeout = Duration::from_millis(1500);
    adjust(&mut settings);
    Jobs::new(
        s.app.db.db.clone(),
        palisade_mail::Mailer::mailbox(s.app.mailbox.path().into(), "p@x.test"),
    )
    .with_delivery(settings)
    .unwrap()
}

fn rep(s: &Setup) -> Client<'_> {
    Client::new(&s.app, Some(Who::RepA1))
}

async fn queue(s: &Setup, purpose: &str, body: &str) -> Uuid {
    let body = json!({"lead_id": s.lead, "channel": "sms", "purpose": purpose, "body": body});
    let queued: Value = rep(s).post("/api/v1/messages", body, StatusCode::CREATED).await;
    queued["id"].as_str().unwrap().parse().unwrap()
}

async fn message(s: &Setup, id: Uuid) -> Value {
    rep(s)
        .get(&format!("/api/v1/messages/{id}"), StatusCode::OK)
        .await
}

/// Makes every queued message due now (instead of waiting out its backoff).
async fn due_now(s: &Setup) {
    let su = s.app.db.superuser().await;
    su.execute(
        "update app.outbound_messages set next_attempt_at = now() where status = 'queued'",
        &[],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn sends_through_the_tenant_account_and_blocks_what_lost_consent_meanwhile() {
    let s = setup().await;
    let jobs = jobs(&s, |_| {});
    let sent = queue(&s, "marketing", "Your quote is ready").await;
    let blocked = queue(&s, "service", "Your appointment is tomorrow").await;
    // The lead withdraws service messages after they were queued.
    let revoke = json!({"channel": "sms", "purpose": "service", "action": "revoke"});
    let path = format!("/api/v1/leads/{}/consents", s.lead);
    rep(&s).post::<Value>(&path, revoke, StatusCode::CREATED).await;

    assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 2);
    let texts = s.api.sent();
    assert_eq!(texts.len(), 1, "only the message with consent went out");
    assert_eq!(texts[0].to, NUMBER);
    assert_eq!(texts[0].from.as_deref(), Some(s.twilio.number.as_str()));
    assert_eq!(texts[0].body, "Your quote is ready");
    let tenant = s.app.world().tenant_a;
    assert_eq!(
        texts[0].status_callback.as_deref(),
        Some(s.app.url(&format!("/webhooks/twilio/{tenant}/status")).as_str())
    );
    let m = message(&s, sent).await;
    assert_eq!(
        (m["status"].as_str(), m["attempts"].as_i64()),
        (Some("sent"), Some(1))
    );
    let sid = m["provider_message_id"].as_str().unwrap().to_owned();
    assert!(sid.starts_with("SM"));
    let b = message(&s, blocked).await;
    assert_eq!(b["status"], "blocked");
    assert_eq!(b["last_error"], "consent_withdrawn: no_consent");

    // Twilio's callback, signed, moves it to delivered; nothing is sent twice.
    let r = s
        .twilio
        .post(
            &s.app,
            &format!("/webhooks/twilio/{tenant}/status"),
            &[("MessageSid", sid.as_str()), ("MessageStatus", "delivered")],
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(message(&s, sent).await["status"], "delivered");
    assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 0);
    assert_eq!(s.api.sent().len(), 1);
}

#[tokio::test]
async fn failures_are_retried_later_each_time_and_the_last_one_fails_with_an_error_event() {
    let s = setup().await;
    let jobs = jobs(&s, |d| {
        d.retry_base = Duration::from_secs(60);
        d.max_attempts = 4;
    });
    s.api.script(&[
        TwilioReply::Status(500),
        TwilioReply::Status(429),
        TwilioReply::Hang(Duration::from_secs(5)),
    ]);
    let id = queue(&s, "marketing", "Hello").await;
    let wait_after = async |s: &Setup| -> f64 {
        let m = message(s, id).await;
        let next: chrono::DateTime<chrono::Utc> = m["next_attempt_at"].as_str().unwrap().parse().unwrap();
        (next - chrono::Utc::now()).num_milliseconds() as f64 / 1000.0
    };
    for (attempt, error, base) in [
        (1, "provider_status_500", 60.0),
        (2, "provider_status_429", 120.0),
        (3, "provider_timeout", 240.0),
    ] {
        assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 1);
        let m = message(&s, id).await;
        assert_eq!(
            (m["status"].as_str(), m["attempts"].as_i64()),
            (Some("queued"), Some(attempt))
        );
        assert_eq!(m["last_error"], error);
        // Doubling delays, within the ±20% jitter.
        let wait = wait_after(&s).await;
        assert!(
            (base * 0.8 - 5.0..=base * 1.2).contains(&wait),
            "attempt {attempt}: {wait}"
        );
        // Not due yet: nothing happens.
        assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 0);
        due_now(&s).await;
    }
    assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 1);
    let m = message(&s, id).await;
    assert_eq!(
        (m["status"].as_str(), m["attempts"].as_i64()),
        (Some("sent"), Some(4))
    );
    assert_eq!(s.api.sent().len(), 1);

    // Out of attempts: failed, with an error event for the tenant.
    s.api.script(&[TwilioReply::Status(503); 4]);
    let doomed = queue(&s, "marketing", "Hello again").await;
    for _ in 0..4 {
        jobs.run_once(Job::Delivery).await.unwrap();
        due_now(&s).await;
    }
    let m = message(&s, doomed).await;
    assert_eq!(
        (m["status"].as_str(), m["attempts"].as_i64()),
        (Some("failed"), Some(4))
    );
    assert_eq!(m["last_error"], "provider_status_503");
    let su = s.app.db.superuser().await;
    let events: i64 = su
        .query_one(
            "select count(*) from app.error_events where code = 'message_failed' and surface = 'delivery' \
             and tenant_id = $1",
            &[s.app.world().tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(events, 1);

    // A refusal (4xx) is final at once.
    s.api.script(&[TwilioReply::Status(400)]);
    let refused = queue(&s, "marketing", "Bad").await;
    jobs.run_once(Job::Delivery).await.unwrap();
    let m = message(&s, refused).await;
    assert_eq!(
        (m["status"].as_str(), m["attempts"].as_i64()),
        (Some("failed"), Some(1))
    );
    assert_eq!(m["last_error"], "provider_status_400");
}

#[tokio::test]
async fn a_tenant_sends_at_most_its_rate_per_run() {
    let s = setup().await;
    let jobs = jobs(&s, |d| d.per_tenant_per_run = 2);
    for n in 0..5 {
        queue(&s, "marketing", &format!("Message {n}")).await;
    }
    assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 2);
    assert_eq!(s.api.sent().len(), 2);
    assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 2);
    assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 1);
    assert_eq!(s.api.sent().len(), 5);
}

#[tokio::test]
async fn the_worker_checks_suppression_from_the_address_itself() {
    let s = setup().await;
    let jobs = jobs(&s, |_| {});
    // The number said STOP, but the lead's stored index was changed (a writer with SQL access), so
    // the outbox guard, which compares stored indexes, lets the message be queued.
    let su = s.app.db.superuser().await;
    let tenant = s.app.world().tenant_a;
    let real = palisade_core::phone::index_of(&s.app.index_keys, tenant, NUMBER.as_bytes());
    su.execute(
        "insert into app.suppressions (tenant_id, channel, address_index, reason) values ($1, 'sms', $2, 'stop')",
        &[tenant.as_uuid(), &real],
    )
    .await
    .unwrap();
    // (Past the triggers too: as a new number, the change would also revoke the lead's consent.)
    su.batch_execute(&format!(
        "begin; set local session_replication_role = replica; \
         update app.leads set phone_index = convert_to(repeat('T', 40), 'UTF8') where id = '{}'; commit",
        s.lead
    ))
    .await
    .unwrap();
    let id = queue(&s, "marketing", "Sneaky").await;
    assert_eq!(jobs.run_once(Job::Delivery).await.unwrap(), 1);
    let m = message(&s, id).await;
    assert_eq!(m["status"], "blocked");
    assert_eq!(m["last_error"], "consent_withdrawn: suppressed");
    assert_eq!(s.api.requests(), 0, "nothing reached the provider");
}
