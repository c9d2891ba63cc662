//! Review and send: a person's own drafts only; saving edits; sending through the consent-gated
//! outbox, where a refusal says why and changes nothing.
use palisade_testkit::{TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};

use super::{location, page, post_form};
use crate::send;
use crate::sign_in::browser_sign_in;

async fn api(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let r = send(app, Some(Who::RepA1), method, path, body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A lead of rep A1 with a number, and a text draft to it.
pub(super) async fn lead_and_draft(app: &TestApp) -> (String, String) {
    let (_, lead) = api(
        app,
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "Ada Lovelace", "phone": "+1 415 555 0100"})),
    )
    .await;
    let lead = lead["id"].as_str().unwrap().to_owned();
    let body = json!({"lead_id": lead, "channel": "sms", "body": "Your quote is ready"});
    let (status, draft) = api(app, Method::POST, "/api/v1/me/drafts", Some(body)).await;
    assert_eq!(status, 201);
    (lead, draft["id"].as_str().unwrap().to_owned())
}

async fn messages(app: &TestApp, lead: &str) -> Vec<Value> {
    let (_, page) = api(
        app,
        Method::GET,
        &format!("/api/v1/messages?lead_id={lead}"),
        None,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn drafts_are_the_visitors_own_and_a_refused_send_changes_nothing() {
    let app = palisade_testkit::spawn_app().await;
    let a = app.world().tenant_a;
    let (lead, draft) = lead_and_draft(&app).await;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;

    let list = page(&app, &rep, &format!("/t/{a}/drafts"))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(&draft) && list.contains(&app.world().draft_a1.to_string()));
    assert!(
        !list.contains(&app.world().draft_a2.to_string()),
        "another rep's draft"
    );
    let (manager, manager_csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    let theirs = page(&app, &manager, &format!("/t/{a}/drafts"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !theirs.contains(&draft) && !theirs.contains("Private draft"),
        "a manager sees no rep's drafts"
    );
    for path in [
        format!("/t/{a}/drafts/{draft}"),
        format!("/t/{a}/drafts/{}", app.world().draft_a2),
    ] {
        assert_eq!(page(&app, &manager, &path).await.status(), 404, "{path}");
    }

    // No opt-in: 409, the reason in words, the edits kept in the form but not saved, nothing queued.
    let path = format!("/t/{a}/drafts/{draft}");
    let fields = [
        ("csrf", csrf.as_str()),
        ("channel", "sms"),
        ("purpose", "marketing"),
        ("body", "Edited quote"),
        ("action", "send"),
    ];
    let refused = post_form(&app, &rep, &path, &fields).await;
    assert_eq!(refused.status(), 409);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("has not opted in") && html.contains(">Edited quote</textarea>"),
        "{html}"
    );
    let (_, stored) = api(&app, Method::GET, &format!("/api/v1/me/drafts/{draft}"), None).await;
    assert_eq!(stored["body"], "Your quote is ready");
    assert!(messages(&app, &lead).await.is_empty());

    // Another person's draft cannot be changed or sent through the page either.
    assert_eq!(
        post_form(&app, &manager, &path, &fields).await.status(),
        403,
        "not their form token"
    );
    let mut theirs = fields;
    theirs[0] = ("csrf", manager_csrf.as_str());
    assert_eq!(post_form(&app, &manager, &path, &theirs).await.status(), 404);
    assert_eq!(
        api(&app, Method::GET, &format!("/api/v1/me/drafts/{draft}"), None)
            .await
            .1["body"],
        "Your quote is ready"
    );
    assert!(messages(&app, &lead).await.is_empty());
}

#[tokio::test]
async fn saving_keeps_the_edits_and_sending_queues_the_message_and_removes_the_draft() {
    let app = palisade_testkit::spawn_app().await;
    let a = app.world().tenant_a;
    let (lead, draft) = lead_and_draft(&app).await;
    let consent = json!({"channel": "sms", "purpose": "service", "source": "form", "form_version": "web-3",
                         "consent_text": "Yes, text me about my quote."});
    assert_eq!(
        api(
            &app,
            Method::POST,
            &format!("/api/v1/leads/{lead}/consents"),
            Some(consent)
        )
        .await
        .0,
        201
    );
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let path = format!("/t/{a}/drafts/{draft}");

    let empty = post_form(
        &app,
        &rep,
        &path,
        &[
            ("csrf", &csrf),
            ("channel", "sms"),
            ("body", " "),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.unwrap().contains(r#"id="body-error""#));

    let saved = post_form(
        &app,
        &rep,
        &path,
        &[
            ("csrf", &csrf),
            ("channel", "sms"),
            ("body", "Quote 2"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(location(&saved), format!("{path}?saved=1"));
    assert_eq!(
        api(&app, Method::GET, &format!("/api/v1/me/drafts/{draft}"), None)
            .await
            .1["body"],
        "Quote 2"
    );

    // Sending asks what the message is for: no default purpose.
    let unchosen = [
        ("csrf", csrf.as_str()),
        ("channel", "sms"),
        ("body", "Quote 3"),
        ("action", "send"),
    ];
    let r = post_form(&app, &rep, &path, &unchosen).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(r#"id="purpose-error""#));
    assert!(messages(&app, &lead).await.is_empty());

    let fields = [
        ("csrf", csrf.as_str()),
        ("channel", "sms"),
        ("purpose", "service"),
        ("body", "Quote 3"),
        ("action", "send"),
    ];
    let sent = post_form(&app, &rep, &path, &fields).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(location(&sent), format!("/t/{a}/leads/{lead}?sent=1"));
    let queued = messages(&app, &lead).await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["body"], "Quote 3");
    assert_eq!(
        api(&app, Method::GET, &format!("/api/v1/me/drafts/{draft}"), None)
            .await
            .0,
        404
    );
    // The same form again (a double click, the back button): said so, and nothing more is sent.
    let again = post_form(&app, &rep, &path, &fields).await;
    assert_eq!(again.status(), 404);
    assert!(again.text().await.unwrap().contains("it was sent or deleted"));
    assert_eq!(messages(&app, &lead).await.len(), 1);
}

#[tokio::test]
async fn a_new_draft_is_written_for_a_lead() {
    let app = palisade_testkit::spawn_app().await;
    let a = app.world().tenant_a;
    let lead = app.world().lead_a1;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let html = page(&app, &rep, &format!("/t/{a}/drafts/new?lead={lead}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!(r#"name="lead" value="{lead}""#)), "{html}");
    let lead = lead.to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("lead", &lead),
        ("channel", "email"),
        ("subject", "Hello"),
        ("body", "Hi there"),
        ("action", "save"),
    ];
    let made = post_form(&app, &rep, &format!("/t/{a}/drafts"), &fields).await;
    assert_eq!(made.status(), 303);
    let html = page(&app, &rep, location(&made)).await.text().await.unwrap();
    assert!(
        html.contains("Draft saved.")
            && html.contains(">Hi there</textarea>")
            && html.contains(r#"value="Hello""#)
    );
    // A lead of another tenant cannot be named.
    let other = app.world().lead_b1.to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("lead", &other),
        ("channel", "sms"),
        ("body", "Hi"),
        ("action", "save"),
    ];
    assert_eq!(
        post_form(&app, &rep, &format!("/t/{a}/drafts"), &fields)
            .await
            .status(),
        404
    );
}
