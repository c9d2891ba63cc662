//! Incidents as users of the API meet them: declared by a platform admin, each affected tenant's admins
//! told once (through the mailbox, Resend or SMTP), and read back by those admins alone.
use palisade_jobs::{Job, Jobs};
use palisade_mail::Mailer;
use palisade_testkit::{spawn_app, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::client::Client;

#[tokio::test]
async fn incidents_notify_the_affected_tenants_admins_once() {
    let app = spawn_app().await;
    let w = app.world();
    let platform = Client::new(&app, Some(Who::AdminB));
    let body = json!({"title": "Credential leak", "description": "Rotated keys", "severity": "high",
                      "tenant_ids": [w.tenant_a, w.tenant_b]});
    let incident: Value = platform
        .post("/api/v1/platform/incidents", body, StatusCode::CREATED)
        .await;
    assert_eq!(incident["tenants"].as_array().unwrap().len(), 2);
    assert_eq!(incident["overdue"], false);
    let deadline =
        chrono::DateTime::parse_from_rfc3339(incident["notify_deadline"].as_str().unwrap()).unwrap();
    let declared_at =
        chrono::DateTime::parse_from_rfc3339(incident["declared_at"].as_str().unwrap()).unwrap();
    assert_eq!(deadline - declared_at, chrono::Duration::hours(72));

    let unknown =
        json!({"title": "t", "description": "d", "severity": "low", "tenant_ids": [uuid::Uuid::new_v4()]});
    platform
        .post::<Value>("/api/v1/platform/incidents", unknown, StatusCode::NOT_FOUND)
        .await;

    let mailbox = tempfile::tempdir().unwrap();
    let jobs = Jobs::new(
        app.db.db.clone(),
        Mailer::mailbox(mailbox.path().to_path_buf(), "Palisade <p@x.test>"),
    );
    // The fixture's incidents (one for tenant A, one for tenant B) and this one (tenants A and B): four
    // notices, then none.
    assert_eq!(jobs.run_once(Job::IncidentNotices).await.unwrap(), 4);
    assert_eq!(jobs.run_once(Job::IncidentNotices).await.unwrap(), 0);
    let mails: Vec<String> = std::fs::read_dir(mailbox.path())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(mails.len(), 4);
    let to_a: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("Credential leak") && m.contains("To: admin-a@a.test"))
        .collect();
    assert_eq!(to_a.len(), 1, "{mails:?}");
    assert!(!to_a[0].contains("manager-a@a.test") && !to_a[0].contains("rep-a1@a.test"));

    let list: Value = platform.get("/api/v1/platform/incidents", StatusCode::OK).await;
    let ours = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == incident["id"])
        .unwrap();
    assert!(ours["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["notified_at"].is_string() && t["recipients"] == 1));
    let resolve = format!(
        "/api/v1/platform/incidents/{}/resolve",
        incident["id"].as_str().unwrap()
    );
    let resolved: Value = platform.post_empty(&resolve, StatusCode::OK).await;
    assert_eq!(resolved["status"], "resolved");

    // Tenant A's admins read the two that named tenant A, as their notices told them, and nothing of
    // the other tenants affected; managers read none.
    let admin = Client::new(&app, Some(Who::AdminA));
    let seen: Value = admin.get("/api/v1/audit/incidents", StatusCode::OK).await;
    let items = seen["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{seen}");
    assert_eq!(items[0]["id"], incident["id"], "newest first");
    assert_eq!(items[0]["status"], "resolved");
    assert!(items.iter().all(|i| i["notified_at"].is_string()));
    assert!(!seen.to_string().contains("tenant B only") && items[0].get("tenants").is_none());
    let first: Value = admin.get("/api/v1/audit/incidents?limit=1", StatusCode::OK).await;
    let next = format!(
        "/api/v1/audit/incidents?limit=1&cursor={}",
        first["next_cursor"].as_str().unwrap()
    );
    let second: Value = admin.get(&next, StatusCode::OK).await;
    assert_eq!(second["items"][0]["id"], items[1]["id"]);
    assert!(second["next_cursor"].is_null());
    Client::new(&app, Some(Who::ManagerA))
        .get::<Value>("/api/v1/audit/incidents", StatusCode::FORBIDDEN)
        .await;
}

#[tokio::test]
async fn incident_notices_go_through_resend_and_a_provider_failure_keeps_them_pending() {
    let app = spawn_app().await;
    let resend = palisade_testkit::FakeResend::start().await;
    let mailer = Mailer::resend(
        &resend.base_url,
        "re_test_key".to_owned().into(),
        "Palisade <p@x.test>",
    )
    .unwrap();
    let jobs = Jobs::new(app.db.db.clone(), mailer);

    // The provider fails first: the job fails, records an error event, and the notice stays pending.
    resend.respond_with(500);
    assert!(jobs.run_once(Job::IncidentNotices).await.is_err());
    let platform = Client::new(&app, Some(Who::AdminB));
    let pending: Value = platform.get("/api/v1/platform/incidents", StatusCode::OK).await;
    assert!(pending[0]["tenants"][0]["notified_at"].is_null(), "{pending}");
    let events: Value = platform
        .get("/api/v1/platform/error-events?surface=job", StatusCode::OK)
        .await;
    assert!(events
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["code"] == "job_failed"));

    // Then it recovers: the fixture incidents reach tenant A's admin and tenant B's, once each.
    resend.respond_with(200);
    assert_eq!(jobs.run_once(Job::IncidentNotices).await.unwrap(), 2);
    assert_eq!(jobs.run_once(Job::IncidentNotices).await.unwrap(), 0);
    let received = resend.received();
    assert_eq!(received.len(), 3, "one failed attempt, two accepted");
    let sent = received[1..]
        .iter()
        .find(|r| r.body["to"] == json!(["admin-a@a.test"]))
        .expect("tenant A's notice");
    assert_eq!(sent.authorization.as_deref(), Some("Bearer re_test_key"));
    assert_eq!(sent.body["to"], json!(["admin-a@a.test"]));
    assert_eq!(sent.body["from"], "Palisade <p@x.test>");
    assert!(sent.body["subject"]
        .as_str()
        .unwrap()
        .contains("Fixture incident"));
    // The retry carried the same idempotency key, so the provider can drop a duplicate.
    assert!(received[1..]
        .iter()
        .any(|r| r.idempotency_key == received[0].idempotency_key));
    assert!(sent.idempotency_key.as_deref().unwrap().starts_with("incident-"));
    let done: Value = platform.get("/api/v1/platform/incidents", StatusCode::OK).await;
    assert_eq!(done[0]["tenants"][0]["recipients"], 1);
}

#[tokio::test]
async fn incident_notices_go_through_smtp() {
    let app = spawn_app().await;
    let smtp = palisade_testkit::FakeSmtp::start().await;
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let mailer = Mailer::smtp(&url.into(), "Palisade <p@x.test>").unwrap();
    let jobs = Jobs::new(app.db.db.clone(), mailer);
    // The fixture's two incidents: one for tenant A's admin, one for tenant B's.
    assert_eq!(jobs.run_once(Job::IncidentNotices).await.unwrap(), 2);
    let received = smtp.received();
    assert_eq!(received.len(), 2);
    let to_a = received
        .iter()
        .find(|m| m.to == vec!["<admin-a@a.test>".to_owned()])
        .expect("tenant A's notice");
    assert_eq!(to_a.from, "<p@x.test>");
    assert!(
        to_a.data
            .contains("Subject: [Palisade] Security incident: Fixture incident"),
        "{}",
        to_a.data
    );
    assert!(to_a.data.contains("To: admin-a@a.test"), "{}", to_a.data);
    // Plain-text SMTP to another host is refused at start.
    let refused = Mailer::smtp(&"smtp://u:pw@mail.example.com:25".to_owned().into(), "p@x.test").unwrap_err();
    assert!(!refused.to_string().contains("pw"), "{refused}");
}
