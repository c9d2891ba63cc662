//! The people who run things: a tenant's admin (members, invitations, integrations, privacy,
//! incidents, ending the workspace) and a platform admin (error events, incidents, tenants), end to end in the browser.
use palisade_core::tenancy;

use crate::chrome::Chrome;
use crate::journeys::{assert_clean, sign_in};

#[tokio::test]
async fn an_admin_invites_someone_who_joins_from_the_email_and_connects_a_provider() {
    let app = palisade_testkit::spawn_app().await;
    let mut auth = app.db.db.auth().await.unwrap();
    tenancy::ensure_user(&mut auth, "newcomer@x.test", None)
        .await
        .unwrap();
    auth.commit().await.unwrap();
    let chrome = Chrome::start().await;
    sign_in(&app, &chrome, "admin-a@a.test").await;
    chrome.heading("Team leads").await;
    chrome.click("nav a[href$='/members']").await;
    chrome.heading("Members").await;
    chrome.screenshot("admin-members").await;

    let mails = app.mails().len();
    chrome.type_into("#invite-email", "newcomer@x.test").await;
    chrome.click("#invite-role option[value=manager]").await;
    chrome
        .click("form[action$='/invitations'] button[type=submit]")
        .await;
    // The notice appears only once the form's redirect has loaded (the heading is on both pages).
    chrome.wait_for(".notice.ok").await;
    let html = chrome.source().await;
    assert!(
        html.contains("Invitation sent.") && html.contains("newcomer@x.test"),
        "{html}"
    );
    let mail = app.wait_for_mails(mails + 1).await.pop().unwrap();
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/join?token="))
        .expect("a join link")
        .to_owned();

    chrome.click("nav.tabs a[href$='/integrations']").await;
    chrome.heading("Integrations").await;
    chrome.click("a[href$='/integrations/openai']").await;
    chrome.heading("Language model").await;
    chrome
        .type_into("#secrets-api_key", "sk-test0123456789abcdefWXYZ")
        .await;
    chrome
        .click("form[action$='/integrations/openai'] button[type=submit]")
        .await;
    chrome.heading("Integrations").await;
    let html = chrome.source().await;
    assert!(
        html.contains("•••• WXYZ") && !html.contains("sk-test0123"),
        "{html}"
    );
    chrome.screenshot("admin-integrations").await;
    chrome.click("nav.tabs a[href$='/privacy']").await;
    chrome.heading("Privacy requests").await;
    chrome.screenshot("admin-privacy").await;
    chrome.click("nav.tabs a[href$='/incidents']").await;
    chrome.heading("Incidents").await;
    assert!(chrome.source().await.contains("Fixture incident"));

    // Ending the workspace, then thinking better of it from its termination page.
    chrome.click("nav.tabs a[href$='/termination']").await;
    chrome.heading("End this workspace").await;
    chrome.type_into("#confirm_slug", "tenant-a").await;
    chrome
        .click("form[action$='/termination'] button[type=submit]")
        .await;
    chrome.client.accept_alert().await.unwrap();
    chrome.heading("Workspace tenant-a is being ended").await;
    assert!(chrome.source().await.contains("/export/leads?format=csv"));
    chrome.screenshot("admin-termination").await;
    chrome.click("form[action$='/cancel'] button[type=submit]").await;
    chrome.heading("Members").await;
    assert_clean(chrome.console_errors().await);

    // The newcomer, in this browser after the admin signs out: the link, Join, the workspace.
    chrome.click("form[action='/sign-out'] button").await;
    chrome.heading("Sign in").await;
    sign_in(&app, &chrome, "newcomer@x.test").await;
    chrome.heading("Your workspaces").await;
    chrome.goto(&link).await;
    chrome.heading("Join a workspace").await;
    chrome.click("form[action='/join'] button[type=submit]").await;
    chrome.heading("Team leads").await;
    assert_clean(chrome.console_errors().await);
    chrome.close().await;
}

#[tokio::test]
async fn a_platform_admin_reads_the_errors_and_declares_an_incident() {
    let app = palisade_testkit::spawn_app().await;
    let chrome = Chrome::start().await;
    sign_in(&app, &chrome, "admin-b@b.test").await;
    chrome.heading("Your workspaces").await;
    chrome.click("a[href='/platform/errors']").await;
    chrome.heading("Error events").await;
    chrome.screenshot("platform-errors").await;
    chrome.click("nav.tabs a[href='/platform/tenants']").await;
    chrome.heading("Tenants").await;
    assert!(chrome.source().await.contains("tenant-a"));
    chrome.click("nav.tabs a[href='/platform/incidents']").await;
    chrome.heading("Incidents").await;
    chrome.type_into("#title", "Delayed delivery reports").await;
    chrome
        .type_into("#description", "Delivery reports were delayed by up to an hour.")
        .await;
    chrome.type_into("#tenants", "tenant-a").await;
    chrome
        .click("form[action='/platform/incidents'] button[type=submit]")
        .await;
    // The form asks first (data-confirm): accept.
    chrome.client.accept_alert().await.unwrap();
    chrome.heading("Incidents").await;
    let html = chrome.source().await;
    assert!(
        html.contains("Incident declared.") && html.contains("Delayed delivery reports"),
        "{html}"
    );
    chrome.screenshot("platform-incidents").await;
    assert_clean(chrome.console_errors().await);
    chrome.close().await;
}
