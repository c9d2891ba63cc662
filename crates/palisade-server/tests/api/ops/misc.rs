//! Operational behaviour: readiness, request ids, security headers, OpenAPI, pagination, TLS.
use palisade_testkit::{spawn_app, spawn_app_with, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::Client;

#[tokio::test]
async fn health_readiness_and_security_headers() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(r.headers()[name], value, "{name}");
    }
    // Exactly the API's policy (pages set their own; nothing else may loosen it), on an answer and
    // on the fallback 404 alike.
    let unknown = app.client.get(app.url("/no/such/route")).send().await.unwrap();
    for headers in [r.headers(), unknown.headers()] {
        assert_eq!(
            headers["content-security-policy"],
            "default-src 'none'; frame-ancestors 'none'"
        );
        assert_eq!(headers["referrer-policy"], "no-referrer");
    }
    assert!(
        r.headers().get("strict-transport-security").is_none(),
        "HSTS only over TLS"
    );
    // Readiness reflects the migrations: an edited history is not ready.
    let su = app.db.superuser().await;
    su.batch_execute("update palisade_meta.schema_migrations set checksum = 'x' where version = 1")
        .await
        .unwrap();
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated_and_sanitised() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert!(!r.headers()["x-request-id"].is_empty());
    let long = "x".repeat(300);
    let r = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", &long)
        .send()
        .await
        .unwrap();
    assert_ne!(r.headers()["x-request-id"], long.as_str());
    // Errors carry it too.
    let r = app
        .client
        .get(app.url("/api/v1/leads"))
        .header("x-request-id", "err-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["x-request-id"], "err-1");
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_describes_errors_and_auth() {
    let app = spawn_app().await;
    let doc: Value = Client::anonymous(&app)
        .get("/api/v1/openapi.json", StatusCode::OK)
        .await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["paths"]["/api/v1/leads/{id}"]["get"].is_object());
}

#[tokio::test]
async fn lists_page_by_keyset_and_filter() {
    let app = spawn_app().await;
    let w = app.world().clone();
    let rep = Client::new(&app, Some(Who::RepA1));
    for i in 0..5 {
        let lead = json!({"name": format!("L{i}"), "status": "qualified"});
        rep.post::<Value>("/api/v1/leads", lead, StatusCode::CREATED)
            .await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/leads?limit=2&status=qualified".to_owned();
    loop {
        let page: Value = rep.get(&path, StatusCode::OK).await;
        for item in page["items"].as_array().unwrap() {
            seen.push(item["name"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/leads?limit=2&status=qualified&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["L4", "L3", "L2", "L1", "L0"], "newest first, each once");
    // The manager filters by owner.
    let manager = Client::new(&app, Some(Who::ManagerA));
    let page: Value = manager
        .get(&format!("/api/v1/leads?owner_id={}", w.rep_a2), StatusCode::OK)
        .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], json!(w.lead_a2));
}

#[tokio::test]
async fn tls_serving_sends_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let app = spawn_app_with(|c| {
        c.server.tls_cert = Some(cert_path.clone());
        c.server.tls_key = Some(key_path.clone());
    })
    .await;
    let r = app
        .client
        .get(format!("https://{}/healthz", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    // Plain HTTP on the TLS port does not get an answer.
    assert!(app
        .client
        .get(format!("http://{}/healthz", app.addr))
        .send()
        .await
        .map(|r| !r.status().is_success())
        .unwrap_or(true));
}

#[tokio::test]
async fn clients_over_the_rate_limit_get_429_with_retry_after() {
    let app = spawn_app_with(|c| {
        c.server.rate_limit_per_second = 1;
        c.server.rate_limit_burst = 3;
    })
    .await;
    let token = app.token(Who::RepA1).unwrap();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let r = app
            .client
            .get(app.url("/api/v1/leads"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert!(
                r.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
                    >= 1
            );
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["error"]["code"], "rate_limited");
        }
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "{statuses:?}");
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    // Health probes are never limited.
    for _ in 0..5 {
        assert_eq!(
            app.client.get(app.url("/healthz")).send().await.unwrap().status(),
            200
        );
    }
}
