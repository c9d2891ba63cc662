//! Bad input gets a 4xx with a stable error body, and nothing is written.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};

use crate::{error_code, send};

async fn lead_count(app: &TestApp) -> i64 {
    let su = app.db.superuser().await;
    su.query_one("select count(*) from app.leads", &[])
        .await
        .unwrap()
        .get(0)
}

async fn raw(app: &TestApp, content_type: Option<&str>, body: Vec<u8>) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url("/api/v1/leads"))
        .bearer_auth(app.token(Who::RepA1).unwrap())
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn malformed_wrong_type_oversized_and_unknown_fields_are_refused_without_writing() {
    let app = spawn_app().await;
    let before = lead_count(&app).await;

    let r = raw(&app, Some("application/json"), b"{\"name\": ".to_vec()).await;
    assert_eq!(r.status(), 400);
    assert_eq!(error_code(r).await, "malformed_json");

    let r = raw(
        &app,
        Some("application/json"),
        b"{\"name\":\"a\"} trailing".to_vec(),
    )
    .await;
    assert_eq!(r.status(), 400);

    let r = raw(&app, Some("text/plain"), b"{\"name\":\"a\"}".to_vec()).await;
    assert_eq!(r.status(), 415);
    assert_eq!(error_code(r).await, "unsupported_media_type");

    let r = raw(&app, None, b"{\"name\":\"a\"}".to_vec()).await;
    assert_eq!(r.status(), 415);

    let big = format!("{{\"name\":\"{}\"}}", "x".repeat(200 * 1024));
    let r = raw(&app, Some("application/json"), big.into_bytes()).await;
    assert_eq!(r.status(), 413);
    assert_eq!(error_code(r).await, "payload_too_large");

    let r = raw(
        &app,
        Some("application/json"),
        b"{\"name\":\"a\",\"colour\":\"red\"}".to_vec(),
    )
    .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_body");
    assert!(body["error"]["message"].as_str().unwrap().contains("colour"));

    let r = raw(
        &app,
        Some("application/json"),
        b"{\"name\":\"a\",\"status\":\"+15551234567\"}".to_vec(),
    )
    .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("5551234567"),
        "error bodies never echo values: {text}"
    );

    let r = raw(&app, Some("application/json"), b"[]".to_vec()).await;
    assert_eq!(r.status(), 422);

    let r = raw(&app, Some("application/json"), b"{\"name\":\"   \"}".to_vec()).await;
    assert_eq!(r.status(), 422);

    assert_eq!(
        lead_count(&app).await,
        before,
        "a refused request wrote something"
    );
}

#[tokio::test]
async fn mass_assignment_of_tenant_owner_and_role_is_rejected() {
    let app = spawn_app().await;
    let w = app.world().clone();
    let before = lead_count(&app).await;

    // tenant_id is never accepted.
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "x", "tenant_id": w.tenant_b})),
    )
    .await;
    assert_eq!(r.status(), 422);
    // A rep cannot give a lead to someone else.
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "x", "owner_id": w.rep_a2})),
    )
    .await;
    assert_eq!(r.status(), 403);
    // Nor reassign their own.
    let path = format!("/api/v1/leads/{}", w.lead_a1);
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::PATCH,
        &path,
        Some(json!({"owner_id": w.rep_a2})),
    )
    .await;
    assert_eq!(r.status(), 403);
    // Nor change the id or tenant of a record.
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::PATCH,
        &path,
        Some(json!({"id": w.lead_a2})),
    )
    .await;
    assert_eq!(r.status(), 422);
    // A manager may reassign within the tenant, but not to a removed member or a stranger.
    let r = send(
        &app,
        Some(Who::ManagerA),
        Method::PATCH,
        &path,
        Some(json!({"owner_id": w.removed_a})),
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = send(
        &app,
        Some(Who::ManagerA),
        Method::PATCH,
        &path,
        Some(json!({"owner_id": w.admin_b})),
    )
    .await;
    assert!(r.status() == 403 || r.status() == 422, "{}", r.status());
    let r = send(
        &app,
        Some(Who::ManagerA),
        Method::PATCH,
        &path,
        Some(json!({"owner_id": w.rep_a2})),
    )
    .await;
    assert_eq!(r.status(), 200);
    // role: only admins, only through the members endpoint; never in a tenant body.
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/tenants",
        Some(json!({"slug": "mine", "name": "x", "role": "admin"})),
    )
    .await;
    assert_eq!(r.status(), 422);
    let member = format!("/api/v1/members/{}", w.rep_a1);
    let r = send(
        &app,
        Some(Who::ManagerA),
        Method::PATCH,
        &member,
        Some(json!({"role": "admin"})),
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::PATCH,
        &member,
        Some(json!({"role": "owner"})),
    )
    .await;
    assert_eq!(r.status(), 422);
    // Rep-private records always belong to the caller.
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/me/drafts",
        Some(json!({"channel": "sms", "body": "b", "owner_id": w.rep_a2})),
    )
    .await;
    assert_eq!(r.status(), 422);

    assert_eq!(lead_count(&app).await, before);
    let su = app.db.superuser().await;
    let role: String = su
        .query_one(
            "select role from app.memberships where user_id = $1",
            &[w.rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(role, "rep");
}

#[tokio::test]
async fn bad_ids_queries_and_routes_get_clear_errors() {
    let app = spawn_app().await;
    let w = app.world().clone();
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        "/api/v1/leads/not-a-uuid",
        None,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(error_code(r).await, "invalid_path");
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        "/api/v1/leads?limit=5000",
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        "/api/v1/leads?colour=red",
        None,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(error_code(r).await, "invalid_query");
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        "/api/v1/leads?owner_id=nope",
        None,
    )
    .await;
    assert_eq!(r.status(), 400);
    let r = send(&app, Some(Who::RepA1), Method::GET, "/api/v1/nothing-here", None).await;
    assert_eq!(r.status(), 404);
    assert_eq!(error_code(r).await, "not_found");
    let r = send(&app, Some(Who::RepA1), Method::PUT, "/api/v1/leads", None).await;
    assert_eq!(r.status(), 405);
    assert_eq!(error_code(r).await, "method_not_allowed");
    let unknown = uuid::Uuid::now_v7();
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        &format!("/api/v1/deals/{unknown}"),
        None,
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/deals",
        Some(json!({"lead_id": unknown, "title": "x"})),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert_eq!(error_code(r).await, "unknown_lead");
    // Someone else's lead reads exactly like one that does not exist (no existence oracle).
    for lead in [w.lead_a2, unknown] {
        let body = json!({"channel": "sms", "body": "b", "lead_id": lead});
        let r = send(
            &app,
            Some(Who::RepA1),
            Method::POST,
            "/api/v1/me/drafts",
            Some(body),
        )
        .await;
        assert_eq!(r.status(), 422);
        assert_eq!(error_code(r).await, "unknown_lead");
        let body = json!({"lead_id": lead, "title": "x"});
        let r = send(&app, Some(Who::RepA1), Method::POST, "/api/v1/deals", Some(body)).await;
        assert_eq!(r.status(), 422);
        assert_eq!(error_code(r).await, "unknown_lead");
    }
    let body = json!({"lead_id": w.lead_a1, "title": "x", "amount_cents": i64::MAX});
    let r = send(&app, Some(Who::RepA1), Method::POST, "/api/v1/deals", Some(body)).await;
    assert_eq!(r.status(), 422);
    assert_eq!(error_code(r).await, "invalid_amount");
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/tenants",
        Some(json!({"slug": "tenant-a", "name": "dup"})),
    )
    .await;
    assert_eq!(r.status(), 409);
    assert_eq!(error_code(r).await, "slug_taken");
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/tenants",
        Some(json!({"slug": "Bad Slug!", "name": "x"})),
    )
    .await;
    assert_eq!(r.status(), 422);
}
