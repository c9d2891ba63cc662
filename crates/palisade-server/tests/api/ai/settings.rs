//! AI settings: admins only, checked before anything is saved.
use palisade_testkit::Who;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::app_with_model;
use crate::client::{Client, ErrorBody};

#[tokio::test]
async fn admins_change_settings_and_bad_patterns_change_nothing() {
    let (app, _fake) = app_with_model().await;
    let admin = Client::new(&app, Some(Who::AdminA));
    let current: Value = admin.get("/api/v1/ai/settings", StatusCode::OK).await;
    assert_eq!(current["forbidden_topics"], json!(["politics"]));
    assert_eq!(current["drafting"], true);

    let mut next = current.clone();
    next["forbidden_topics"] = json!(["  religion ", "Religion", "elections"]);
    next["mask_patterns"] = json!([r"\bACCT-\d{6}\b"]);
    next["auto_reply_channels"] = json!(["sms"]);
    let saved: Value = admin.put("/api/v1/ai/settings", &next, StatusCode::OK).await;
    assert_eq!(saved["forbidden_topics"], json!(["religion", "elections"]));
    assert_eq!(saved["auto_reply_channels"], json!(["sms"]));

    for (patterns, position) in [(json!(["ok", "("]), "pattern 2"), (json!([".*"]), "pattern 1")] {
        let mut bad = saved.clone();
        bad["mask_patterns"] = patterns;
        bad["drafting"] = json!(false);
        let e: ErrorBody = admin
            .put("/api/v1/ai/settings", &bad, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
        assert_eq!(e.code(), "invalid_mask_pattern");
        assert!(e.error.message.contains(position), "{}", e.error.message);
    }
    let mut bad = saved.clone();
    bad["monthly_budget_micros"] = json!(-1);
    let _: ErrorBody = admin
        .put("/api/v1/ai/settings", &bad, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let mut bad = saved.clone();
    bad["auto_reply_channels"] = json!(["email"]);
    let _: ErrorBody = admin
        .put("/api/v1/ai/settings", &bad, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let unchanged: Value = admin.get("/api/v1/ai/settings", StatusCode::OK).await;
    assert_eq!(unchanged, saved);

    // Managers and reps neither read nor change them; another tenant's admin has their own.
    for who in [Who::ManagerA, Who::RepA1] {
        let _: ErrorBody = Client::new(&app, Some(who))
            .get("/api/v1/ai/settings", StatusCode::FORBIDDEN)
            .await;
        let _: ErrorBody = Client::new(&app, Some(who))
            .put("/api/v1/ai/settings", &next, StatusCode::FORBIDDEN)
            .await;
    }
    let theirs: Value = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/ai/settings", StatusCode::OK)
        .await;
    assert_eq!(theirs["forbidden_topics"], json!([]));

    let e: ErrorBody = admin
        .get("/api/v1/ai/usage?month=2026-13", StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert_eq!(e.code(), "invalid_month");
    let past: Value = admin.get("/api/v1/ai/usage?month=2020-01", StatusCode::OK).await;
    assert_eq!(past["spent_micros"], 0);
    assert_eq!(past["month"], "2020-01");
}
