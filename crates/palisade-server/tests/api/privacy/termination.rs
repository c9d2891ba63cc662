//! Ending a tenant, end to end: confirmed by its slug, it closes at once for every member and every
//! webhook; during the grace period its admins — and nobody else — download the company export or
//! cancel; after it the `terminations` job purges every row, and a `pg_dump` then holds no trace of a
//! subject planted everywhere, while the suppressions stay and every audit chain verifies.
use palisade_core::audit::verify::verify;
use palisade_jobs::{Job, Jobs};
use palisade_testkit::{spawn_app, TestApp, TwilioSender, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{dump, plant_subject, seal_audit, traces_in, NAME, NUMBER};
use crate::client::{Client, ErrorBody};
use crate::sign_in::api_sign_in;

const PATH: &str = "/api/v1/privacy/termination";

fn jobs(app: &TestApp) -> Jobs {
    Jobs::new(
        app.db.db.clone(),
        palisade_mail::Mailer::mailbox(std::env::temp_dir(), "Palisade <p@x.test>"),
    )
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let w = app.world();
    let su = app.db.superuser().await;
    su.query_one(sql, &[w.tenant_a.as_uuid()]).await.unwrap().get(0)
}

#[tokio::test]
async fn an_ended_tenant_closes_at_once_exports_in_its_grace_period_then_leaves_no_trace() {
    let app = spawn_app().await;
    let w = app.world();
    let tenant = w.tenant_a.to_string();
    plant_subject(&app).await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    seal_audit(&app).await;
    assert!(!traces_in(&dump(&app)).is_empty());
    let suppressions = count(&app, "select count(*) from app.suppressions where tenant_id = $1").await;
    assert!(suppressions >= 1);

    let session = api_sign_in(&app, "admin-a@a.test").await;
    let admin =
        Client::bearer(&app, session["access_token"].as_str().unwrap()).header("x-palisade-tenant", &tenant);
    let refused: ErrorBody = admin
        .post(
            PATH,
            json!({"confirm_slug": "tenant-b"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(refused.code(), "confirmation_mismatch");
    let manager = Client::new(&app, Some(Who::ManagerA));
    manager
        .post::<ErrorBody>(PATH, json!({"confirm_slug": "tenant-a"}), StatusCode::FORBIDDEN)
        .await;
    let operator = Client::new(&app, Some(Who::AdminA));
    let no_session: ErrorBody = operator
        .post(PATH, json!({"confirm_slug": "tenant-a"}), StatusCode::FORBIDDEN)
        .await;
    assert_eq!(no_session.code(), "no_session");
    let started: Value = admin
        .post(PATH, json!({"confirm_slug": "tenant-a"}), StatusCode::CREATED)
        .await;
    assert_eq!(started["status"], "terminating");
    let at = |k: &str| {
        started[k]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    assert_eq!(at("purge_after") - at("requested_at"), chrono::Duration::days(30));
    // Its outbox stops: the text queued for the subject will not go, even if the end is canceled.
    let queued = "select count(*) from app.outbound_messages where tenant_id = $1 and status = 'queued'";
    assert_eq!(count(&app, queued).await, 0);
    let blocked = "select count(*) from app.outbound_messages where tenant_id = $1 and status = 'blocked' \
                   and last_error = 'the tenant was ended before it was sent'";
    assert!(count(&app, blocked).await >= 1);

    // Closed at once: for members, for its admins acting in it, for a provider's webhook.
    let rep = Client::new(&app, Some(Who::RepA1));
    rep.get::<ErrorBody>("/api/v1/leads", StatusCode::FORBIDDEN).await;
    admin
        .get::<ErrorBody>("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    operator
        .get::<ErrorBody>("/api/v1/dashboard", StatusCode::FORBIDDEN)
        .await;
    let interactions = "select count(*) from app.interactions where tenant_id = $1";
    let before = count(&app, interactions).await;
    let inbound = twilio
        .inbound_sms(&app, *w.tenant_a.as_uuid(), "SM7e2d0c1a", NUMBER, "Anyone there?")
        .await;
    assert!(inbound.status().is_client_error(), "{}", inbound.status());
    assert_eq!(count(&app, interactions).await, before);

    // Its admins see the termination and download the export; nobody else learns of it.
    let seen: Value = admin.get(PATH, StatusCode::OK).await;
    assert_eq!(seen["id"], started["id"]);
    rep.get::<ErrorBody>(PATH, StatusCode::NOT_FOUND).await;
    let admin_b = Client::bearer(&app, app.token_for(w.admin_b, None)).header("x-palisade-tenant", &tenant);
    admin_b.get::<ErrorBody>(PATH, StatusCode::NOT_FOUND).await;
    admin_b.delete::<ErrorBody>(PATH, StatusCode::NOT_FOUND).await;
    admin_b
        .get::<ErrorBody>(&format!("{PATH}/export"), StatusCode::NOT_FOUND)
        .await;
    rep.get::<ErrorBody>(&format!("{PATH}/export/leads"), StatusCode::NOT_FOUND)
        .await;
    let manifest: Value = admin.get(&format!("{PATH}/export"), StatusCode::OK).await;
    let leads = manifest["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "leads")
        .unwrap();
    assert!(leads["rows"].as_i64().unwrap() >= 2, "{manifest}");
    let exported = admin
        .text(Method::GET, &format!("{PATH}/export/leads"), None, StatusCode::OK)
        .await;
    assert!(exported.contains(NAME) && exported.contains(NUMBER), "{exported}");
    let csv = admin
        .text(
            Method::GET,
            &format!("{PATH}/export/deals?format=csv"),
            None,
            StatusCode::OK,
        )
        .await;
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("tenant_id,id,lead_id") && csv.contains("\"Roof for "),
        "{csv}"
    );
    let logged = "select count(*) from audit.access_events where tenant_id = $1 and action = 'data_export' \
                  and detail ->> 'by' is not null";
    assert_eq!(count(&app, logged).await, 2);

    // Canceled: everyone is back; nothing is left to cancel.
    let canceled: Value = admin.delete(PATH, StatusCode::OK).await;
    assert_eq!(canceled["canceled"], true);
    rep.get::<Value>("/api/v1/leads", StatusCode::OK).await;
    admin.delete::<ErrorBody>(PATH, StatusCode::NOT_FOUND).await;

    // Ended again; the job waits for the grace period, then purges.
    admin
        .post::<Value>(PATH, json!({"confirm_slug": "tenant-a"}), StatusCode::CREATED)
        .await;
    let jobs = jobs(&app);
    assert_eq!(jobs.run_once(Job::Terminations).await.unwrap(), 0);
    let su = app.db.superuser().await;
    su.execute(
        "update app.terminations set requested_at = requested_at - interval '31 days', \
         purge_after = purge_after - interval '31 days' where tenant_id = $1 and canceled_at is null",
        &[w.tenant_a.as_uuid()],
    )
    .await
    .unwrap();
    assert!(jobs.run_once(Job::Terminations).await.unwrap() > 100);
    admin.get::<ErrorBody>(PATH, StatusCode::NOT_FOUND).await;
    admin.delete::<ErrorBody>(PATH, StatusCode::NOT_FOUND).await;
    rep.get::<ErrorBody>("/api/v1/leads", StatusCode::FORBIDDEN).await;

    seal_audit(&app).await;
    let dumped = dump(&app);
    assert_eq!(
        traces_in(&dumped),
        Vec::<&str>::new(),
        "a trace of the subject survived the purge"
    );
    assert!(
        !dumped.contains("tenant-a"),
        "the tenant's slug survived the purge"
    );
    assert_eq!(
        count(&app, "select count(*) from app.suppressions where tenant_id = $1").await,
        suppressions
    );
    let reports = verify(&su, None).await.unwrap();
    assert!(reports.iter().all(|r| r.broken.is_none()), "{reports:?}");
    // The other tenant is untouched.
    let leads: Value = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/leads", StatusCode::OK)
        .await;
    assert!(leads.to_string().contains(&w.lead_b1.to_string()), "{leads}");
}
