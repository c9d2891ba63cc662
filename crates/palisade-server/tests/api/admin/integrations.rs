//! Provider integrations over HTTP: admins connect providers with write-only secrets; answers carry
//! `last_four` and metadata only; bad input is a clear 422 that never echoes a value.
use palisade_testkit::{spawn_app, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};

const OPENAI_KEY: &str = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
const TWILIO_TOKEN: &str = "fedcba9876543210fedcba9876543210";

#[tokio::test]
async fn admins_connect_providers_and_never_get_a_secret_back() {
    let app = spawn_app().await;
    let admin = Client::new(&app, Some(Who::AdminA));
    let body = json!({"config": {"organization": "org-palisade"}, "secrets": {"api_key": OPENAI_KEY}});
    let text = admin
        .text(
            Method::PUT,
            "/api/v1/integrations/openai",
            Some(body),
            StatusCode::OK,
        )
        .await;
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
    let body = json!({"config": {"account_sid": sid}, "secrets": {"auth_token": TWILIO_TOKEN}});
    let saved: Value = admin
        .put("/api/v1/integrations/twilio", body, StatusCode::OK)
        .await;
    assert_eq!(saved["last_four"], "3210");
    let body = json!({"config": {"account_sid": sid}, "status": "disabled"});
    let kept: Value = admin
        .put("/api/v1/integrations/twilio", body, StatusCode::OK)
        .await;
    assert_eq!(kept["last_four"], "3210");
    assert_eq!(kept["status"], "disabled");

    let text = admin
        .text(Method::GET, "/api/v1/integrations", None, StatusCode::OK)
        .await;
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
        let _: Value = Client::new(&app, Some(who))
            .get("/api/v1/integrations/openai", StatusCode::FORBIDDEN)
            .await;
    }
    let _: Value = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/integrations/openai", StatusCode::NOT_FOUND)
        .await;

    let () = admin
        .delete("/api/v1/integrations/openai", StatusCode::NO_CONTENT)
        .await;
    let _: Value = admin
        .get("/api/v1/integrations/openai", StatusCode::NOT_FOUND)
        .await;
}

#[tokio::test]
async fn bad_integration_input_is_a_clear_422_that_never_echoes_a_value() {
    let app = spawn_app().await;
    let admin = Client::new(&app, Some(Who::AdminA));
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
        let answer: Value = admin.put(&path, &body, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
        for secret in ["pk-wrong-kind-of-key", "hunter2", "not-a-sid"] {
            assert!(!message.contains(secret), "{message}");
        }
    }
    let e: ErrorBody = admin
        .put("/api/v1/integrations/mailchimp", json!({}), StatusCode::NOT_FOUND)
        .await;
    assert_eq!(e.code(), "unknown_provider");
    // Nothing was written by any of them.
    let listed: Vec<Value> = admin.get("/api/v1/integrations", StatusCode::OK).await;
    assert_eq!(listed.len(), 1, "only the fixture's Twilio");
}
