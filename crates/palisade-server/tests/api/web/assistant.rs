//! The assistant in the browser: a rep drafts a follow-up from a lead's page and lands in the draft
//! editor; admins set the assistant up (a bad pattern saves nothing); everyone reads the knowledge
//! base, managers write it; a conversation handed to a person is resumed from the lead's page.
use palisade_testkit::LlmStep;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{location, page, post_form};
use crate::ai::{app_with_model, draft_reply, set_ai};
use crate::sign_in::browser_sign_in;

#[tokio::test]
async fn a_rep_drafts_from_a_lead_and_reviews_it_in_the_editor() {
    let (app, fake) = app_with_model().await;
    let (a, lead) = (app.world().tenant_a, app.world().lead_a1);
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let html = page(&app, &rep, &format!("/t/{a}/leads/{lead}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Draft a follow-up"));
    fake.script([LlmStep::Reply(draft_reply(None, "Shall we talk on Tuesday?"))]);
    let r = post_form(
        &app,
        &rep,
        &format!("/t/{a}/leads/{lead}/ai-draft"),
        &[
            ("csrf", &csrf),
            ("channel", "sms"),
            ("instructions", "Propose Tuesday"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let to = location(&r).to_owned();
    assert!(
        to.starts_with(&format!("/t/{a}/drafts/")) && to.ends_with("?done=ai"),
        "{to}"
    );
    let editor = page(&app, &rep, &to).await.text().await.unwrap();
    assert!(
        editor.contains("The assistant wrote this draft") && editor.contains("Shall we talk on Tuesday?")
    );
    assert!(fake.received()[0].user().contains("Propose Tuesday"));

    // Another rep's lead is not found, and nothing is asked of the model.
    let (other, csrf2) = browser_sign_in(&app, "rep-a2@a.test").await;
    let r = post_form(
        &app,
        &other,
        &format!("/t/{a}/leads/{lead}/ai-draft"),
        &[("csrf", &csrf2), ("channel", "sms")],
    )
    .await;
    assert!(r.status() == 404 || r.status() == 303, "{}", r.status());
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn admins_set_up_the_assistant_and_a_bad_pattern_saves_nothing() {
    let (app, _fake) = app_with_model().await;
    let a = app.world().tenant_a;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let html = page(&app, &admin, &format!("/t/{a}/ai"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Monthly budget") && html.contains("politics"));
    let r = post_form(
        &app,
        &admin,
        &format!("/t/{a}/ai"),
        &[
            ("csrf", &csrf),
            ("budget_usd", "12.50"),
            ("drafting", "on"),
            ("topics", "politics\nreligion"),
            ("patterns", "(unclosed"),
            ("reply_sms", "on"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("pattern 1 is not a valid regular expression"),
        "{text}"
    );
    assert!(text.contains("religion"), "what was typed is kept");
    let r = post_form(
        &app,
        &admin,
        &format!("/t/{a}/ai"),
        &[
            ("csrf", &csrf),
            ("budget_usd", "12.50"),
            ("drafting", "on"),
            ("topics", "politics\nreligion"),
            ("reply_sms", "on"),
            ("mask_iban", "on"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let saved: Value = crate::client::Client::new(&app, Some(palisade_testkit::Who::AdminA))
        .get("/api/v1/ai/settings", StatusCode::OK)
        .await;
    assert_eq!(saved["monthly_budget_micros"], 12_500_000);
    assert_eq!(saved["forbidden_topics"], json!(["politics", "religion"]));
    assert_eq!(saved["auto_reply_channels"], json!(["sms"]));
    assert_eq!(saved["mask_us_ssn"], false);

    let (manager, _) = browser_sign_in(&app, "manager-a@a.test").await;
    assert_eq!(page(&app, &manager, &format!("/t/{a}/ai")).await.status(), 403);
}

#[tokio::test]
async fn everyone_reads_the_knowledge_base_and_managers_write_it() {
    let (app, _fake) = app_with_model().await;
    let a = app.world().tenant_a;
    let (manager, csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    let r = post_form(
        &app,
        &manager,
        &format!("/t/{a}/knowledge"),
        &[
            ("csrf", &csrf),
            ("kind", "faq"),
            ("language", "english"),
            ("title", "Do you deliver?"),
            ("body", "We deliver within five working days."),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (rep, rep_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let html = page(
        &app,
        &rep,
        &format!("/t/{a}/knowledge?q=can%20you%20deliver%20to%20my%20town"),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(html.contains("Do you deliver?") && html.contains("We deliver within five working days."));
    assert!(!html.contains("Add an entry"), "reps read, they do not write");
    let r = post_form(
        &app,
        &rep,
        &format!("/t/{a}/knowledge"),
        &[
            ("csrf", &rep_csrf),
            ("kind", "faq"),
            ("title", "x"),
            ("body", "y"),
        ],
    )
    .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_held_conversation_shows_on_the_lead_and_is_resumed_there() {
    let (app, _fake) = app_with_model().await;
    set_ai(&app, json!({"auto_reply_channels": ["sms"]})).await;
    let (a, lead) = (app.world().tenant_a, app.world().lead_a1);
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let html = page(&app, &rep, &format!("/t/{a}/leads/{lead}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Handed to a person") && html.contains("nothing in the knowledge base answers it"));
    let r = post_form(
        &app,
        &rep,
        &format!("/t/{a}/leads/{lead}/assistant-holds/sms/resume"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let html = page(&app, &rep, location(&r)).await.text().await.unwrap();
    assert!(html.contains("Auto-replies resumed") && !html.contains("Handed to a person"));
    // Resumed already: nothing to resume.
    let r = post_form(
        &app,
        &rep,
        &format!("/t/{a}/leads/{lead}/assistant-holds/sms/resume"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 404);
}
