//! Email delivery events: Resend's (signed by Svix) and SendGrid's (ECDSA), each checked with the
//! tenant's own secret or key before anything acts; they move a message forward, and a bounce, a
//! complaint or an unsubscribe suppresses the address, so the next message to it is refused.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::send;

const EMAIL: &str = "pat@example.test";

/// A lead with an email address and consent to service email; returns it and a message to it that
/// the provider accepted as `provider_id`.
async fn sent_email(app: &TestApp, provider_id: &str) -> (Uuid, Uuid) {
    let r = send(
        app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "Pat", "email": EMAIL})),
    )
    .await;
    let lead: Uuid = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let r = send(
        app,
        Some(Who::RepA1),
        Method::POST,
        &format!("/api/v1/leads/{lead}/consents"),
        Some(json!({"channel": "email", "purpose": "service", "form_version": "web-3"})),
    )
    .await;
    assert_eq!(r.status(), 201);
    let id = queue_email(app, lead).await.unwrap();
    let su = app.db.superuser().await;
    su.execute(
        "update app.outbound_messages set status = 'sent', provider_message_id = $2 where id = $1",
        &[&id, &provider_id],
    )
    .await
    .unwrap();
    (lead, id)
}

async fn queue_email(app: &TestApp, lead: Uuid) -> Result<Uuid, Value> {
    let r = send(
        app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/messages",
        Some(json!({"lead_id": lead, "channel": "email", "purpose": "service", "subject": "Quote", "body": "Attached."})),
    )
    .await;
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    if status == 201 {
        Ok(body["id"].as_str().unwrap().parse().unwrap())
    } else {
        Err(body)
    }
}

async fn status_of(app: &TestApp, id: Uuid) -> String {
    let r = send(
        app,
        Some(Who::RepA1),
        Method::GET,
        &format!("/api/v1/messages/{id}"),
        None,
    )
    .await;
    r.json::<Value>().await.unwrap()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn post_resend(app: &TestApp, key: &[u8], id: &str, timestamp: i64, event: &Value) -> u16 {
    let body = serde_json::to_vec(event).unwrap();
    let signature = palisade_webhooks::svix::sign(key, id, timestamp, &body);
    app.client
        .post(app.url(&format!("/webhooks/resend/{}", app.world().tenant_a)))
        .header("svix-id", id)
        .header("svix-timestamp", timestamp.to_string())
        .header("svix-signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn resend_events_are_verified_applied_once_and_bounces_suppress() {
    let app = spawn_app().await;
    let key: Vec<u8> = (0..24).map(|_| rand::random::<u8>()).collect();
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::PUT,
        "/api/v1/integrations/resend",
        Some(json!({"config": {"from_email": "quotes@agency.test"},
                    "secrets": {"api_key": "re_0123456789abcdef", "webhook_secret": format!("whsec_{}", STANDARD.encode(&key))}})),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (lead, id) = sent_email(&app, "em_0001").await;
    let now = chrono::Utc::now().timestamp();
    let delivered = json!({"type": "email.delivered", "data": {"email_id": "em_0001", "to": [EMAIL]}});
    assert_eq!(post_resend(&app, &key, "msg_1", now, &delivered).await, 204);
    assert_eq!(status_of(&app, id).await, "delivered");
    // A replay is acknowledged and recorded once.
    assert_eq!(post_resend(&app, &key, "msg_1", now, &delivered).await, 204);
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
    assert_eq!(post_resend(&app, &other, "msg_2", now, &bounced).await, 403);
    assert_eq!(post_resend(&app, &key, "msg_3", now - 600, &bounced).await, 403);
    assert_eq!(post_resend(&app, &key, "msg_4", now + 600, &bounced).await, 403);
    assert!(queue_email(&app, lead).await.is_ok(), "no bounce was applied");

    // An event about a message this tenant did not send (a shared account) is ignored.
    let foreign = json!({"type": "email.complained", "data": {"email_id": "em_someone_else", "to": [EMAIL]}});
    assert_eq!(post_resend(&app, &key, "msg_foreign", now, &foreign).await, 204);
    assert!(
        queue_email(&app, lead).await.is_ok(),
        "not suppressed by someone else's event"
    );
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
    assert_eq!(post_resend(&app, &key, "msg_5", now, &bounced).await, 204);
    let refused = queue_email(&app, lead).await.unwrap_err();
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
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::PUT,
        "/api/v1/integrations/sendgrid",
        Some(
            json!({"config": {"event_webhook_public_key": public_key, "from_email": "quotes@agency.test"},
                    "secrets": {"api_key": "SG.0123456789abcdefghij"}}),
        ),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (lead, id) = sent_email(&app, "abc123").await;
    let path = app.url(&format!("/webhooks/sendgrid/{}", app.world().tenant_a));
    let post = async |events: &Value, signature: String| {
        let body = serde_json::to_vec(events).unwrap();
        app.client
            .post(&path)
            .header("x-twilio-email-event-webhook-timestamp", "1700000000")
            .header("x-twilio-email-event-webhook-signature", signature)
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let events = json!([
        {"email": EMAIL, "event": "delivered", "sg_event_id": "ev1", "sg_message_id": "abc123.filter0001.1.0"},
        {"email": EMAIL, "event": "open", "sg_event_id": "ev2", "sg_message_id": "abc123.filter0001.1.0"},
    ]);
    let body = serde_json::to_vec(&events).unwrap();
    // Signed for other bytes, or with another key: refused.
    assert_eq!(post(&events, sign("1700000000", b"[]")).await, 403);
    let (_, other_sign) = sendgrid_key();
    assert_eq!(post(&events, other_sign("1700000000", &body)).await, 403);
    assert_eq!(status_of(&app, id).await, "sent");

    assert_eq!(post(&events, sign("1700000000", &body)).await, 204);
    assert_eq!(status_of(&app, id).await, "delivered");
    let complaint = json!([{"email": EMAIL, "event": "spamreport", "sg_event_id": "ev3", "sg_message_id": "abc123.filter"}]);
    let body = serde_json::to_vec(&complaint).unwrap();
    assert_eq!(post(&complaint, sign("1700000000", &body)).await, 204);
    assert_eq!(
        queue_email(&app, lead).await.unwrap_err()["error"]["details"]["reason"],
        "suppressed"
    );
    // The complaint is in the lead's ledger too: marketing email is revoked, by the provider, with
    // the message as evidence.
    let ledger: Value = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        &format!("/api/v1/leads/{lead}/consents"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
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
