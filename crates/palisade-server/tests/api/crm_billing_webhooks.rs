//! Stripe and HubSpot webhooks: verified with the tenant's secret before anything reads them,
//! refused when forged, stale or signed for another URL, and each event recorded once.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::Method;
use serde_json::json;

use crate::send;

async fn connect(app: &TestApp, provider: &str, secrets: serde_json::Value) {
    let r = send(
        app,
        Some(Who::AdminA),
        Method::PUT,
        &format!("/api/v1/integrations/{provider}"),
        Some(json!({"secrets": secrets})),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
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
    let url = app.url(&format!("/webhooks/stripe/{}", app.world().tenant_a));
    let body = br#"{"id":"evt_1","type":"invoice.paid","data":{"object":{}}}"#;
    let post = async |header: String| {
        app.client
            .post(&url)
            .header("stripe-signature", header)
            .body(body.to_vec())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let now = chrono::Utc::now().timestamp();
    assert_eq!(
        post(palisade_webhooks::stripe::sign(b"whsec_other", body, now)).await,
        403
    );
    assert_eq!(
        post(palisade_webhooks::stripe::sign(
            secret.as_bytes(),
            body,
            now - 400
        ))
        .await,
        403
    );
    assert_eq!(recorded(&app, "stripe").await, 0);
    assert_eq!(
        post(palisade_webhooks::stripe::sign(secret.as_bytes(), body, now)).await,
        204
    );
    assert_eq!(
        post(palisade_webhooks::stripe::sign(secret.as_bytes(), body, now)).await,
        204
    );
    assert_eq!(recorded(&app, "stripe").await, 1);
}

#[tokio::test]
async fn hubspot_v3_events_are_verified_and_recorded_once() {
    let app = spawn_app().await;
    let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    connect(&app, "hubspot", json!({"client_secret": secret})).await;
    let path = format!("/webhooks/hubspot/{}", app.world().tenant_a);
    let body = br#"[{"eventId":100,"subscriptionType":"contact.creation","portalId":62515,"objectId":123}]"#;
    let post = async |signed_path: &str, timestamp: i64, key: &str| {
        let ts = timestamp.to_string();
        let signature =
            palisade_webhooks::hubspot::sign_v3(key.as_bytes(), "POST", &app.url(signed_path), body, &ts);
        app.client
            .post(app.url(&path))
            .header("x-hubspot-request-timestamp", ts)
            .header("x-hubspot-signature-v3", signature)
            .body(body.to_vec())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let now = chrono::Utc::now().timestamp_millis();
    let other_tenant = format!("/webhooks/hubspot/{}", app.world().tenant_b);
    assert_eq!(post(&path, now, "another-secret-0123456789").await, 403);
    assert_eq!(
        post(&other_tenant, now, secret).await,
        403,
        "signed for another URL"
    );
    assert_eq!(
        post(&path, now - 6 * 60 * 1000, secret).await,
        403,
        "older than five minutes"
    );
    assert_eq!(recorded(&app, "hubspot").await, 0);
    assert_eq!(post(&path, now, secret).await, 204);
    assert_eq!(post(&path, now, secret).await, 204);
    assert_eq!(recorded(&app, "hubspot").await, 1);
}
