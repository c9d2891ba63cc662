//! Meta's WhatsApp webhooks: the subscription handshake answers only the tenant's verify token;
//! deliveries are checked with the tenant's app secret over the raw body, count only for the
//! tenant's own phone number id, and a WhatsApp STOP halts messages like a text STOP.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};

use crate::send;

const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
const PHONE_ID: &str = "106540352242922";

async fn connect(app: &TestApp) {
    let r = send(
        app,
        Some(Who::AdminA),
        Method::PUT,
        "/api/v1/integrations/meta",
        Some(json!({"config": {"phone_number_id": PHONE_ID},
                    "secrets": {"access_token": "EAAG0123456789abcdefghij", "app_secret": APP_SECRET,
                                "verify_token": "meatyhamhock"}})),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
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

async fn post(app: &TestApp, body: Vec<u8>, secret: &str) -> u16 {
    let signature = palisade_webhooks::meta::sign(secret.as_bytes(), &body);
    app.client
        .post(app.url(&format!("/webhooks/meta/{}", app.world().tenant_a)))
        .header("x-hub-signature-256", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_handshake_answers_only_the_tenant_verify_token() {
    let app = spawn_app().await;
    connect(&app).await;
    let path = |token: &str, challenge: &str| {
        app.url(&format!(
            "/webhooks/meta/{}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge={challenge}",
            app.world().tenant_a
        ))
    };
    let r = app
        .client
        .get(path("meatyhamhock", "1158201444"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "1158201444");
    for (token, challenge) in [("meatyhamhocks", "1158201444"), ("meatyhamhock", "%3Cscript%3E")] {
        let r = app.client.get(path(token, challenge)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{token} {challenge}");
    }
    // Another tenant (no Meta connected) answers nothing.
    let other = app.url(&format!(
        "/webhooks/meta/{}?hub.mode=subscribe&hub.verify_token=meatyhamhock&hub.challenge=1",
        app.world().tenant_b
    ));
    assert_eq!(app.client.get(other).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn a_whatsapp_stop_is_verified_and_halts_messages() {
    let app = spawn_app().await;
    connect(&app).await;
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "Pat", "phone": "+16505551234"})),
    )
    .await;
    let lead: Value = r.json().await.unwrap();
    let lead = lead["id"].as_str().unwrap().to_owned();
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        &format!("/api/v1/leads/{lead}/consents"),
        Some(json!({"channel": "whatsapp", "purpose": "service", "form_version": "web-3"})),
    )
    .await;
    assert_eq!(r.status(), 201);
    let queue = async || {
        send(
            &app,
            Some(Who::RepA1),
            Method::POST,
            "/api/v1/messages",
            Some(json!({"lead_id": lead, "channel": "whatsapp", "purpose": "service", "body": "Hi"})),
        )
        .await
        .status()
        .as_u16()
    };
    assert_eq!(queue().await, 201);

    // Forged, or for another business's number: nothing happens.
    assert_eq!(
        post(
            &app,
            delivery(PHONE_ID, "wamid.1", "16505551234", "STOP"),
            "ffffffffffffffffffffffffffffffff"
        )
        .await,
        403
    );
    assert_eq!(
        post(
            &app,
            delivery("999999999", "wamid.2", "16505551234", "STOP"),
            APP_SECRET
        )
        .await,
        200
    );
    assert_eq!(queue().await, 201, "neither was applied");

    assert_eq!(
        post(
            &app,
            delivery(PHONE_ID, "wamid.3", "16505551234", "STOP"),
            APP_SECRET
        )
        .await,
        200
    );
    assert_eq!(queue().await, 409);
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
    assert_eq!(
        post(
            &app,
            delivery(PHONE_ID, "wamid.3", "16505551234", "STOP"),
            APP_SECRET
        )
        .await,
        200
    );
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
        assert_eq!(post(&app, body.clone(), APP_SECRET).await, 200);
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
