//! The audit trail, access log, error events and metrics as users of the API meet them.
use std::time::Duration;

use palisade_jobs::{Job, Jobs};
use palisade_mail::Mailer;
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::client::Client;

#[tokio::test]
async fn a_change_records_actor_role_and_request_id_from_the_real_request() {
    let app = spawn_app().await;
    let w = app.world();
    let rep = Client::new(&app, Some(Who::RepA1)).header("x-request-id", "req-audit-0001");
    let path = format!("/api/v1/leads/{}", w.lead_a1);
    rep.patch::<Value>(&path, json!({"status": "qualified"}), StatusCode::OK)
        .await;

    let (manager, admin) = (
        Client::new(&app, Some(Who::ManagerA)),
        Client::new(&app, Some(Who::AdminA)),
    );
    let path = format!("/api/v1/audit/events?table=leads&lead_id={}", w.lead_a1);
    let page: Value = manager.get(&path, StatusCode::OK).await;
    let event = &page["items"][0];
    assert_eq!(event["op"], "UPDATE");
    assert_eq!(event["actor_user_id"], w.rep_a1.to_string());
    assert_eq!(event["actor_role"], "rep");
    assert_eq!(event["actor_kind"], "user");
    assert_eq!(event["correlation_id"], "req-audit-0001");
    assert_eq!(event["lead_id"], w.lead_a1.to_string());
    assert_eq!(event["before"]["status"], "new");
    assert_eq!(event["after"]["status"], "qualified");
    assert_eq!(event["private"], false);

    // Filters: by actor, and a time range that excludes it.
    let path = format!("/api/v1/audit/events?actor_id={}&table=leads", w.rep_a1);
    let by_actor: Value = admin.get(&path, StatusCode::OK).await;
    assert!(by_actor["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor_user_id"] == w.rep_a1.to_string()));
    let old: Value = admin
        .get("/api/v1/audit/events?to=2001-01-01T00:00:00Z", StatusCode::OK)
        .await;
    assert_eq!(old["items"], json!([]));
}

#[tokio::test]
async fn managers_see_deal_events_but_nothing_of_a_reps_drafts() {
    let app = spawn_app().await;
    let w = app.world();
    let rep = Client::new(&app, Some(Who::RepA1));
    let body = json!({"channel": "sms", "body": "Secret pitch"});
    let draft: Value = rep.post("/api/v1/me/drafts", body, StatusCode::CREATED).await;
    let deal = format!("/api/v1/deals/{}", w.deal_a1);
    rep.patch::<Value>(&deal, json!({"stage": "won"}), StatusCode::OK)
        .await;

    for who in [Who::ManagerA, Who::AdminA] {
        let reader = Client::new(&app, Some(who));
        let deals: Value = reader
            .get("/api/v1/audit/events?table=deals", StatusCode::OK)
            .await;
        assert!(deals["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["after"]["stage"] == "won"));
        let drafts: Value = reader
            .get("/api/v1/audit/events?table=drafts", StatusCode::OK)
            .await;
        assert_eq!(
            drafts["items"],
            json!([]),
            "{who:?} must not learn that drafts exist"
        );
        // Page through everything: no private event, no draft id, no draft text.
        let mut cursor = String::new();
        loop {
            let page: Value = reader
                .get(&format!("/api/v1/audit/events?limit=200{cursor}"), StatusCode::OK)
                .await;
            let text = page.to_string();
            assert!(!text.contains(draft["id"].as_str().unwrap()));
            assert!(!text.contains("Secret pitch") && !text.contains("Private draft"));
            assert!(page["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["private"] == false));
            match page["next_cursor"].as_i64() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => break,
            }
        }
    }
    // Reps have no access to the tenant's audit trail.
    rep.get::<Value>("/api/v1/audit/events", StatusCode::FORBIDDEN)
        .await;
}

#[tokio::test]
async fn a_csv_export_is_itself_logged_and_role_changes_reach_the_access_log() {
    let app = spawn_app().await;
    let w = app.world();
    // A CSV download: its headers matter, so the raw response.
    let response = Client::new(&app, Some(Who::ManagerA))
        .header("x-request-id", "req-export-1")
        .request(Method::GET, "/api/v1/audit/events?format=csv&table=deals")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("id,occurred_at,table,op,"), "{csv}");
    assert!(csv.lines().count() >= 3, "header plus the fixture's deals: {csv}");

    let (admin, manager) = (
        Client::new(&app, Some(Who::AdminA)),
        Client::new(&app, Some(Who::ManagerA)),
    );
    let member = format!("/api/v1/members/{}", w.rep_a2);
    admin
        .patch::<Value>(&member, json!({"role": "manager"}), StatusCode::OK)
        .await;

    let log: Value = admin.get("/api/v1/audit/access", StatusCode::OK).await;
    let items = log["items"].as_array().unwrap();
    let export = items
        .iter()
        .find(|e| e["action"] == "audit_export")
        .expect("export logged");
    assert_eq!(export["actor_user_id"], w.manager_a.to_string());
    assert_eq!(export["correlation_id"], "req-export-1");
    assert_eq!(export["client_ip"], "127.0.0.1");
    assert_eq!(export["detail"]["filters"]["table"], "deals");
    assert!(export["detail"]["rows"].as_i64().unwrap() >= 2);
    let role = items
        .iter()
        .find(|e| e["action"] == "role_change")
        .expect("role change logged");
    assert_eq!(role["target_id"], w.rep_a2.to_string());
    assert_eq!(role["detail"]["role"], "manager");
    let filtered: Value = admin
        .get("/api/v1/audit/access?action=role_change", StatusCode::OK)
        .await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);

    // Only admins read the access log; another tenant's admin sees none of it.
    manager
        .get::<Value>("/api/v1/audit/access", StatusCode::FORBIDDEN)
        .await;
    let other: Value = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/audit/access", StatusCode::OK)
        .await;
    assert!(!other.to_string().contains("req-export-1"));
    // Bad input is a clear 422, not a 500.
    for bad in ["format=xml", "table=Deals;drop", "limit=0", "cursor=-1"] {
        // Either status will do, so this reads the raw response.
        let r = manager
            .request(Method::GET, &format!("/api/v1/audit/events?{bad}"))
            .send()
            .await
            .unwrap();
        assert!(r.status() == 400 || r.status() == 422, "{bad}: {}", r.status());
    }
    // A range that holds nothing is no error: it is an empty page.
    let empty: Value = manager
        .get(
            "/api/v1/audit/events?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
            StatusCode::OK,
        )
        .await;
    assert_eq!(empty["items"], serde_json::json!([]));
}

#[tokio::test]
async fn an_induced_5xx_becomes_an_error_event_for_platform_admins_only() {
    let app = spawn_app().await;
    // Break the leads table under the running server: listing leads now fails inside the database.
    let su = app.db.superuser().await;
    su.batch_execute("alter table app.leads rename column source to source_gone")
        .await
        .unwrap();
    let manager = Client::new(&app, Some(Who::ManagerA));
    let body = manager
        .clone()
        .header("x-request-id", "req-boom-1")
        .text(
            Method::GET,
            "/api/v1/leads",
            None,
            StatusCode::INTERNAL_SERVER_ERROR,
        )
        .await;
    assert!(
        !body.contains("source_gone") && !body.contains("42703"),
        "no internals in the body: {body}"
    );

    // Recorded off the request path: wait for it.
    let platform = Client::new(&app, Some(Who::AdminB));
    let mut found = None;
    for _ in 0..100 {
        let events: Value = platform
            .get("/api/v1/platform/error-events?surface=api", StatusCode::OK)
            .await;
        if let Some(e) = events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["correlation_id"] == "req-boom-1")
        {
            found = Some(e.clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let event = found.expect("error event recorded");
    assert_eq!(event["code"], "internal");
    assert_eq!(event["severity"], "error");
    assert_eq!(event["surface"], "api");
    assert!(event["fingerprint"].as_str().unwrap().len() == 64);
    assert!(!event.to_string().contains("source_gone"));

    // A second failure of the same kind counts up instead of adding a row.
    manager
        .get::<Value>("/api/v1/leads", StatusCode::INTERNAL_SERVER_ERROR)
        .await;
    let mut count = 0;
    for _ in 0..100 {
        let events: Value = platform
            .get("/api/v1/platform/error-events?surface=api", StatusCode::OK)
            .await;
        count = events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == event["id"])
            .map_or(0, |e| e["count"].as_i64().unwrap());
        if count == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count, 2);

    // Tenant admins and everyone else: 403, and nothing of the event leaks.
    for who in [Who::AdminA, Who::ManagerA, Who::RepA1] {
        let body = Client::new(&app, Some(who))
            .text(
                Method::GET,
                "/api/v1/platform/error-events",
                None,
                StatusCode::FORBIDDEN,
            )
            .await;
        assert!(!body.contains("req-boom-1"), "{who:?}");
    }
    // The exposition format is text, not JSON.
    let metrics = Client::anonymous(&app)
        .text(Method::GET, "/metrics", None, StatusCode::OK)
        .await;
    assert!(
        metrics.contains(
            "palisade_http_requests_total{route=\"/api/v1/leads\",method=\"GET\",status=\"500\"} 2"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn metrics_report_requests_by_route_template_and_the_audit_chains() {
    let app = spawn_app_with_metrics_token().await;
    let w = app.world();
    let lead = format!("/api/v1/leads/{}", w.lead_a1);
    Client::new(&app, Some(Who::RepA1))
        .get::<Value>(&lead, StatusCode::OK)
        .await;
    let jobs = Jobs::new(
        app.db.db.clone(),
        Mailer::mailbox(std::env::temp_dir(), "Palisade <p@x.test>"),
    );
    assert!(jobs.run_once(Job::AuditSeal).await.unwrap() > 10);

    // The exposition format is text, not JSON.
    let anonymous = Client::anonymous(&app);
    anonymous
        .text(Method::GET, "/metrics", None, StatusCode::UNAUTHORIZED)
        .await;
    let wrong = Client::bearer(&app, "nope");
    wrong
        .text(Method::GET, "/metrics", None, StatusCode::UNAUTHORIZED)
        .await;
    let scraper = Client::bearer(&app, "metrics-secret-token");
    let text = scraper.text(Method::GET, "/metrics", None, StatusCode::OK).await;
    assert!(
        text.contains(
            "palisade_http_requests_total{route=\"/api/v1/leads/{id}\",method=\"GET\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(!text.contains(&w.lead_a1.to_string()), "ids never become labels");
    assert!(text.contains("palisade_http_request_duration_seconds_bucket"));
    assert!(text.contains("palisade_db_pool_connections"));
    assert!(text.contains("palisade_audit_pending_events 0"), "{text}");
    let linked = text
        .lines()
        .find_map(|l| l.strip_prefix("palisade_audit_chain_events "))
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap();
    assert!(linked > 10);
    assert!(text.contains("palisade_webhook_verification_failures"));

    let ready: Value = Client::anonymous(&app).get("/readyz", StatusCode::OK).await;
    assert_eq!(ready["status"], "ready");
}

#[tokio::test]
async fn metrics_on_a_loopback_listener_are_not_served_on_the_public_port() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = palisade_testkit::spawn_app_with(|config| {
        config.metrics.listen = Some(([127, 0, 0, 1], port).into());
    })
    .await;
    let public = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);
    let private = app
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(private.status(), 200);
    assert!(private.text().await.unwrap().contains("palisade_http_requests"));
}

async fn spawn_app_with_metrics_token() -> TestApp {
    palisade_testkit::spawn_app_with(|config| {
        config.metrics.token = Some("metrics-secret-token".to_owned().into());
    })
    .await
}

#[tokio::test]
async fn a_failing_job_becomes_an_error_event_and_a_stalled_sealer_degrades_readiness() {
    let app = spawn_app().await;
    let su = app.db.superuser().await;
    let anonymous = Client::anonymous(&app);
    let ready: Value = anonymous.get("/readyz", StatusCode::OK).await;
    assert_eq!(ready["status"], "ready");

    // The sealer cannot run (its function was revoked): the job fails and says so.
    su.batch_execute("revoke execute on function audit.seal(integer) from app_service")
        .await
        .unwrap();
    let jobs = Jobs::new(
        app.db.db.clone(),
        Mailer::mailbox(std::env::temp_dir(), "Palisade <p@x.test>"),
    );
    assert!(jobs.run_once(Job::AuditSeal).await.is_err());
    let platform = Client::new(&app, Some(Who::AdminB));
    let events: Value = platform
        .get("/api/v1/platform/error-events?surface=job", StatusCode::OK)
        .await;
    let failed = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "job_failed")
        .expect("job failure recorded");
    assert_eq!(failed["severity"], "error");
    let status = &jobs.board().snapshot()[&Job::AuditSeal];
    assert_eq!((status.runs, status.failures, status.last_success), (1, 1, None));

    // An event that has waited ten minutes for the sealer turns readiness to degraded (still 200).
    su.batch_execute(
        "insert into audit.pending (event_id, occurred_at) values (-1, now() - interval '10 minutes')",
    )
    .await
    .unwrap();
    let ready: Value = anonymous.get("/readyz", StatusCode::OK).await;
    assert_eq!(ready["status"], "degraded");
    assert!(
        ready["audit_unsealed_seconds"].as_f64().unwrap() >= 600.0,
        "{ready}"
    );
}
