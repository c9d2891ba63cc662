//! What a rep is told when the model cannot be used, and that nothing is written or sent then: no
//! model connected, an address the operator does not allow, drafting off, the budget spent, a
//! provider that fails or answers nonsense. Retries of 429 and 5xx are invisible when they succeed.
use palisade_testkit::{LlmStep, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{app_with_model, draft_reply};
use crate::client::{Client, ErrorBody};

fn draft_path(app: &TestApp) -> String {
    format!("/api/v1/leads/{}/ai-draft", app.world().lead_a1)
}

async fn drafts_of_rep_a1(app: &TestApp) -> usize {
    let page: Value = Client::new(app, Some(Who::RepA1))
        .get("/api/v1/me/drafts?limit=200", StatusCode::OK)
        .await;
    page["items"].as_array().unwrap().len()
}

async fn usage_statuses(app: &TestApp) -> Vec<String> {
    let su = app.db.superuser().await;
    su.query(
        "select status from app.ai_usage where tenant_id = $1 and model = 'fake-model' order by created_at",
        &[app.world().tenant_a.as_uuid()],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[tokio::test]
async fn retries_are_invisible_and_failures_are_told_and_accounted() {
    let (app, fake) = app_with_model().await;
    let rep = Client::new(&app, Some(Who::RepA1));
    let before = drafts_of_rep_a1(&app).await;
    fake.script([
        LlmStep::Fail {
            status: 429,
            retry_after: Some(0),
        },
        LlmStep::Fail {
            status: 500,
            retry_after: None,
        },
        LlmStep::Reply(draft_reply(None, "Hello again")),
    ]);
    let draft: Value = rep
        .post(&draft_path(&app), json!({"channel": "sms"}), StatusCode::CREATED)
        .await;
    assert_eq!(draft["body"], "Hello again");
    assert_eq!(fake.received().len(), 3);

    // Three failures in a row: 503 with Retry-After, no draft, the call settled as failed.
    fake.clear();
    let fail = LlmStep::Fail {
        status: 503,
        retry_after: None,
    };
    fake.script([fail.clone(), fail.clone(), fail]);
    let response = rep
        .request(reqwest::Method::POST, &draft_path(&app))
        .json(&json!({"channel": "sms"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ai_unavailable");
    assert_eq!(fake.received().len(), 3);

    // Not JSON, or JSON of another shape: 502, nothing written.
    fake.script([LlmStep::Reply("Sure! Here is a draft.".into())]);
    let e: ErrorBody = rep
        .post(
            &draft_path(&app),
            json!({"channel": "sms"}),
            StatusCode::BAD_GATEWAY,
        )
        .await;
    assert_eq!(e.code(), "ai_bad_output");
    // A rejected key: 502 at once, no retry.
    fake.clear();
    fake.script([LlmStep::Fail {
        status: 401,
        retry_after: None,
    }]);
    let e: ErrorBody = rep
        .post(
            &draft_path(&app),
            json!({"channel": "sms"}),
            StatusCode::BAD_GATEWAY,
        )
        .await;
    assert_eq!(e.code(), "ai_rejected");
    assert_eq!(fake.received().len(), 1);

    assert_eq!(drafts_of_rep_a1(&app).await, before + 1);
    assert_eq!(usage_statuses(&app).await, ["done", "failed", "done", "failed"]);
}

#[tokio::test]
async fn a_spent_budget_refuses_before_anything_is_sent() {
    let (app, fake) = app_with_model().await;
    let admin = Client::new(&app, Some(Who::AdminA));
    let mut settings: Value = admin.get("/api/v1/ai/settings", StatusCode::OK).await;
    settings["monthly_budget_micros"] = json!(0);
    let _: Value = admin.put("/api/v1/ai/settings", &settings, StatusCode::OK).await;
    let response = Client::new(&app, Some(Who::RepA1))
        .request(reqwest::Method::POST, &draft_path(&app))
        .json(&json!({"channel": "sms"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 31 * 24 * 3600, "{wait}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ai_budget_exhausted");
    assert!(fake.received().is_empty());
    assert!(usage_statuses(&app).await.is_empty());
}

#[tokio::test]
async fn no_model_an_address_not_allowed_or_drafting_off_is_a_conflict() {
    let (app, fake) = app_with_model().await;
    let admin = Client::new(&app, Some(Who::AdminA));
    let rep = Client::new(&app, Some(Who::RepA1));
    let ask = json!({"channel": "sms"});

    // The admin names an address the operator did not allow: the key is never sent there.
    let _: Value = admin
        .put(
            "/api/v1/integrations/openai",
            json!({"config": {"base_url": "https://llm.example.net/v1"}}),
            StatusCode::OK,
        )
        .await;
    let e: ErrorBody = rep.post(&draft_path(&app), &ask, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "ai_endpoint_not_allowed");

    let _: Value = admin
        .put(
            "/api/v1/integrations/openai",
            json!({"config": {}}),
            StatusCode::OK,
        )
        .await;
    let mut settings: Value = admin.get("/api/v1/ai/settings", StatusCode::OK).await;
    settings["drafting"] = json!(false);
    let _: Value = admin.put("/api/v1/ai/settings", &settings, StatusCode::OK).await;
    let e: ErrorBody = rep.post(&draft_path(&app), &ask, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "ai_feature_off");

    let _: Value = admin
        .delete("/api/v1/integrations/openai", StatusCode::NO_CONTENT)
        .await;
    let e: ErrorBody = rep.post(&draft_path(&app), &ask, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "ai_not_configured");
    assert!(fake.received().is_empty());
    assert!(usage_statuses(&app).await.is_empty());
}
