//! Provider integrations over HTTP: admins connect providers with write-only secrets; answers carry
//! `last_four` and metadata only; bad input is a clear 422 that never echoes a value.
use palisade_testkit::{spawn_app, Who};
use reqwest::Method;
use serde_json::{json, Value};

use crate::{error_code, send};

const OPENAI_KEY: &str = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
const TWILIO_TOKEN: &str = "fedcba9876543210fedcba9876543210";

#[tokio::test]
async fn admins_connect_providers_and_never_get_a_secret_back() {
    let app = spawn_app().await;
    let admin = Some(Who::AdminA);
    let r = send(
        &app,
        admin,
        Method::PUT,
        "/api/v1/integrations/openai",
        Some(json!({"config": {"organization": "org-palisade"}, "secrets": {"api_key": OPENAI_KEY}})),
    )
    .await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains(OPENAI_KEY) && !text.contains("abcdefghij"),
        "{text}"
    );
    let saved: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["last_four"], "6789");
    assert_eq!(saved["secret_fields"], json!(["api_key"]));
    assert_eq!(saved["config"]["organization"], "org-palisade");
    assert_eq!(saved["set_by"], app.world().admin_a.to_string());

    // New secrets for Twilio replace the stored ones; a settings-only change keeps them.
    let sid = format!("AC{}", "1".repeat(32));
    let r = send(
        &app,
        admin,
        Method::PUT,
        "/api/v1/integrations/twilio",
        Some(json!({"config": {"account_sid": sid}, "secrets": {"auth_token": TWILIO_TOKEN}})),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["last_four"], "3210");
    let r = send(
        &app,
        admin,
        Method::PUT,
        "/api/v1/integrations/twilio",
        Some(json!({"config": {"account_sid": sid}, "status": "disabled"})),
    )
    .await;
    let kept: Value = r.json().await.unwrap();
    assert_eq!(kept["last_four"], "3210");
    assert_eq!(kept["status"], "disabled");

    let listed = send(&app, admin, Method::GET, "/api/v1/integrations", None).await;
    let text = listed.text().await.unwrap();
    assert!(
        !text.contains(OPENAI_KEY) && !text.contains(TWILIO_TOKEN),
        "{text}"
    );
    let providers: Vec<String> = serde_json::from_str::<Vec<Value>>(&text)
        .unwrap()
        .iter()
        .map(|i| i["provider"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(providers, ["openai", "twilio"]);

    // Nobody else sees them; another tenant's admin sees their own tenant only.
    for who in [Who::RepA1, Who::ManagerA] {
        let r = send(&app, Some(who), Method::GET, "/api/v1/integrations/openai", None).await;
        assert_eq!(r.status(), 403, "{who:?}");
    }
    let r = send(
        &app,
        Some(Who::AdminB),
        Method::GET,
        "/api/v1/integrations/openai",
        None,
    )
    .await;
    assert_eq!(r.status(), 404);

    let r = send(&app, admin, Method::DELETE, "/api/v1/integrations/openai", None).await;
    assert_eq!(r.status(), 204);
    let r = send(&app, admin, Method::GET, "/api/v1/integrations/openai", None).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn bad_integration_input_is_a_clear_422_that_never_echoes_a_value() {
    let app = spawn_app().await;
    let admin = Some(Who::AdminA);
    let cases = [
        (
            "openai",
            json!({"secrets": {"api_key": "pk-wrong-kind-of-key-0123456789"}}),
            "invalid_field",
            "secrets.api_key",
        ),
        (
            "openai",
            json!({"secrets": {"api_key": OPENAI_KEY, "password": "hunter2hunter2"}}),
            "unknown_field",
            "takes: api_key",
        ),
        (
            "openai",
            json!({"secrets": {}}),
            "invalid_field",
            "secrets.api_key is required",
        ),
        (
            "stripe",
            json!({"config": {}}),
            "secrets_required",
            "needs its secrets",
        ),
        (
            "twilio",
            json!({"config": {"account_sid": "not-a-sid"}}),
            "invalid_field",
            "config.account_sid",
        ),
        (
            "twilio",
            json!({"tenant_id": app.world().tenant_b.to_string()}),
            "invalid_body",
            "tenant_id",
        ),
    ];
    for (provider, body, code, says) in cases {
        let path = format!("/api/v1/integrations/{provider}");
        let r = send(&app, admin, Method::PUT, &path, Some(body.clone())).await;
        assert_eq!(r.status(), 422, "{body}");
        let answer: Value = r.json().await.unwrap();
        assert_eq!(answer["error"]["code"], code, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
        for secret in ["pk-wrong-kind-of-key", "hunter2", "not-a-sid"] {
            assert!(!message.contains(secret), "{message}");
        }
    }
    let r = send(
        &app,
        admin,
        Method::PUT,
        "/api/v1/integrations/mailchimp",
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(error_code(r).await, "unknown_provider");
    // Nothing was written by any of them.
    let listed: Vec<Value> = send(&app, admin, Method::GET, "/api/v1/integrations", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "only the fixture's Twilio");
}
