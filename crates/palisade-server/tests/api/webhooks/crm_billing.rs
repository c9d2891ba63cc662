//! Stripe and HubSpot webhooks: verified with the tenant's secret before anything reads them,
//! refused when forged, stale or signed for another URL, and each event recorded once.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::Client;

async fn connect(app: &TestApp, provider: &str, secrets: serde_json::Value) {
    connect_with(app, provider, json!({}), secrets).await;
}

async fn connect_with(app: &TestApp, provider: &str, config: serde_json::Value, secrets: serde_json::Value) {
    // No secrets: the stored ones stay.
    let body = if secrets == json!({}) {
        json!({"config": config})
    } else {
        json!({"config": config, "secrets": secrets})
    };
    let path = format!("/api/v1/integrations/{provider}");
    Client::new(app, Some(Who::AdminA))
        .put::<Value>(&path, body, StatusCode::OK)
        .await;
}

async fn recorded(app: &TestApp, provider: &str) -> i64 {
    let su = app.db.superuser().await;
    su.query_one(
        "select count(*) from app.webhook_events where provider = $1",
        &[&provider],
    )
    .await
    .unwrap()
    .get(0)
}

#[tokio::test]
async fn stripe_events_are_verified_and_recorded_once() {
    let app = spawn_app().await;
    let secret = "whsec_0123456789abcdefghij";
    connect(&app, "stripe", json!({"webhook_secret": secret})).await;
    let path = format!("/webhooks/stripe/{}", app.world().tenant_a);
    let body = br#"{"id":"evt_1","type":"invoice.paid","data":{"object":{}}}"#;
    let post = async |header: String, expect: StatusCode| {
        let stripe = Client::anonymous(&app).header("stripe-signature", &header);
        stripe.post_raw::<Value>(&path, body.to_vec(), expect).await;
    };
    let sign = palisade_webhooks::stripe::sign;
    let now = chrono::Utc::now().timestamp();
    post(sign(b"whsec_other", body, now), StatusCode::FORBIDDEN).await;
    post(sign(secret.as_bytes(), body, now - 400), StatusCode::FORBIDDEN).await;
    assert_eq!(recorded(&app, "stripe").await, 0);
    post(sign(secret.as_bytes(), body, now), StatusCode::NO_CONTENT).await;
    post(sign(secret.as_bytes(), body, now), StatusCode::NO_CONTENT).await;
    assert_eq!(recorded(&app, "stripe").await, 1);
}

#[tokio::test]
async fn hubspot_v3_events_are_verified_and_recorded_once() {
    let app = spawn_app().await;
    let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    connect(&app, "hubspot", json!({"client_secret": secret})).await;
    let path = format!("/webhooks/hubspot/{}", app.world().tenant_a);
    let body = br#"[{"eventId":100,"subscriptionType":"contact.creation","portalId":62515,"objectId":123}]"#;
    let post = async |signed_path: &str, timestamp: i64, key: &str, expect: StatusCode| {
        let ts = timestamp.to_string();
        let signature =
            palisade_webhooks::hubspot::sign_v3(key.as_bytes(), "POST", &app.url(signed_path), body, &ts);
        let hubspot = Client::anonymous(&app)
            .header("x-hubspot-request-timestamp", &ts)
            .header("x-hubspot-signature-v3", &signature);
        hubspot.post_raw::<Value>(&path, body.to_vec(), expect).await;
    };
    let now = chrono::Utc::now().timestamp_millis();
    let other_tenant = format!("/webhooks/hubspot/{}", app.world().tenant_b);
    post(&path, now, "another-secret-0123456789", StatusCode::FORBIDDEN).await;
    // Signed for another URL.
    post(&other_tenant, now, secret, StatusCode::FORBIDDEN).await;
    // Older than five minutes.
    post(&path, now - 6 * 60 * 1000, secret, StatusCode::FORBIDDEN).await;
    assert_eq!(recorded(&app, "hubspot").await, 0);
    post(&path, now, secret, StatusCode::NO_CONTENT).await;
    post(&path, now, secret, StatusCode::NO_CONTENT).await;
    assert_eq!(recorded(&app, "hubspot").await, 1);
}

/// HubSpot's v1 and v2 signatures (`sha256` hex of the secret and what each signs), as HubSpot
/// documents them.
fn hubspot_legacy(parts: &[&[u8]]) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hex::encode(hash.finalize())
}

#[tokio::test]
async fn hubspot_v1_or_v2_only_when_configured_and_other_portals_are_ignored() {
    let app = spawn_app().await;
    let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    let path = format!("/webhooks/hubspot/{}", app.world().tenant_a);
    let url = app.url(&path);
    let body = br#"[{"eventId":7,"subscriptionType":"contact.creation","portalId":62515},{"eventId":8,"subscriptionType":"contact.creation","portalId":99}]"#;
    let post = async |signature: String, expect: StatusCode| {
        let hubspot = Client::anonymous(&app).header("x-hubspot-signature", &signature);
        hubspot.post_raw::<Value>(&path, body.to_vec(), expect).await;
    };
    let v1 = hubspot_legacy(&[secret.as_bytes(), body]);
    let v2 = hubspot_legacy(&[secret.as_bytes(), b"POST", url.as_bytes(), body]);
    // v3 is the default: a v1 or v2 signature is refused.
    connect(&app, "hubspot", json!({"client_secret": secret})).await;
    post(v1.clone(), StatusCode::FORBIDDEN).await;
    post(v2.clone(), StatusCode::FORBIDDEN).await;

    connect_with(
        &app,
        "hubspot",
        json!({"signature_version": "v2", "portal_id": "62515"}),
        json!({"client_secret": secret}),
    )
    .await;
    // v2 configured: v1 is refused.
    post(v1.clone(), StatusCode::FORBIDDEN).await;
    let forged = hubspot_legacy(&[b"another-secret", b"POST", url.as_bytes(), body]);
    post(forged, StatusCode::FORBIDDEN).await;
    post(v2.clone(), StatusCode::NO_CONTENT).await;
    assert_eq!(
        recorded(&app, "hubspot").await,
        1,
        "portal 99's event is not this tenant's"
    );

    // v1 signs no URL: it needs the portal, so another tenant's request cannot pass here.
    let admin = Client::new(&app, Some(Who::AdminA));
    let v1_anywhere = json!({"config": {"signature_version": "v1"}});
    admin
        .put::<Value>(
            "/api/v1/integrations/hubspot",
            v1_anywhere,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    connect_with(
        &app,
        "hubspot",
        json!({"signature_version": "v1", "portal_id": "99"}),
        json!({}),
    )
    .await;
    post(v2, StatusCode::FORBIDDEN).await;
    post(v1, StatusCode::NO_CONTENT).await;
    assert_eq!(recorded(&app, "hubspot").await, 2, "portal 99's event counts now");

    let v4 = json!({"config": {"signature_version": "v4"}});
    admin
        .put::<Value>(
            "/api/v1/integrations/hubspot",
            v4,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
}
