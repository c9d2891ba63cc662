//! Email delivery events: Resend's (signed by Svix) and SendGrid's (ECDSA), each checked with the
//! tenant's own secret or key before anything acts; they move a message forward, and a bounce, a
//! complaint or an unsubscribe suppresses the address, so the next message to it is refused.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::client::Client;

const EMAIL: &str = "pat@example.test";

fn rep(app: &TestApp) -> Client<'_> {
    Client::new(app, Some(Who::RepA1))
}

/// A lead with an email address and consent to service email; returns it and a message to it that
/// the provider accepted as `provider_id`.
async fn sent_email(app: &TestApp, provider_id: &str) -> (Uuid, Uuid) {
    let lead: Value = rep(app)
        .post(
            "/api/v1/leads",
            json!({"name": "Pat", "email": EMAIL}),
            StatusCode::CREATED,
        )
        .await;
    let lead: Uuid = lead["id"].as_str().unwrap().parse().unwrap();
    let consent = json!({"channel": "email", "purpose": "service", "form_version": "web-3"});
    let path = format!("/api/v1/leads/{lead}/consents");
    rep(app).post::<Value>(&path, consent, StatusCode::CREATED).await;
    let queued = queue_email(app, lead, StatusCode::CREATED).await;
    let id: Uuid = queued["id"].as_str().unwrap().parse().unwrap();
    let su = app.db.superuser().await;
    su.execute(
        "update app.outbound_messages set status = 'sent', provider_message_id = $2 where id = $1",
        &[&id, &provider_id],
    )
    .await
    .unwrap();
    (lead, id)
}

/// Queues an email to `lead`: the message, or the refusal.
async fn queue_email(app: &TestApp, lead: Uuid, expect: StatusCode) -> Value {
    let body = json!({"lead_id": lead, "channel": "email", "purpose": "service", "subject": "Quote",
                      "body": "Attached."});
    rep(app).post("/api/v1/messages", body, expect).await
}

async fn status_of(app: &TestApp, id: Uuid) -> String {
    let message: Value = rep(app)
        .get(&format!("/api/v1/messages/{id}"), StatusCode::OK)
        .await;
    message["status"].as_str().unwrap().to_owned()
}

/// Connects an email provider for tenant A (as its admin).
async fn connect(app: &TestApp, provider: &str, body: Value) {
    let path = format!("/api/v1/integrations/{provider}");
    Client::new(app, Some(Who::AdminA))
        .put::<Value>(&path, body, StatusCode::OK)
        .await;
}

async fn post_resend(app: &TestApp, key: &[u8], id: &str, timestamp: i64, event: &Value, expect: StatusCode) {
    let body = serde_json::to_vec(event).unwrap();
    let signature = palisade_webhooks::svix::sign(key, id, timestamp, &body);
    let resend = Client::anonymous(app)
        .header("svix-id", id)
        .header("svix-timestamp", &timestamp.to_string())
        .header("svix-signature", &signature)
        .header("content-type", "application/json");
    let path = format!("/webhooks/resend/{}", app.world().tenant_a);
    resend.post_raw::<Value>(&path, body, expect).await;
}

#[tokio::test]
async fn resend_events_are_verified_applied_once_and_bounces_suppress() {
    let app = spawn_app().await;
    let key: Vec<u8> = (0..24).map(|_| rand::random::<u8>()).collect();
    let secret = format!("whsec_{}", STANDARD.encode(&key));
    let body = json!({"config": {"from_email": "quotes@agency.test"},
                      "secrets": {"api_key": "re_0123456789abcdef", "webhook_secret": secret}});
    connect(&app, "resend", body).await;
    let (lead, id) = sent_email(&app, "em_0001").await;
    let now = chrono::Utc::now().timestamp();
    let delivered = json!({"type": "email.delivered", "data": {"email_id": "em_0001", "to": [EMAIL]}});
    post_resend(&app, &key, "msg_1", now, &delivered, StatusCode::NO_CONTENT).await;
    assert_eq!(status_of(&app, id).await, "delivered");
    // A replay is acknowledged and recorded once.
    post_resend(&app, &key, "msg_1", now, &delivered, StatusCode::NO_CONTENT).await;
    let su = app.db.superuser().await;
    let recorded: i64 = su
        .query_one(
            "select count(*) from app.webhook_events where provider = 'resend' and event_id = 'msg_1'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(recorded, 1);

    // Refused: another key, a stale or future timestamp; nothing applied.
    let bounced = json!({"type": "email.bounced", "data": {"email_id": "em_0001", "to": [EMAIL]}});
    let other: Vec<u8> = vec![7; 24];
    post_resend(&app, &other, "msg_2", now, &bounced, StatusCode::FORBIDDEN).await;
    post_resend(&app, &key, "msg_3", now - 600, &bounced, StatusCode::FORBIDDEN).await;
    post_resend(&app, &key, "msg_4", now + 600, &bounced, StatusCode::FORBIDDEN).await;
    // No bounce was applied.
    queue_email(&app, lead, StatusCode::CREATED).await;

    // An event about a message this tenant did not send (a shared account) is ignored.
    let foreign = json!({"type": "email.complained", "data": {"email_id": "em_someone_else", "to": [EMAIL]}});
    post_resend(&app, &key, "msg_foreign", now, &foreign, StatusCode::NO_CONTENT).await;
    // Not suppressed by someone else's event.
    queue_email(&app, lead, StatusCode::CREATED).await;
    let status: String = su
        .query_one(
            "select status from app.webhook_events where event_id = 'msg_foreign'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(status, "ignored");

    // A real bounce suppresses the address (by blind index): the next message is refused.
    post_resend(&app, &key, "msg_5", now, &bounced, StatusCode::NO_CONTENT).await;
    let refused = queue_email(&app, lead, StatusCode::CONFLICT).await;
    assert_eq!(refused["error"]["details"]["reason"], "suppressed");
    // The suppression names the address by its blind index, never the address itself.
    let index = palisade_core::crm::leads::email_index(&app.index_keys, app.world().tenant_a, EMAIL);
    let by_index: i64 = su
        .query_one(
            "select count(*) from app.suppressions where channel = 'email' and address_index = $1",
            &[&index],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(by_index, 1);
    let plain: i64 = su
        .query_one(
            "select count(*) from app.suppressions where position(convert_to($1, 'UTF8') in address_index) > 0",
            &[&EMAIL],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(plain, 0);
}

/// A P-256 key pair made with ring: the SubjectPublicKeyInfo (base64, as SendGrid shows it) and a
/// signer of `timestamp + body` (base64 DER, as SendGrid sends it).
fn sendgrid_key() -> (String, impl Fn(&str, &[u8]) -> String) {
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    // The fixed DER header of a P-256 SubjectPublicKeyInfo (RFC 5480), then the uncompressed point.
    let mut spki = hex::decode("3059301306072a8648ce3d020106082a8648ce3d030107034200").unwrap();
    spki.extend_from_slice(pair.public_key().as_ref());
    let sign = move |timestamp: &str, body: &[u8]| {
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(body);
        STANDARD.encode(
            pair.sign(&ring::rand::SystemRandom::new(), &message)
                .unwrap()
                .as_ref(),
        )
    };
    (STANDARD.encode(spki), sign)
}

#[tokio::test]
async fn sendgrid_events_are_verified_and_complaints_suppress() {
    let app = spawn_app().await;
    let (public_key, sign) = sendgrid_key();
    let body = json!({"config": {"event_webhook_public_key": public_key, "from_email": "quotes@agency.test"},
                      "secrets": {"api_key": "SG.0123456789abcdefghij"}});
    connect(&app, "sendgrid", body).await;
    let (lead, id) = sent_email(&app, "abc123").await;
    let path = format!("/webhooks/sendgrid/{}", app.world().tenant_a);
    let post = async |events: &Value, signature: String, expect: StatusCode| {
        let body = serde_json::to_vec(events).unwrap();
        let sendgrid = Client::anonymous(&app)
            .header("x-twilio-email-event-webhook-timestamp", "1700000000")
            .header("x-twilio-email-event-webhook-signature", &signature);
        sendgrid.post_raw::<Value>(&path, body, expect).await;
    };
    let events = json!([
        {"email": EMAIL, "event": "delivered", "sg_event_id": "ev1", "sg_message_id": "abc123.filter0001.1.0"},
        {"email": EMAIL, "event": "open", "sg_event_id": "ev2", "sg_message_id": "abc123.filter0001.1.0"},
    ]);
    let body = serde_json::to_vec(&events).unwrap();
    // Signed for other bytes, or with another key: refused.
    post(&events, sign("1700000000", b"[]"), StatusCode::FORBIDDEN).await;
    let (_, other_sign) = sendgrid_key();
    post(&events, other_sign("1700000000", &body), StatusCode::FORBIDDEN).await;
    assert_eq!(status_of(&app, id).await, "sent");

    post(&events, sign("1700000000", &body), StatusCode::NO_CONTENT).await;
    assert_eq!(status_of(&app, id).await, "delivered");
    let complaint = json!([{"email": EMAIL, "event": "spamreport", "sg_event_id": "ev3", "sg_message_id": "abc123.filter"}]);
    let body = serde_json::to_vec(&complaint).unwrap();
    post(&complaint, sign("1700000000", &body), StatusCode::NO_CONTENT).await;
    let refused = queue_email(&app, lead, StatusCode::CONFLICT).await;
    assert_eq!(refused["error"]["details"]["reason"], "suppressed");
    // The complaint is in the lead's ledger too: marketing email is revoked, by the provider, with
    // the message as evidence.
    let ledger: Value = rep(&app)
        .get(&format!("/api/v1/leads/{lead}/consents"), StatusCode::OK)
        .await;
    let latest = &ledger["events"][0];
    assert_eq!(
        (
            latest["channel"].as_str(),
            latest["purpose"].as_str(),
            latest["action"].as_str(),
            latest["source"].as_str(),
            latest["provider_message_id"].as_str()
        ),
        (
            Some("email"),
            Some("marketing"),
            Some("revoke"),
            Some("provider"),
            Some("abc123")
        )
    );
    assert!(ledger["current"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["channel"] == "email" && c["purpose"] == "marketing" && c["state"] == "revoked"));
}
