//! Subject access export: the planted subject's data comes back whole to an admin of their tenant,
//! without credentials, blind indexes, sealed values or the rep's private notes; nobody else gets it,
//! and another tenant learns nothing.
use palisade_testkit::{spawn_app, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{admin, plant_subject, EMAIL, NAME, NUMBER};
use crate::client::{Client, ErrorBody};

const PATH: &str = "/api/v1/privacy/subject-exports";

fn records<'a>(export: &'a Value, table: &str) -> &'a Vec<Value> {
    export["leads"][0]["records"][table].as_array().unwrap()
}

#[tokio::test]
async fn an_admin_gets_everything_held_about_a_subject_and_the_read_is_logged() {
    let app = spawn_app().await;
    let lead = plant_subject(&app).await;
    // The address as the subject might write it: case does not matter.
    let export: Value = admin(&app)
        .post(PATH, json!({"email": EMAIL.to_uppercase()}), StatusCode::OK)
        .await;
    assert_eq!(export["subject"], "email");
    assert_eq!(export["tenant_id"], json!(app.world().tenant_a));
    assert_eq!(export["purposes"].as_array().unwrap().len(), 3);
    let leads = export["leads"].as_array().unwrap();
    assert_eq!(leads.len(), 1);
    assert_eq!(leads[0]["lead"]["id"], json!(lead));
    assert_eq!(leads[0]["lead"]["name"], NAME);
    assert_eq!(
        leads[0]["lead"]["phone"], NUMBER,
        "the number is opened for the export"
    );
    assert_eq!(leads[0]["lead"]["source"], "Zebulon's referral");
    let bodies: Vec<&str> = records(&export, "app.interactions")
        .iter()
        .map(|i| i["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.len(), 2, "the call note and the inbound text: {bodies:?}");
    assert!(bodies.iter().any(|b| b.starts_with("This is Zebulon")));
    assert_eq!(
        records(&export, "app.deals")[0]["title"],
        format!("Roof for {NAME}")
    );
    assert_eq!(
        records(&export, "app.outbound_messages")[0]["body"],
        "Hi Zebulon, your quote is ready"
    );
    let consent = &records(&export, "app.consent_events")[0];
    assert_eq!(consent["action"], "grant");
    assert_eq!(consent["form_version"], "web-3", "the evidence comes with it");
    assert!(consent["consent_text_sha256"].is_string());
    let history = leads[0]["history"].as_array().unwrap();
    let created = &history[0];
    assert_eq!(
        (created["table"].as_str(), created["op"].as_str()),
        (Some("leads"), Some("INSERT"))
    );
    assert_eq!(created["actor_role"], "rep");
    assert!(history
        .iter()
        .any(|e| e["actor_kind"] == "service" && e["purpose"] == "webhook"));
    assert_eq!(export["suppressions"], json!([]));

    // Never: blind indexes, sealed values, credentials, or the rep's own drafts and coaching.
    let text = export.to_string();
    for absent in [
        "phone_sealed",
        "phone_index",
        "email_index",
        "book the survey",
        "warmed to the survey",
    ] {
        assert!(!text.contains(absent), "{absent} is in the export");
    }
    let su = app.db.superuser().await;
    let logged: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'data_export' and actor_user_id = $1 \
             and target_type = 'subject' and target_id = $2",
            &[app.world().admin_a.as_uuid(), &lead.to_string()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn after_erasure_only_the_suppressions_remain() {
    let app = spawn_app().await;
    plant_subject(&app).await;
    admin(&app)
        .post::<Value>(
            "/api/v1/privacy/erasures",
            json!({"phone": NUMBER}),
            StatusCode::CREATED,
        )
        .await;
    let export: Value = admin(&app)
        .post(PATH, json!({"phone": NUMBER}), StatusCode::OK)
        .await;
    assert_eq!(export["leads"], json!([]));
    let suppressed: Vec<(&str, &str)> = export["suppressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["channel"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(suppressed.len(), 2, "{suppressed:?}");
    assert!(suppressed.contains(&("sms", "erasure")) && suppressed.contains(&("whatsapp", "erasure")));
}

#[tokio::test]
async fn only_the_subject_s_tenant_admins_may_export_and_others_learn_nothing() {
    let app = spawn_app().await;
    let lead = plant_subject(&app).await;
    for who in [Who::RepA1, Who::ManagerA] {
        Client::new(&app, Some(who))
            .post::<ErrorBody>(PATH, json!({"lead_id": lead}), StatusCode::FORBIDDEN)
            .await;
    }
    Client::anonymous(&app)
        .post::<ErrorBody>(PATH, json!({"lead_id": lead}), StatusCode::UNAUTHORIZED)
        .await;
    let other = Client::new(&app, Some(Who::AdminB));
    let e: ErrorBody = other
        .post(PATH, json!({"lead_id": lead}), StatusCode::NOT_FOUND)
        .await;
    assert_eq!(e.code(), "not_found");
    // By number or address, tenant B holds nothing: the same answer as for anyone unknown.
    for subject in [json!({"phone": NUMBER}), json!({"email": EMAIL})] {
        let export: Value = other.post(PATH, &subject, StatusCode::OK).await;
        assert_eq!(
            (&export["leads"], &export["suppressions"]),
            (&json!([]), &json!([]))
        );
    }
    let e: ErrorBody = admin(&app)
        .post(
            PATH,
            json!({"phone": NUMBER, "email": EMAIL}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(e.code(), "invalid_subject");
}

#[tokio::test]
async fn a_lead_deleted_but_not_erased_is_exported_from_what_is_still_held() {
    let app = spawn_app().await;
    let lead = plant_subject(&app).await;
    Client::new(&app, Some(Who::ManagerA))
        .delete::<Value>(&format!("/api/v1/leads/{lead}"), StatusCode::NO_CONTENT)
        .await;
    for subject in [json!({"lead_id": lead}), json!({"email": EMAIL})] {
        let export: Value = admin(&app).post(PATH, &subject, StatusCode::OK).await;
        let leads = export["leads"].as_array().unwrap();
        assert_eq!(leads.len(), 1, "{subject}");
        assert_eq!(leads[0]["id"], json!(lead));
        assert!(leads[0]["lead"].is_null());
        assert_eq!(
            records(&export, "app.consent_events").len(),
            1,
            "consent evidence is kept"
        );
        let history = leads[0]["history"].as_array().unwrap();
        let deleted = history
            .iter()
            .find(|e| e["table"] == "leads" && e["op"] == "DELETE")
            .unwrap();
        assert_eq!(deleted["before"]["name"], NAME);
    }
}
