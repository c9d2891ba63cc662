//! The assistant over HTTP, against the fake model: drafts, settings, usage and budgets.
mod drafting;
mod failures;
mod settings;

use palisade_testkit::{spawn_app_with, FakeLlm, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::Client;

pub const MODEL_KEY: &str = "sk-test-0123456789abcdefghij";

/// A server whose default model is the fake (answering with a plain draft unless a test scripts
/// it), and tenant A's admin connects it.
pub async fn app_with_model() -> (TestApp, FakeLlm) {
    let fake = FakeLlm::start().await;
    let url = fake.base_url.clone();
    let app = spawn_app_with(move |c| {
        c.ai.base_url = url;
        c.ai.backoff_ms = 10;
    })
    .await;
    let admin = Client::new(&app, Some(Who::AdminA));
    let _: Value = admin
        .put(
            "/api/v1/integrations/openai",
            json!({"config": {"model": "fake-model"}, "secrets": {"api_key": MODEL_KEY}}),
            StatusCode::OK,
        )
        .await;
    // The fixture's budget of 1000 micros is for the policy matrix: the server's default here.
    let mut settings: Value = admin.get("/api/v1/ai/settings", StatusCode::OK).await;
    settings["monthly_budget_micros"] = Value::Null;
    let _: Value = admin.put("/api/v1/ai/settings", &settings, StatusCode::OK).await;
    fake.respond_with(|_| draft_reply(Some("Following up"), "Thanks for your time today."));
    (app, fake)
}

/// A reply in the shape the drafting prompt asks for.
pub fn draft_reply(subject: Option<&str>, body: &str) -> String {
    json!({"subject": subject, "body": body}).to_string()
}
