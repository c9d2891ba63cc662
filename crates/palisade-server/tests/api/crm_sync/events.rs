//! HubSpot's events and erasures both ways, and what goes back: a verified event brings the sync
//! forward; `contact.privacyDeletion` erases the linked lead (suppressed, receipt "via HubSpot");
//! an erasure here sends HubSpot's GDPR delete once enabled; a marked interaction becomes a note.
use palisade_testkit::{FakeHubspot, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{app_with_hubspot, connect_private_app, count, run_sync, PORTAL};
use crate::client::Client;

const SECRET: &str = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";

/// The webhook's integration, and a synced contact owned by rep-a1: (contact id, lead id).
async fn synced(app: &TestApp, fake: &FakeHubspot) -> (u64, String) {
    let _: Value = Client::new(app, Some(Who::AdminA))
        .put(
            "/api/v1/integrations/hubspot",
            json!({"secrets": {"client_secret": SECRET}}),
            StatusCode::OK,
        )
        .await;
    connect_private_app(app, fake).await;
    let owner = fake.add_owner("rep-a1@a.test");
    let contact = fake.add(
        "contacts",
        &[
            ("firstname", "Erin"),
            ("email", "erin@example.com"),
            ("phone", "+14155550177"),
            ("hubspot_owner_id", &owner.to_string()),
        ],
    );
    run_sync(app).await;
    let su = app.db.superuser().await;
    let lead: uuid::Uuid = su
        .query_one(
            "select id from app.leads where hubspot_id = $1",
            &[&(contact as i64)],
        )
        .await
        .unwrap()
        .get(0);
    (contact, lead.to_string())
}

async fn deliver(app: &TestApp, events: Value) {
    let path = format!("/webhooks/hubspot/{}", app.world().tenant_a);
    let body = events.to_string();
    let ts = chrono::Utc::now().timestamp_millis().to_string();
    let signature =
        palisade_webhooks::hubspot::sign_v3(SECRET.as_bytes(), "POST", &app.url(&path), body.as_bytes(), &ts);
    Client::anonymous(app)
        .header("x-hubspot-request-timestamp", &ts)
        .header("x-hubspot-signature-v3", &signature)
        .post_raw::<Value>(&path, body.into_bytes(), StatusCode::NO_CONTENT)
        .await;
}

#[tokio::test]
async fn an_event_brings_the_sync_forward_and_a_privacy_deletion_erases_the_lead() {
    let (app, fake) = app_with_hubspot().await;
    let (contact, lead) = synced(&app, &fake).await;
    let due = "select count(*) from app.crm_sync_runs where tenant_id = $1 and next_run_at <= now()";
    assert_eq!(count(&app, due).await, 0, "the next run is minutes away");
    // An event of another HubSpot account (or naming none) is recorded and does nothing.
    let other = |id: u64, kind: &str, portal: Option<u64>| {
        let mut e = json!({"eventId": id, "subscriptionType": kind, "objectId": contact});
        if let Some(p) = portal {
            e["portalId"] = json!(p);
        }
        json!([e])
    };
    deliver(&app, other(1, "contact.propertyChange", Some(1))).await;
    deliver(&app, other(9, "contact.privacyDeletion", Some(1))).await;
    deliver(&app, other(10, "contact.privacyDeletion", None)).await;
    assert_eq!(count(&app, due).await, 0);
    let from_hubspot = "select count(*) from app.erasures where tenant_id = $1 and requested_via = 'hubspot'";
    assert_eq!(count(&app, from_hubspot).await, 0);
    deliver(&app, other(11, "contact.propertyChange", Some(PORTAL))).await;
    assert_eq!(count(&app, due).await, 1, "brought forward");

    deliver(&app, other(2, "contact.privacyDeletion", Some(PORTAL))).await;
    // Redelivered: no second erasure.
    deliver(&app, other(2, "contact.privacyDeletion", Some(PORTAL))).await;
    let admin = Client::new(&app, Some(Who::AdminA));
    let receipts: Value = admin.get("/api/v1/privacy/erasures", StatusCode::OK).await;
    let items: Vec<&Value> = receipts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["requested_via"] == "hubspot")
        .collect();
    assert_eq!(items.len(), 1, "{receipts}");
    assert_eq!(items[0]["requested_via"], "hubspot");
    assert!(items[0]["requested_by"].is_null());
    let _: Value = Client::bearer(&app, super::CRON)
        .post_empty("/internal/cron/erasures", StatusCode::OK)
        .await;
    let _: Value = admin
        .get(&format!("/api/v1/leads/{lead}"), StatusCode::NOT_FOUND)
        .await;
    assert_eq!(
        count(
            &app,
            "select count(*) from app.suppressions where tenant_id = $1 and reason = 'erasure'"
        )
        .await,
        3,
        "the number (SMS, WhatsApp) and the address stay suppressed"
    );
    // HubSpot erased it: nothing is sent back.
    run_sync(&app).await;
    assert!(fake.gdpr_deleted().is_empty());
}

#[tokio::test]
async fn an_erasure_here_reaches_hubspot_only_when_the_tenant_enabled_it() {
    let (app, fake) = app_with_hubspot().await;
    let (contact, lead) = synced(&app, &fake).await;
    let second = fake.add(
        "contacts",
        &[("firstname", "Kept"), ("email", "kept@example.com")],
    );
    run_sync(&app).await;
    let admin = Client::new(&app, Some(Who::AdminA));
    // Off (the default): the lead goes here only.
    let _: Value = admin
        .post(
            "/api/v1/privacy/erasures",
            json!({"email": "kept@example.com"}),
            StatusCode::CREATED,
        )
        .await;
    run_sync(&app).await;
    assert!(fake.gdpr_deleted().is_empty());
    assert!(fake.records("contacts").contains_key(&second));

    let _: Value = admin
        .patch(
            "/api/v1/crm/hubspot",
            json!({"gdpr_delete": true}),
            StatusCode::OK,
        )
        .await;
    let receipt: Value = admin
        .post(
            "/api/v1/privacy/erasures",
            json!({"lead_id": lead}),
            StatusCode::CREATED,
        )
        .await;
    let queued = receipt["tables"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["table"] == "app.crm_outbox");
    assert!(queued, "the receipt says HubSpot's delete was queued: {receipt}");
    run_sync(&app).await;
    assert_eq!(fake.gdpr_deleted(), vec![contact]);
    run_sync(&app).await;
    assert_eq!(fake.gdpr_deleted().len(), 1, "sent once");
    assert_eq!(
        count(
            &app,
            "select count(*) from app.crm_outbox where tenant_id = $1 and kind = 'gdpr_delete' and status <> 'skipped'"
        )
        .await,
        0,
        "the contact's id leaves once HubSpot confirmed"
    );
}

#[tokio::test]
async fn a_rep_marks_an_interaction_and_it_becomes_one_note_on_the_contact() {
    let (app, fake) = app_with_hubspot().await;
    let (contact, lead) = synced(&app, &fake).await;
    let rep = Client::new(&app, Some(Who::RepA1));
    let logged: Value = rep
        .post(
            "/api/v1/interactions",
            json!({"lead_id": lead, "channel": "call", "direction": "outbound", "body": "Agreed on a renewal"}),
            StatusCode::CREATED,
        )
        .await;
    let id = logged["id"].as_str().unwrap();
    let mark: Value = rep
        .post(
            &format!("/api/v1/interactions/{id}/crm"),
            json!({}),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(mark["status"], "pending");
    let again: Value = rep
        .post(
            &format!("/api/v1/interactions/{id}/crm"),
            json!({}),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(again["error"]["code"], "already_marked");
    // Another rep cannot see, or mark, it.
    let _: Value = Client::new(&app, Some(Who::RepA2))
        .post(
            &format!("/api/v1/interactions/{id}/crm"),
            json!({}),
            StatusCode::NOT_FOUND,
        )
        .await;
    // A lead HubSpot does not know cannot take a note.
    let local: Value = rep
        .post(
            "/api/v1/interactions",
            json!({"lead_id": app.world().lead_a1, "channel": "note", "direction": "internal", "body": "x"}),
            StatusCode::CREATED,
        )
        .await;
    let refused: Value = rep
        .post(
            &format!("/api/v1/interactions/{}/crm", local["id"].as_str().unwrap()),
            json!({}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(refused["error"]["code"], "lead_not_in_crm");

    run_sync(&app).await;
    run_sync(&app).await;
    let notes = fake.records("notes");
    assert_eq!(notes.len(), 1);
    let (note, props) = notes.iter().next().unwrap();
    assert!(props["hs_note_body"].contains("Agreed on a renewal"));
    assert_eq!(fake.associated("notes", *note, "contacts"), vec![contact]);
    let done: Value = rep
        .get(&format!("/api/v1/interactions/{id}/crm"), StatusCode::OK)
        .await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["remote_id"], *note);

    // A deal made here goes to HubSpot on the contact; with write-back off, nothing more does.
    let deal: Value = rep
        .post(
            "/api/v1/deals",
            json!({"lead_id": lead, "title": "Renewal", "amount_cents": 50000}),
            StatusCode::CREATED,
        )
        .await;
    run_sync(&app).await;
    let deals = fake.records("deals");
    let (hs_deal, props) = deals
        .iter()
        .find(|(_, p)| p.get("palisade_deal_id").map(String::as_str) == deal["id"].as_str())
        .unwrap();
    assert_eq!(props["amount"], "500.00");
    assert_eq!(fake.associated("deals", *hs_deal, "contacts"), vec![contact]);
    let _: Value = Client::new(&app, Some(Who::AdminA))
        .patch(
            "/api/v1/crm/hubspot",
            json!({"write_back": false}),
            StatusCode::OK,
        )
        .await;
    let _: Value = rep
        .patch(
            &format!("/api/v1/deals/{}", deal["id"].as_str().unwrap()),
            json!({"title": "Renewal 2"}),
            StatusCode::OK,
        )
        .await;
    run_sync(&app).await;
    assert_eq!(fake.records("deals")[hs_deal]["dealname"], "Renewal");
}

#[tokio::test]
async fn a_rep_sends_an_interaction_to_hubspot_from_the_lead_page() {
    let (app, fake) = app_with_hubspot().await;
    let (_, lead) = synced(&app, &fake).await;
    let a = app.world().tenant_a;
    let logged: Value = Client::new(&app, Some(Who::RepA1))
        .post(
            "/api/v1/interactions",
            json!({"lead_id": lead, "channel": "meeting", "direction": "internal", "body": "Visited the site"}),
            StatusCode::CREATED,
        )
        .await;
    let id = logged["id"].as_str().unwrap();
    let (rep, csrf) = crate::sign_in::browser_sign_in(&app, "rep-a1@a.test").await;
    let path = format!("/t/{a}/leads/{lead}");
    let html = crate::web::page(&app, &rep, &path).await.text().await.unwrap();
    assert!(html.contains("Send to HubSpot"), "{html}");
    let r = crate::web::post_form(
        &app,
        &rep,
        &format!("{path}/interactions/{id}/crm"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(crate::web::location(&r), format!("{path}?done=crm"));
    let html = crate::web::page(&app, &rep, &format!("{path}?done=crm"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Queued for HubSpot"), "{html}");
    // Another tenant's admin does not reach the lead.
    let (other, other_csrf) = crate::sign_in::browser_sign_in(&app, "admin-b@b.test").await;
    let r = crate::web::post_form(
        &app,
        &other,
        &format!("{path}/interactions/{id}/crm"),
        &[("csrf", &other_csrf)],
    )
    .await;
    assert_eq!(r.status(), 404);
    run_sync(&app).await;
    let html = crate::web::page(&app, &rep, &path).await.text().await.unwrap();
    assert!(html.contains("In HubSpot"), "{html}");
}
