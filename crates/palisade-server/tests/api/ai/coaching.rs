//! Coaching from a call transcript: asked for at ingest, written by the assistant job for the rep
//! alone, once, from a masked transcript; skipped when the workspace has coaching off.
use palisade_testkit::{LlmStep, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{app_with_model, run_assistant, set_ai, task_of, CRON};
use crate::client::Client;

const TRANSCRIPT: &str = "Rep: Hi, this is Ana. Lead: my number is 415-555-0199, card 4111 1111 1111 1111. \
                          Rep: Great, I will call you back.";

async fn ingest(app: &TestApp) -> Value {
    let w = app.world();
    Client::bearer(app, CRON)
        .post(
            "/internal/ingest/call-transcript",
            json!({"tenant_id": w.tenant_a, "lead_id": w.lead_a1, "rep_id": w.rep_a1,
                   "transcript": TRANSCRIPT, "request_coaching": true}),
            StatusCode::CREATED,
        )
        .await
}

async fn ai_observations(app: &TestApp, who: Who) -> Vec<Value> {
    let page: Value = Client::new(app, Some(who))
        .get("/api/v1/me/coaching?limit=200", StatusCode::OK)
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["source"] == "ai" && o["lead_id"] == app.world().lead_a1.to_string())
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_transcript_asking_for_coaching_gets_private_observations_once() {
    let (app, fake) = app_with_model().await;
    set_ai(&app, json!({"coaching": true})).await;
    let before = ai_observations(&app, Who::RepA1).await.len();
    let ingested = ingest(&app).await;
    assert_eq!(ingested["coaching_requested"], true);
    let reply = json!({"observations": [
        {"category": "next_steps", "observation": "You promised to call [PHONE_1] back: say when."},
        {"category": "made_up", "observation": "dropped"},
    ]});
    fake.script([LlmStep::Reply(reply.to_string())]);
    assert_eq!(run_assistant(&app).await, 1);

    let prompt = fake.received().pop().unwrap().prompt();
    assert!(
        !prompt.contains("415-555-0199") && !prompt.contains("4111"),
        "{prompt}"
    );
    assert!(prompt.contains("[PHONE_1]"));
    let mine = ai_observations(&app, Who::RepA1).await;
    assert_eq!(mine.len(), before + 1);
    let new = mine.iter().find(|o| o["category"] == "next_steps").unwrap();
    assert_eq!(
        new["observation"],
        "You promised to call 415-555-0199 back: say when."
    );
    for other in [Who::ManagerA, Who::AdminA, Who::RepA2] {
        let theirs = ai_observations(&app, other).await;
        assert!(theirs.iter().all(|o| o["category"] != "next_steps"), "{theirs:?}");
    }
    let interaction = ingested["interaction_id"].as_str().unwrap();
    assert_eq!(
        task_of(&app, interaction).await,
        ("done".into(), Some("coached".into()))
    );
    // Done is done: another run writes nothing and asks the model nothing.
    fake.clear();
    assert_eq!(run_assistant(&app).await, 0);
    assert!(fake.received().is_empty());
    assert_eq!(ai_observations(&app, Who::RepA1).await.len(), before + 1);
}

#[tokio::test]
async fn coaching_off_skips_and_a_failing_model_is_retried_later() {
    let (app, fake) = app_with_model().await;
    let before = ai_observations(&app, Who::RepA1).await.len();
    let ingested = ingest(&app).await;
    let interaction = ingested["interaction_id"].as_str().unwrap().to_owned();
    run_assistant(&app).await;
    assert_eq!(
        task_of(&app, &interaction).await,
        ("skipped".into(), Some("feature_off".into()))
    );
    assert!(fake.received().is_empty());

    set_ai(&app, json!({"coaching": true})).await;
    let second = ingest(&app).await;
    let interaction = second["interaction_id"].as_str().unwrap().to_owned();
    let fail = LlmStep::Fail {
        status: 503,
        retry_after: None,
    };
    fake.script([fail.clone(), fail.clone(), fail]);
    run_assistant(&app).await;
    // Put back in the queue for later (a minute per attempt), not lost, and nothing written.
    assert_eq!(
        task_of(&app, &interaction).await,
        ("pending".into(), Some("ai_unavailable".into()))
    );
    assert_eq!(ai_observations(&app, Who::RepA1).await.len(), before);
}
