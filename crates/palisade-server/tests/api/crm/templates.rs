//! Message templates: managers write them, everyone in the tenant uses them, placeholders are checked
//! when saved and filled when a message is queued (the consent guard still decides), and a message
//! keeps its text when its template changes or goes.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};

#[tokio::test]
async fn managers_write_templates_with_checked_placeholders() {
    let app = spawn_app().await;
    let rep = Client::new(&app, Some(Who::RepA1));
    let manager = Client::new(&app, Some(Who::ManagerA));
    let admin = Client::new(&app, Some(Who::AdminA));
    let other = Client::new(&app, Some(Who::AdminB));
    let good = json!({"name": "Appointment", "channel": "sms", "purpose": "service",
                      "body": "Hi {{ lead.first_name }}, see you at {{time}}. {{sender.name}}, {{tenant.name}}"});
    let e: ErrorBody = rep.post("/api/v1/templates", &good, StatusCode::FORBIDDEN).await;
    assert_eq!(e.code(), "forbidden");
    let created: Value = manager
        .post("/api/v1/templates", &good, StatusCode::CREATED)
        .await;
    assert_eq!(created["variables"], json!(["time"]));
    let e: ErrorBody = admin
        .post(
            "/api/v1/templates",
            json!({"name": "APPOINTMENT", "channel": "sms", "purpose": "service", "body": "x"}),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(e.code(), "name_taken");

    for (bad, expected) in [
        (
            json!({"name": "a", "channel": "sms", "purpose": "service", "body": "Hi {{lead.phone}}"}),
            "invalid_template",
        ),
        (
            json!({"name": "a", "channel": "sms", "purpose": "service", "body": "Hi {{name"}),
            "invalid_template",
        ),
        (
            json!({"name": "a", "channel": "email", "purpose": "service", "body": "Hi"}),
            "invalid_field",
        ),
        (
            json!({"name": "a", "channel": "sms", "purpose": "service", "subject": "S", "body": "Hi"}),
            "invalid_field",
        ),
        (
            json!({"name": "a", "channel": "email", "purpose": "service", "subject": "{{x", "body": "Hi"}),
            "invalid_template",
        ),
        (
            json!({"name": "", "channel": "sms", "purpose": "service", "body": "Hi"}),
            "invalid_field",
        ),
        (
            json!({"name": "a", "channel": "fax", "purpose": "service", "body": "Hi"}),
            "invalid_json",
        ),
    ] {
        // Read as text: a body the JSON extractor refuses need not be JSON.
        let text = manager
            .text(
                Method::POST,
                "/api/v1/templates",
                Some(bad.clone()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if expected != "invalid_json" {
            assert_eq!(body["error"]["code"].as_str(), Some(expected), "{bad}");
        }
    }
    // A text template longer than one text can be sent is refused when saved.
    manager
        .text(
            Method::POST,
            "/api/v1/templates",
            Some(json!({"name": "a", "channel": "sms", "purpose": "service", "body": "x".repeat(1601)})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    // tenant_id is not assignable.
    manager
        .text(
            Method::POST,
            "/api/v1/templates",
            Some(json!({"name": "a", "channel": "sms", "purpose": "service", "body": "Hi", "tenant_id": app.world().tenant_b})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;

    // Everyone reads them; a rep may not change or delete one; another tenant does not see it.
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/templates/{id}");
    let list: Value = Client::new(&app, Some(Who::RepA2))
        .get("/api/v1/templates", StatusCode::OK)
        .await;
    assert!(list.as_array().unwrap().iter().any(|t| t["id"] == id));
    let _: Value = rep.put(&path, &good, StatusCode::FORBIDDEN).await;
    let _: Value = rep.delete(&path, StatusCode::FORBIDDEN).await;
    let _: Value = other.get(&path, StatusCode::NOT_FOUND).await;
    let _: Value = other.delete(&path, StatusCode::NOT_FOUND).await;
    let changed: Value = admin
        .put(
            &path,
            json!({"name": "Appointment", "channel": "sms", "purpose": "service", "body": "At {{time}} on {{day}}"}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(changed["variables"], json!(["day", "time"]));
}

/// Grants `lead` SMS consent for `purpose` as its owner, rep_a1.
async fn grant(app: &TestApp, lead: &str, purpose: &str) {
    let _: Value = Client::new(app, Some(Who::RepA1))
        .post(
            &format!("/api/v1/leads/{lead}/consents"),
            json!({"channel": "sms", "purpose": purpose, "form_version": "web-1"}),
            StatusCode::CREATED,
        )
        .await;
}

#[tokio::test]
async fn a_message_from_a_template_is_filled_in_and_keeps_its_text() {
    let app = spawn_app().await;
    let w = app.world();
    let rep = Client::new(&app, Some(Who::RepA1));
    let manager = Client::new(&app, Some(Who::ManagerA));
    let lead: Value = rep
        .post(
            "/api/v1/leads",
            json!({"name": "Jane Q. Doe", "phone": "+14155550142"}),
            StatusCode::CREATED,
        )
        .await;
    let lead = lead["id"].as_str().unwrap().to_owned();
    let template: Value = manager
        .post(
            "/api/v1/templates",
            json!({"name": "Appointment", "channel": "sms", "purpose": "service",
                    "body": "Hi {{lead.first_name}}, see you at {{time}}. {{tenant.name}}"}),
            StatusCode::CREATED,
        )
        .await;
    let template = template["id"].as_str().unwrap().to_owned();
    let queue = |variables: Value, extra: Value| {
        let mut body = json!({"lead_id": lead, "template_id": template, "variables": variables});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };

    // The consent guard still decides.
    let e: ErrorBody = rep
        .post(
            "/api/v1/messages",
            queue(json!({"time": "10:00"}), json!({})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(e.code(), "consent_required");
    grant(&app, &lead, "service").await;

    // What does not fit the template is a conflict with it (409); a malformed request is 422.
    let conflict = StatusCode::CONFLICT;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    for (variables, extra, expected, status) in [
        (json!({}), json!({}), "missing_variable", conflict),
        (
            json!({"time": "10:00", "place": "here"}),
            json!({}),
            "unknown_variable",
            conflict,
        ),
        (
            json!({"time": "x".repeat(501)}),
            json!({}),
            "invalid_field",
            invalid,
        ),
        (
            json!({"time": "10:00"}),
            json!({"channel": "email"}),
            "template_mismatch",
            conflict,
        ),
        (
            json!({"time": "10:00"}),
            json!({"purpose": "marketing"}),
            "template_mismatch",
            conflict,
        ),
        (
            json!({"time": "10:00"}),
            json!({"body": "Mine"}),
            "invalid_field",
            invalid,
        ),
    ] {
        let e: ErrorBody = rep
            .post(
                "/api/v1/messages",
                queue(variables.clone(), extra.clone()),
                status,
            )
            .await;
        assert_eq!(e.code(), expected, "{variables} {extra}");
    }
    // Another tenant's template is unknown here.
    let e: ErrorBody = rep
        .post(
            "/api/v1/messages",
            json!({"lead_id": lead, "template_id": w.template_b, "variables": {}}),
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(e.code(), "unknown_template");
    // Without a template, channel, purpose and body are required; variables need a template.
    let e: ErrorBody = rep
        .post(
            "/api/v1/messages",
            json!({"lead_id": lead, "channel": "sms", "purpose": "service", "body": "Hi", "variables": {"a": "b"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(e.code(), "invalid_field");
    rep.text(
        Method::POST,
        "/api/v1/messages",
        Some(json!({"lead_id": lead, "channel": "sms", "purpose": "service"})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // A card number given as a value is masked like any body.
    let message: Value = rep
        .post(
            "/api/v1/messages",
            queue(
                json!({"time": "10:00, card 4111 1111 1111 1111"}),
                json!({"channel": "sms"}),
            ),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(
        message["body"],
        "Hi Jane, see you at 10:00, card **** **** **** 1111. tenant-a"
    );
    assert_eq!(message["purpose"], "service");
    assert_eq!(message["template_id"], template.as_str());

    // Deleting the template leaves the message as it was sent.
    let () = manager
        .delete(&format!("/api/v1/templates/{template}"), StatusCode::NO_CONTENT)
        .await;
    let kept: Value = rep
        .get(
            &format!("/api/v1/messages/{}", message["id"].as_str().unwrap()),
            StatusCode::OK,
        )
        .await;
    assert_eq!(kept["body"], message["body"]);
    assert!(kept["template_id"].is_null());
}
