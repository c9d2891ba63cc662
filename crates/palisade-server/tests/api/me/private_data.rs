//! Managers see team patterns, never a rep's drafts, coaching or voice samples: not through the API,
//! not through SQL in their own context, and the reporting role cannot select them at all.
use palisade_testkit::{spawn_app, Who};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::client::Client;

const PRIVATE_TEXTS: [&str; 4] = ["Private draft", "AI: slow down", "my note", "voice/intro.wav"];

#[tokio::test]
async fn managers_and_admins_get_nothing_of_a_reps_private_records_over_http() {
    let app = spawn_app().await;
    let w = app.world().clone();
    for who in [Who::ManagerA, Who::AdminA] {
        let client = Client::new(&app, Some(who));
        for (list, item) in [
            ("/api/v1/me/drafts", w.draft_a1),
            ("/api/v1/me/coaching", w.coaching_a1),
            ("/api/v1/me/voice-samples", w.voice_a1),
        ] {
            let body: Value = client.get(list, StatusCode::OK).await;
            assert_eq!(body["items"].as_array().unwrap().len(), 0, "{who:?} {list}");
            let _: Value = client.get(&format!("{list}/{item}"), StatusCode::NOT_FOUND).await;
        }
        let dashboard = client
            .text(Method::GET, "/api/v1/dashboard", None, StatusCode::OK)
            .await;
        for text in PRIVATE_TEXTS {
            assert!(!dashboard.contains(text), "dashboard leaks {text}");
        }
    }
    // The owner does see them.
    let body: Value = Client::new(&app, Some(Who::RepA1))
        .get("/api/v1/me/drafts", StatusCode::OK)
        .await;
    assert_eq!(body["items"][0]["id"], serde_json::json!(w.draft_a1));
}

#[tokio::test]
async fn sql_in_the_managers_context_sees_zero_rows_and_reporting_is_denied() {
    let app = spawn_app().await;
    let w = app.world().clone();
    for table in ["app.drafts", "app.coaching_observations", "app.voice_samples"] {
        let mut tx = app
            .db
            .db
            .user(&w.principal(Who::ManagerA).unwrap())
            .await
            .unwrap();
        let n: i64 = tx
            .query_one(
                &format!("select count(*) from {table} where owner_id = $1"),
                &[w.rep_a1.as_uuid()],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "manager sees {table}");
        let all: i64 = tx
            .query_one(&format!("select count(*) from {table}"), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(all, 0, "manager sees {table}");
        drop(tx);
        let mut tx = app.db.db.reporting(w.tenant_a).await.unwrap();
        let err = tx
            .query(&format!("select count(*) from {table}"), &[])
            .await
            .unwrap_err();
        assert!(
            matches!(err, palisade_db::DbError::PermissionDenied),
            "reporting on {table}: {err:?}"
        );
    }
}

#[tokio::test]
async fn dashboard_aggregates_the_tenant_in_the_managers_context() {
    let app = spawn_app().await;
    let body: Value = Client::new(&app, Some(Who::ManagerA))
        .get("/api/v1/dashboard", StatusCode::OK)
        .await;
    let proposal = body["deals_by_stage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "proposal")
        .unwrap();
    assert_eq!(proposal["count"], 2);
    assert_eq!(proposal["amount_cents"], "20000");
    assert_eq!(body["pipeline"][0]["amount_cents"], "20000");
    let activity = body["activity"].as_array().unwrap();
    assert_eq!(
        activity.len(),
        3,
        "rep_a1, rep_a2 and the manager logged interactions: {activity:?}"
    );
    // Tenant B's admin sees only tenant B.
    let body: Value = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/dashboard", StatusCode::OK)
        .await;
    assert_eq!(body["deals_by_stage"][0]["count"], 1);
}
