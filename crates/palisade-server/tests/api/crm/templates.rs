//! Message templates: managers write them, everyone in the tenant uses them, placeholders are checked
//! when saved and filled when a message is queued (the consent guard still decides), and a message
//! keeps its text when its template changes or goes.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};

use crate::send;

async fn call(app: &TestApp, who: Who, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let r = send(app, Some(who), method, path, body).await;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

#[tokio::test]
async fn managers_write_templates_with_checked_placeholders() {
    let app = spawn_app().await;
    let good = json!({"name": "Appointment", "channel": "sms", "purpose": "service",
                      "body": "Hi {{ lead.first_name }}, see you at {{time}}. {{sender.name}}, {{tenant.name}}"});
    let (status, body) = call(
        &app,
        Who::RepA1,
        Method::POST,
        "/api/v1/templates",
        Some(good.clone()),
    )
    .await;
    assert_eq!((status, code(&body)), (403, Some("forbidden")));
    let (status, created) = call(
        &app,
        Who::ManagerA,
        Method::POST,
        "/api/v1/templates",
        Some(good.clone()),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["variables"], json!(["time"]));
    let (status, body) = call(
        &app,
        Who::AdminA,
        Method::POST,
        "/api/v1/templates",
        Some(json!({"name": "APPOINTMENT", "channel": "sms", "purpose": "service", "body": "x"})),
    )
    .await;
    assert_eq!((status, code(&body)), (409, Some("name_taken")));

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
        let (status, body) = call(
            &app,
            Who::ManagerA,
            Method::POST,
            "/api/v1/templates",
            Some(bad.clone()),
        )
        .await;
        assert_eq!(status, 422, "{bad} → {body}");
        if expected != "invalid_json" {
            assert_eq!(code(&body), Some(expected), "{bad}");
        }
    }
    // A text template longer than one text can be sent is refused when saved.
    let (status, _) = call(
        &app,
        Who::ManagerA,
        Method::POST,
        "/api/v1/templates",
        Some(json!({"name": "a", "channel": "sms", "purpose": "service", "body": "x".repeat(1601)})),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = call(
        &app,
        Who::ManagerA,
        Method::POST,
        "/api/v1/templates",
        Some(json!({"name": "a", "channel": "sms", "purpose": "service", "body": "Hi", "tenant_id": app.world().tenant_b})),
    )
    .await;
    assert_eq!(status, 422, "tenant_id is not assignable");

    // Everyone reads them; a rep may not change or delete one; another tenant does not see it.
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/templates/{id}");
    let (status, list) = call(&app, Who::RepA2, Method::GET, "/api/v1/templates", None).await;
    assert_eq!(status, 200);
    assert!(list.as_array().unwrap().iter().any(|t| t["id"] == id));
    assert_eq!(
        call(&app, Who::RepA1, Method::PUT, &path, Some(good.clone()))
            .await
            .0,
        403
    );
    assert_eq!(call(&app, Who::RepA1, Method::DELETE, &path, None).await.0, 403);
    assert_eq!(call(&app, Who::AdminB, Method::GET, &path, None).await.0, 404);
    assert_eq!(call(&app, Who::AdminB, Method::DELETE, &path, None).await.0, 404);
    let (status, changed) = call(
        &app,
        Who::AdminA,
        Method::PUT,
        &path,
        Some(json!({"name": "Appointment", "channel": "sms", "purpose": "service", "body": "At {{time}} on {{day}}"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(changed["variables"], json!(["day", "time"]));
}

/// Grants `lead` SMS consent for `purpose` as its owner, rep_a1.
async fn grant(app: &TestApp, lead: &str, purpose: &str) {
    let (status, _) = call(
        app,
        Who::RepA1,
        Method::POST,
        &format!("/api/v1/leads/{lead}/consents"),
        Some(json!({"channel": "sms", "purpose": purpose, "form_version": "web-1"})),
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_message_from_a_template_is_filled_in_and_keeps_its_text() {
    let app = spawn_app().await;
    let w = app.world();
    let (status, lead) = call(
        &app,
        Who::RepA1,
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "Jane Q. Doe", "phone": "+14155550142"})),
    )
    .await;
    assert_eq!(status, 201);
    let lead = lead["id"].as_str().unwrap().to_owned();
    let (_, template) = call(
        &app,
        Who::ManagerA,
        Method::POST,
        "/api/v1/templates",
        Some(
            json!({"name": "Appointment", "channel": "sms", "purpose": "service",
                    "body": "Hi {{lead.first_name}}, see you at {{time}}. {{tenant.name}}"}),
        ),
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
    let (status, body) = call(
        &app,
        Who::RepA1,
        Method::POST,
        "/api/v1/messages",
        Some(queue(json!({"time": "10:00"}), json!({}))),
    )
    .await;
    assert_eq!((status, code(&body)), (409, Some("consent_required")));
    grant(&app, &lead, "service").await;

    for (variables, extra, expected) in [
        (json!({}), json!({}), "missing_variable"),
        (
            json!({"time": "10:00", "place": "here"}),
            json!({}),
            "unknown_variable",
        ),
        (json!({"time": "x".repeat(501)}), json!({}), "invalid_field"),
        (
            json!({"time": "10:00"}),
            json!({"channel": "email"}),
            "template_mismatch",
        ),
        (
            json!({"time": "10:00"}),
            json!({"purpose": "marketing"}),
            "template_mismatch",
        ),
        (json!({"time": "10:00"}), json!({"body": "Mine"}), "invalid_field"),
    ] {
        let (status, body) = call(
            &app,
            Who::RepA1,
            Method::POST,
            "/api/v1/messages",
            Some(queue(variables.clone(), extra.clone())),
        )
        .await;
        assert_eq!(
            (status, code(&body)),
            (422, Some(expected)),
            "{variables} {extra}"
        );
    }
    // Another tenant's template is unknown here.
    let (status, body) = call(
        &app,
        Who::RepA1,
        Method::POST,
        "/api/v1/messages",
        Some(json!({"lead_id": lead, "template_id": w.template_b, "variables": {}})),
    )
    .await;
    assert_eq!((status, code(&body)), (422, Some("unknown_template")));
    // Without a template, channel, purpose and body are required; variables need a template.
    let (status, body) = call(
        &app,
        Who::RepA1,
        Method::POST,
        "/api/v1/messages",
        Some(json!({"lead_id": lead, "channel": "sms", "purpose": "service", "body": "Hi", "variables": {"a": "b"}})),
    )
    .await;
    assert_eq!((status, code(&body)), (422, Some("invalid_field")));
    let (status, _) = call(
        &app,
        Who::RepA1,
        Method::POST,
        "/api/v1/messages",
        Some(json!({"lead_id": lead, "channel": "sms", "purpose": "service"})),
    )
    .await;
    assert_eq!(status, 422);

    // A card number given as a value is masked like any body.
    let (status, message) = call(
        &app,
        Who::RepA1,
        Method::POST,
        "/api/v1/messages",
        Some(queue(
            json!({"time": "10:00, card 4111 1111 1111 1111"}),
            json!({"channel": "sms"}),
        )),
    )
    .await;
    assert_eq!(status, 201, "{message}");
    assert_eq!(
        message["body"],
        "Hi Jane, see you at 10:00, card **** **** **** 1111. tenant-a"
    );
    assert_eq!(message["purpose"], "service");
    assert_eq!(message["template_id"], template.as_str());

    // Deleting the template leaves the message as it was sent.
    let r = send(
        &app,
        Some(Who::ManagerA),
        Method::DELETE,
        &format!("/api/v1/templates/{template}"),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    let (_, kept) = call(
        &app,
        Who::RepA1,
        Method::GET,
        &format!("/api/v1/messages/{}", message["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(kept["body"], message["body"]);
    assert!(kept["template_id"].is_null());
}
