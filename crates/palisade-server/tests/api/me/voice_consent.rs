//! Voice-drafting consent: no voice sample without an opt-in, and withdrawing deletes them all.
use palisade_testkit::{spawn_app, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};

const CONSENT: &str = "/api/v1/me/voice-consent";
const SAMPLES: &str = "/api/v1/me/voice-samples";

fn sample(label: &str) -> Value {
    json!({"label": label, "storage_key": format!("voice/{label}.wav"), "duration_ms": 4000})
}

#[tokio::test]
async fn a_voice_sample_needs_an_opt_in_and_withdrawing_deletes_every_one() {
    let app = spawn_app().await;
    // The manager has never opted in.
    let me = Client::new(&app, Some(Who::ManagerA));
    let e: ErrorBody = me.post(SAMPLES, sample("intro"), StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "voice_consent_required");
    let state: Value = me.get(CONSENT, StatusCode::OK).await;
    assert_eq!(state, json!({"active": false, "history": []}));

    let state: Value = me
        .put(CONSENT, json!({"text_version": "voice-v2"}), StatusCode::CREATED)
        .await;
    assert_eq!(state["active"], true);
    assert_eq!(state["history"][0]["text_version"], "voice-v2");
    // Opting in again changes nothing.
    let again: Value = me
        .put(CONSENT, json!({"text_version": "voice-v3"}), StatusCode::OK)
        .await;
    assert_eq!(again["history"].as_array().unwrap().len(), 1);
    for label in ["intro", "pitch"] {
        me.post::<Value>(SAMPLES, sample(label), StatusCode::CREATED)
            .await;
    }

    let withdrawal: Value = me.delete(CONSENT, StatusCode::OK).await;
    assert_eq!(withdrawal, json!({"withdrawn": true, "voice_samples_deleted": 2}));
    let left: Value = me.get(SAMPLES, StatusCode::OK).await;
    assert_eq!(left["items"], json!([]));
    let e: ErrorBody = me.post(SAMPLES, sample("again"), StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "voice_consent_required");
    let twice: Value = me.delete(CONSENT, StatusCode::OK).await;
    assert_eq!(twice, json!({"withdrawn": false, "voice_samples_deleted": 0}));

    // A new opt-in is a new record; the withdrawn one stays, as the member's evidence.
    let state: Value = me
        .put(CONSENT, json!({"text_version": "voice-v3"}), StatusCode::CREATED)
        .await;
    let history = state["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[0]["withdrawn_at"].is_null() && history[1]["withdrawn_at"].is_string());

    // Another member's samples are untouched by all of this.
    let rep: Value = Client::new(&app, Some(Who::RepA1))
        .get(SAMPLES, StatusCode::OK)
        .await;
    assert_eq!(rep["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_opt_in_names_its_text_version_and_nothing_else() {
    let app = spawn_app().await;
    let me = Client::new(&app, Some(Who::ManagerA));
    for (body, code) in [
        (json!({"text_version": ""}), "invalid_field"),
        (json!({"text_version": "v".repeat(101)}), "invalid_field"),
        (json!({}), "invalid_body"),
        (
            json!({"text_version": "v1", "owner_id": app.world().rep_a1}),
            "invalid_body",
        ),
    ] {
        let e: ErrorBody = me.put(CONSENT, &body, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.code(), code, "{body}");
    }
    let state: Value = me.get(CONSENT, StatusCode::OK).await;
    assert_eq!(state["active"], false);
}
