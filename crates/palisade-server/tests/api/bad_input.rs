//! Bad input gets a 4xx with a stable error body, and nothing is written.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};
use crate::error_code;

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
    let (rep, manager) = (
        Client::new(&app, Some(Who::RepA1)),
        Client::new(&app, Some(Who::ManagerA)),
    );
    let before = lead_count(&app).await;

    // tenant_id is never accepted.
    let body = json!({"name": "x", "tenant_id": w.tenant_b});
    rep.post::<Value>("/api/v1/leads", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    // A rep cannot give a lead to someone else.
    let body = json!({"name": "x", "owner_id": w.rep_a2});
    rep.post::<Value>("/api/v1/leads", body, StatusCode::FORBIDDEN)
        .await;
    // Nor reassign their own.
    let path = format!("/api/v1/leads/{}", w.lead_a1);
    rep.patch::<Value>(&path, json!({"owner_id": w.rep_a2}), StatusCode::FORBIDDEN)
        .await;
    // Nor change the id or tenant of a record.
    rep.patch::<Value>(&path, json!({"id": w.lead_a2}), StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    // A manager may reassign within the tenant, but not to a removed member or a stranger.
    manager
        .patch::<Value>(&path, json!({"owner_id": w.removed_a}), StatusCode::FORBIDDEN)
        .await;
    // Either refusal will do for a stranger, so this one reads the raw status.
    let r = manager
        .request(Method::PATCH, &path)
        .json(&json!({"owner_id": w.admin_b}))
        .send()
        .await
        .unwrap();
    assert!(r.status() == 403 || r.status() == 422, "{}", r.status());
    manager
        .patch::<Value>(&path, json!({"owner_id": w.rep_a2}), StatusCode::OK)
        .await;
    // role: only admins, only through the members endpoint; never in a tenant body.
    let body = json!({"slug": "mine", "name": "x", "role": "admin"});
    rep.post::<Value>("/api/v1/tenants", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let member = format!("/api/v1/members/{}", w.rep_a1);
    manager
        .patch::<Value>(&member, json!({"role": "admin"}), StatusCode::FORBIDDEN)
        .await;
    let admin = Client::new(&app, Some(Who::AdminA));
    admin
        .patch::<Value>(
            &member,
            json!({"role": "owner"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    // Rep-private records always belong to the caller.
    let body = json!({"channel": "sms", "body": "b", "owner_id": w.rep_a2});
    rep.post::<Value>("/api/v1/me/drafts", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;

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
    let rep = Client::new(&app, Some(Who::RepA1));
    let e: ErrorBody = rep.get("/api/v1/leads/not-a-uuid", StatusCode::BAD_REQUEST).await;
    assert_eq!(e.code(), "invalid_path");
    rep.get::<Value>("/api/v1/leads?limit=5000", StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let e: ErrorBody = rep.get("/api/v1/leads?colour=red", StatusCode::BAD_REQUEST).await;
    assert_eq!(e.code(), "invalid_query");
    rep.get::<Value>("/api/v1/leads?owner_id=nope", StatusCode::BAD_REQUEST)
        .await;
    let e: ErrorBody = rep.get("/api/v1/nothing-here", StatusCode::NOT_FOUND).await;
    assert_eq!(e.code(), "not_found");
    let e: ErrorBody = rep
        .send(Method::PUT, "/api/v1/leads", None, StatusCode::METHOD_NOT_ALLOWED)
        .await;
    assert_eq!(e.code(), "method_not_allowed");
    let unknown = uuid::Uuid::now_v7();
    rep.get::<Value>(&format!("/api/v1/deals/{unknown}"), StatusCode::NOT_FOUND)
        .await;
    let body = json!({"lead_id": unknown, "title": "x"});
    let e: ErrorBody = rep.post("/api/v1/deals", body, StatusCode::NOT_FOUND).await;
    assert_eq!(e.code(), "unknown_lead");
    // Someone else's lead reads exactly like one that does not exist (no existence oracle).
    for lead in [w.lead_a2, unknown] {
        let body = json!({"channel": "sms", "body": "b", "lead_id": lead});
        let e: ErrorBody = rep.post("/api/v1/me/drafts", body, StatusCode::NOT_FOUND).await;
        assert_eq!(e.code(), "unknown_lead");
        let body = json!({"lead_id": lead, "title": "x"});
        let e: ErrorBody = rep.post("/api/v1/deals", body, StatusCode::NOT_FOUND).await;
        assert_eq!(e.code(), "unknown_lead");
    }
    let body = json!({"lead_id": w.lead_a1, "title": "x", "amount_cents": i64::MAX});
    let e: ErrorBody = rep
        .post("/api/v1/deals", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert_eq!(e.code(), "invalid_amount");
    let body = json!({"slug": "tenant-a", "name": "dup"});
    let e: ErrorBody = rep.post("/api/v1/tenants", body, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "slug_taken");
    let body = json!({"slug": "Bad Slug!", "name": "x"});
    rep.post::<Value>("/api/v1/tenants", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
}

/// Long documented fields get a larger body limit, after authentication, and still a limit; an array
/// where an object belongs is refused, and an integer written `2.0` is the integer 2.
#[tokio::test]
async fn large_bodies_arrays_and_whole_number_floats() {
    let app = spawn_app().await;
    let w = app.world();
    let post = |body: Vec<u8>, token: Option<String>| {
        let mut req = app
            .client
            .post(app.url("/api/v1/interactions"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let rep = || app.token(Who::RepA1);
    // A transcript-sized note (120 KB once escaped) passes the general 64 KiB limit here.
    let note = "\u{e9}".repeat(20_000);
    let body = json!({"lead_id": w.lead_a1, "channel": "note", "direction": "internal", "body": note});
    let r = post(body.to_string().into_bytes(), rep()).await.unwrap();
    assert_eq!(r.status(), 201);
    let huge = format!("{{\"body\":\"{}\"}}", "x".repeat(2 * 1024 * 1024 + 10));
    let r = post(huge.clone().into_bytes(), rep()).await.unwrap();
    assert_eq!(r.status(), 413);
    // Without a credential the body is never read: 401 first.
    let r = post(huge.into_bytes(), None).await.unwrap();
    assert_eq!(r.status(), 401);

    let r = raw(&app, Some("application/json"), b"[\"Ann\", null]".to_vec()).await;
    assert_eq!(r.status(), 422);
    assert_eq!(error_code(r).await, "invalid_body");
    let r = raw(&app, Some("application/json"), b"[1, ".to_vec()).await;
    assert_eq!(r.status(), 400);

    let leads: Value = Client::new(&app, Some(Who::RepA1))
        .post("/api/v1/leads/search", json!({"limit": 2.0}), StatusCode::OK)
        .await;
    assert!(leads["items"].as_array().unwrap().len() <= 2);
}
