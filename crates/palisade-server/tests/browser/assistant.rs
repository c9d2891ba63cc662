//! The assistant's pages in a real browser: a manager adds to the knowledge base and tries a
//! question; an admin opens the AI settings; a rep drafts a follow-up from a lead and lands in the
//! draft editor. No page breaks its Content-Security-Policy.
use palisade_testkit::{spawn_app_with, FakeLlm, Who};
use serde_json::json;

use crate::chrome::Chrome;
use crate::journeys::{assert_clean, sign_in};

#[tokio::test]
async fn the_knowledge_base_the_ai_settings_and_a_draft_from_a_lead() {
    let fake = FakeLlm::start().await;
    fake.respond_with(|_| json!({"subject": null, "body": "Shall we talk on Tuesday?"}).to_string());
    let url = fake.base_url.clone();
    let app = spawn_app_with(move |c| c.ai.base_url = url).await;
    let (a, lead) = (app.world().tenant_a, app.world().lead_a1);
    let r = app
        .client
        .put(app.url("/api/v1/integrations/openai"))
        .bearer_auth(app.token(Who::AdminA).unwrap())
        .json(&json!({"secrets": {"api_key": "sk-test-0123456789abcdefghij"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let manager = Chrome::start().await;
    sign_in(&app, &manager, "manager-a@a.test").await;
    manager.heading("Team leads").await;
    manager.click("nav a[href$='/knowledge']").await;
    manager.heading("Knowledge base").await;
    manager.type_into("#title", "Do you deliver?").await;
    manager
        .type_into("#body", "We deliver within five working days.")
        .await;
    manager
        .click("form[method=post][action$='/knowledge'] button[type=submit]")
        .await;
    manager.wait_for(".notice.ok").await;
    manager.type_into("#q", "can you deliver to my town").await;
    manager.click("form[role=search] button").await;
    manager.wait_for("ol.list li").await;
    assert!(manager
        .source()
        .await
        .contains("We deliver within five working days."));
    manager.screenshot("knowledge").await;
    assert_clean(manager.console_errors().await);

    let admin = Chrome::start().await;
    sign_in(&app, &admin, "admin-a@a.test").await;
    admin.goto(&app.url(&format!("/t/{a}/ai"))).await;
    admin.heading("AI assistant").await;
    admin.screenshot("admin-ai").await;
    assert_clean(admin.console_errors().await);

    let rep = Chrome::start().await;
    sign_in(&app, &rep, "rep-a1@a.test").await;
    rep.heading("My leads").await;
    rep.goto(&app.url(&format!("/t/{a}/leads/{lead}"))).await;
    rep.wait_for("#ai-instructions").await;
    rep.type_into("#ai-instructions", "Propose Tuesday").await;
    rep.click("form[action$='/ai-draft'] button[type=submit]").await;
    rep.wait_for(".notice.ok").await;
    let html = rep.source().await;
    assert!(html.contains("The assistant wrote this draft") && html.contains("Shall we talk on Tuesday?"));
    rep.screenshot("rep-ai-draft").await;
    assert_clean(rep.console_errors().await);
}
