//! Meta's WhatsApp webhooks: the subscription handshake answers only the tenant's verify token;
//! deliveries are checked with the tenant's app secret over the raw body, count only for the
//! tenant's own phone number id, and a WhatsApp STOP halts messages like a text STOP.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::client::Client;

const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
const PHONE_ID: &str = "106540352242922";

async fn connect(app: &TestApp) {
    let _: Value = Client::new(app, Some(Who::AdminA))
        .put(
            "/api/v1/integrations/meta",
            json!({"config": {"phone_number_id": PHONE_ID},
                   "secrets": {"access_token": "EAAG0123456789abcdefghij", "app_secret": APP_SECRET,
                               "verify_token": "meatyhamhock"}}),
            StatusCode::OK,
        )
        .await;
}

fn delivery(phone_id: &str, message_id: &str, from: &str, text: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_id},
            "messages": [{"from": from, "id": message_id, "timestamp": "1700000000", "type": "text",
                          "text": {"body": text}}]
        }}]}]
    }))
    .unwrap()
}

/// Delivers `body` to tenant A's Meta webhook, signed with `secret`, expecting `expect`.
async fn post(app: &TestApp, body: Vec<u8>, secret: &str, expect: StatusCode) {
    let signature = palisade_webhooks::meta::sign(secret.as_bytes(), &body);
    let meta = Client::anonymous(app)
        .header("x-hub-signature-256", &signature)
        .header("content-type", "application/json");
    let path = format!("/webhooks/meta/{}", app.world().tenant_a);
    meta.post_raw::<Value>(&path, body, expect).await;
}

#[tokio::test]
async fn the_handshake_answers_only_the_tenant_verify_token() {
    let app = spawn_app().await;
    connect(&app).await;
    let meta = Client::anonymous(&app);
    let path = |token: &str, challenge: &str| {
        format!(
            "/webhooks/meta/{}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge={challenge}",
            app.world().tenant_a
        )
    };
    // The challenge comes back as plain text.
    let answer = meta
        .text(
            Method::GET,
            &path("meatyhamhock", "1158201444"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(answer, "1158201444");
    for (token, challenge) in [("meatyhamhocks", "1158201444"), ("meatyhamhock", "%3Cscript%3E")] {
        meta.text(Method::GET, &path(token, challenge), None, StatusCode::FORBIDDEN)
            .await;
    }
    // Another tenant (no Meta connected) answers nothing.
    let other = format!(
        "/webhooks/meta/{}?hub.mode=subscribe&hub.verify_token=meatyhamhock&hub.challenge=1",
        app.world().tenant_b
    );
    meta.text(Method::GET, &other, None, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_whatsapp_stop_is_verified_and_halts_messages() {
    let app = spawn_app().await;
    connect(&app).await;
    let rep = Client::new(&app, Some(Who::RepA1));
    let lead: Value = rep
        .post(
            "/api/v1/leads",
            json!({"name": "Pat", "phone": "+16505551234"}),
            StatusCode::CREATED,
        )
        .await;
    let lead = lead["id"].as_str().unwrap().to_owned();
    let _: Value = rep
        .post(
            &format!("/api/v1/leads/{lead}/consents"),
            json!({"channel": "whatsapp", "purpose": "service", "form_version": "web-3"}),
            StatusCode::CREATED,
        )
        .await;
    let queue = async |expect: StatusCode| {
        let body = json!({"lead_id": lead, "channel": "whatsapp", "purpose": "service", "body": "Hi"});
        rep.post::<Value>("/api/v1/messages", body, expect).await;
    };
    queue(StatusCode::CREATED).await;

    // Rep A1's lead texts STOP, as `message_id`, to `phone_id`'s webhook signed with `secret`.
    let stop = async |phone_id: &str, message_id: &str, secret: &str, expect: StatusCode| {
        let body = delivery(phone_id, message_id, "16505551234", "STOP");
        post(&app, body, secret, expect).await;
    };
    // Forged, or for another business's number: nothing happens.
    stop(
        PHONE_ID,
        "wamid.1",
        "ffffffffffffffffffffffffffffffff",
        StatusCode::FORBIDDEN,
    )
    .await;
    stop("999999999", "wamid.2", APP_SECRET, StatusCode::OK).await;
    // Neither was applied.
    queue(StatusCode::CREATED).await;

    stop(PHONE_ID, "wamid.3", APP_SECRET, StatusCode::OK).await;
    queue(StatusCode::CONFLICT).await;
    let su = app.db.superuser().await;
    let count = async || -> i64 {
        su.query_one(
            "select count(*) from app.consent_events where provider_message_id = 'wamid.3'",
            &[],
        )
        .await
        .unwrap()
        .get(0)
    };
    let revoked = count().await;
    assert!(revoked >= 2);
    // Meta redelivers: nothing more happens.
    stop(PHONE_ID, "wamid.3", APP_SECRET, StatusCode::OK).await;
    assert_eq!(count().await, revoked);
}

#[tokio::test]
async fn one_message_that_cannot_be_recorded_does_not_hold_up_the_rest_of_the_batch() {
    let app = spawn_app().await;
    connect(&app).await;
    let message = |id: &str, text: &str| json!({"from": "16505551234", "id": id, "timestamp": "1700000000", "type": "text", "text": {"body": text}});
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_ID},
            "messages": [message("wamid.ok1", "Hello there"), message("wamid.long", &"x".repeat(20_001)),
                         message("wamid.ok2", "Still there?")]
        }}]}]
    }))
    .unwrap();
    let su = app.db.superuser().await;
    let state = async || -> Vec<(String, String)> {
        su.query(
            "select event_id, status from app.webhook_events where provider = 'meta' order by event_id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    };
    let texts = "select count(*) from app.interactions where body in ('Hello there', 'Still there?')";
    for _ in 0..2 {
        // Meta may deliver the batch again: nothing changes the second time.
        post(&app, body.clone(), APP_SECRET, StatusCode::OK).await;
        assert_eq!(
            state().await,
            vec![
                ("wamid.long".to_owned(), "failed".to_owned()),
                ("wamid.ok1".to_owned(), "processed".to_owned()),
                ("wamid.ok2".to_owned(), "processed".to_owned()),
            ]
        );
        let n: i64 = su.query_one(texts, &[]).await.unwrap().get(0);
        assert_eq!(n, 2);
    }
}
