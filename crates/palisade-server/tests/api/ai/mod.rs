//! The assistant over HTTP, against the fake model: drafts, coaching, the knowledge base and
//! auto-replies, settings, usage and budgets.
mod answers;
mod coaching;
mod drafting;
mod failures;
mod knowledge;
mod settings;

use palisade_testkit::{spawn_app_with, FakeLlm, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::Client;

pub const MODEL_KEY: &str = "sk-test-0123456789abcdefghij";
pub const CRON: &str = "cron-secret-0123456789abcdef0123456789";

/// Runs the `assistant` job once (through the internal endpoint): how many tasks it worked on.
pub async fn run_assistant(app: &TestApp) -> u64 {
    let run: Value = Client::bearer(app, CRON)
        .post_empty("/internal/cron/assistant", StatusCode::OK)
        .await;
    run["done"].as_u64().unwrap()
}

/// Changes some of tenant A's AI settings (as its admin).
pub async fn set_ai(app: &TestApp, changes: Value) {
    let admin = Client::new(app, Some(Who::AdminA));
    let mut settings: Value = admin.get("/api/v1/ai/settings", StatusCode::OK).await;
    for (k, v) in changes.as_object().unwrap() {
        settings[k] = v.clone();
    }
    let _: Value = admin.put("/api/v1/ai/settings", &settings, StatusCode::OK).await;
}

/// The status and outcome of the assistant's task on an interaction.
pub async fn task_of(app: &TestApp, interaction: &str) -> (String, Option<String>) {
    let su = app.db.superuser().await;
    let row = su
        .query_one(
            "select status, outcome from app.assistant_tasks where interaction_id = $1::text::uuid",
            &[&interaction],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

/// A server whose default model is the fake (answering with a plain draft unless a test scripts
/// it), and tenant A's admin connects it.
pub async fn app_with_model() -> (TestApp, FakeLlm) {
    let fake = FakeLlm::start().await;
    let url = fake.base_url.clone();
    let app = spawn_app_with(move |c| {
        c.ai.base_url = url;
        c.ai.backoff_ms = 10;
        c.cron_secret = Some(CRON.to_owned().into());
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
    set_ai(&app, json!({"monthly_budget_micros": null})).await;
    // The fixture's queued tasks are the policy matrix's: the job here works only a test's own.
    app.db
        .superuser()
        .await
        .execute("delete from app.assistant_tasks", &[])
        .await
        .unwrap();
    fake.respond_with(|_| draft_reply(Some("Following up"), "Thanks for your time today."));
    (app, fake)
}

/// A reply in the shape the drafting prompt asks for.
pub fn draft_reply(subject: Option<&str>, body: &str) -> String {
    json!({"subject": subject, "body": body}).to_string()
}
