//! The knowledge base: managers write it, members read and search it, and a search finds the
//! passage that answers a question in other words, and nothing for a question it cannot answer.
use palisade_testkit::Who;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::app_with_model;
use crate::client::{Client, ErrorBody};

#[tokio::test]
async fn managers_write_members_search_and_passages_follow_their_entry() {
    let (app, _fake) = app_with_model().await;
    let manager = Client::new(&app, Some(Who::ManagerA));
    let rep = Client::new(&app, Some(Who::RepA1));
    let doc =
        "# Delivery\nWe deliver within five working days across Europe.\n\n# Returns\nReturns are free \
               within 30 days: print the label from your account.";
    let entry: Value = manager
        .post(
            "/api/v1/knowledge",
            json!({"kind": "document", "title": "Policies", "body": doc}),
            StatusCode::CREATED,
        )
        .await;
    let id = entry["id"].as_str().unwrap();
    let _: ErrorBody = rep
        .post(
            "/api/v1/knowledge",
            json!({"kind": "faq", "title": "x", "body": "y"}),
            StatusCode::FORBIDDEN,
        )
        .await;
    let e: ErrorBody = manager
        .post(
            "/api/v1/knowledge",
            json!({"kind": "faq", "title": "x", "body": "y", "language": "klingon"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(e.code(), "invalid_field");

    let found: Vec<Value> = rep
        .get(
            "/api/v1/knowledge/search?q=Hi!%20How%20do%20I%20return%20something%3F",
            StatusCode::OK,
        )
        .await;
    assert_eq!(found[0]["heading"], "Policies — Returns");
    assert!(found[0]["coverage"].as_f64().unwrap() >= 0.5, "{found:?}");
    let none: Vec<Value> = rep
        .get(
            "/api/v1/knowledge/search?q=Do%20you%20sell%20boats",
            StatusCode::OK,
        )
        .await;
    assert!(none.is_empty(), "{none:?}");
    let e: ErrorBody = rep
        .get("/api/v1/knowledge/search?q=%20", StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert_eq!(e.code(), "invalid_field");

    // A change rebuilds the passages; a deletion takes them.
    let _: Value = manager
        .patch(
            &format!("/api/v1/knowledge/{id}"),
            json!({"body": "# Returns\nNo returns on sale items."}),
            StatusCode::OK,
        )
        .await;
    let found: Vec<Value> = rep
        .get("/api/v1/knowledge/search?q=return%20policy", StatusCode::OK)
        .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["text"], "No returns on sale items.");
    let _: Value = manager
        .delete(&format!("/api/v1/knowledge/{id}"), StatusCode::NO_CONTENT)
        .await;
    let found: Vec<Value> = rep.get("/api/v1/knowledge/search?q=return", StatusCode::OK).await;
    assert!(found.is_empty());
    // Another tenant's entries are not found, by id or by search.
    let theirs: Vec<Value> = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/knowledge/search?q=opening%20hours", StatusCode::OK)
        .await;
    assert!(theirs
        .iter()
        .all(|p| p["entry_id"] != app.world().tenant_a.to_string()));
}
