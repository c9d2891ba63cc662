//! One journey per role, end to end.
use fantoccini::key::Key;
use fantoccini::Locator;
use palisade_testkit::{TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};

use crate::chrome::Chrome;

async fn create_lead(app: &TestApp, who: Who, name: &str, phone: Option<&str>) -> String {
    let token = app.token(who).unwrap();
    let r = app
        .client
        .request(Method::POST, app.url("/api/v1/leads"))
        .bearer_auth(token)
        .json(&json!({"name": name, "phone": phone}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Signs in through the pages: the sign-in form, the link from the mailbox, the landing page's button.
pub(crate) async fn sign_in(app: &TestApp, chrome: &Chrome, email: &str) {
    let mails = app.mails().len();
    chrome.goto(&app.url("/")).await;
    chrome.heading("Sign in").await;
    chrome.wait_for("#email").await.send_keys(email).await.unwrap();
    chrome.click("form button[type=submit]").await;
    chrome.heading("Check your email").await;
    let mail = app.wait_for_mails(mails + 1).await.pop().unwrap();
    let token = mail
        .split_whitespace()
        .find_map(|w| w.split("/auth/magic-link?token=").nth(1))
        .expect("a sign-in link")
        .to_owned();
    chrome
        .goto(&app.url(&format!("/auth/magic-link?token={token}")))
        .await;
    chrome.click("form button[type=submit]").await;
}

pub(crate) fn assert_clean(errors: Vec<String>) {
    assert!(
        errors.is_empty(),
        "console errors or policy violations: {errors:#?}"
    );
}

#[tokio::test]
async fn a_rep_signs_in_finds_a_lead_logs_a_call_by_keyboard_and_reveals_the_number() {
    let app = palisade_testkit::spawn_app().await;
    create_lead(&app, Who::RepA1, "Ada Lovelace", Some("+1 415 555 0100")).await;
    create_lead(&app, Who::RepA2, "Grace Hopper", None).await;
    let chrome = Chrome::start().await;
    chrome.goto(&app.url("/sign-in")).await;
    chrome.heading("Sign in").await;
    chrome.screenshot("sign-in").await;
    sign_in(&app, &chrome, "rep-a1@a.test").await;

    // One workspace: straight to the rep's own leads, numbers masked.
    chrome.heading("My leads").await;
    let html = chrome.source().await;
    assert!(html.contains("Ada Lovelace") && !html.contains("Grace Hopper"));
    assert!(!html.contains("5550100"), "masked");
    chrome.screenshot("rep-leads").await;
    assert_clean(chrome.console_errors().await);

    chrome
        .client
        .find(Locator::LinkText("Ada Lovelace"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    chrome.heading("Ada Lovelace").await;

    // The form by keyboard alone: Tab to each field, choose by typing, Tab to the button, Enter.
    chrome.tab_to("#channel").await;
    chrome.keys("c").await;
    chrome.tab_to("#direction").await;
    chrome.keys("o").await;
    chrome.tab_to("#body").await;
    chrome.keys("Called about the renewal").await;
    chrome
        .tab_to("form[action$='/interactions'] button[type=submit]")
        .await;
    chrome.press(Key::Enter).await;
    chrome.wait_for(".notice.ok").await;
    let html = chrome.source().await;
    assert!(html.contains("Interaction logged.") && html.contains("Called about the renewal"));
    assert!(
        html.contains("Call · Outbound"),
        "the channel and direction chosen by keyboard"
    );
    assert_clean(chrome.console_errors().await);

    chrome.click("form[action$='/reveal'] button").await;
    chrome.wait_for(".mono").await;
    assert!(chrome.source().await.contains("+14155550100"));
    chrome.screenshot("rep-lead").await;

    // At phone width the list is still usable (a screenshot to look at).
    chrome.client.set_window_size(390, 844).await.unwrap();
    chrome.click("nav a[href$='/leads']").await;
    chrome.heading("My leads").await;
    chrome.screenshot("rep-leads-phone").await;
    assert_clean(chrome.console_errors().await);

    chrome.click("form[action='/sign-out'] button").await;
    chrome.heading("Sign in").await;
    chrome.goto(&app.url("/app")).await;
    chrome.heading("Sign in").await;
    chrome.close().await;
}

#[tokio::test]
async fn a_manager_sees_the_team_but_never_a_reps_private_records() {
    let app = palisade_testkit::spawn_app().await;
    create_lead(&app, Who::RepA1, "Ada Lovelace", None).await;
    create_lead(&app, Who::RepA2, "Grace Hopper", None).await;
    let chrome = Chrome::start().await;
    sign_in(&app, &chrome, "manager-a@a.test").await;
    chrome.heading("Team leads").await;
    let list = chrome.source().await;
    assert!(list.contains("Ada Lovelace") && list.contains("Grace Hopper"));
    chrome.screenshot("manager-leads").await;

    // The rep's lead with its timeline: the rep's draft ("Private draft") never reaches this browser.
    let lead = app.world().lead_a1;
    let tenant = app.world().tenant_a;
    chrome.goto(&app.url(&format!("/t/{tenant}/leads/{lead}"))).await;
    chrome.wait_for("#timeline-title").await;
    let lead_page = chrome.source().await;
    chrome.click("nav a[href$='/dashboard']").await;
    chrome.heading("Dashboard").await;
    chrome.screenshot("manager-dashboard").await;
    chrome.click("nav a[href$='/drafts']").await;
    chrome.heading("Drafts").await;
    for html in [list, lead_page, chrome.source().await] {
        assert!(
            !html.contains("Private draft"),
            "a rep's draft in a manager's page"
        );
    }
    assert_clean(chrome.console_errors().await);
    chrome.close().await;
}

#[tokio::test]
async fn a_rep_reviews_and_sends_a_draft_by_keyboard_alone_and_a_refusal_says_why() {
    let app = palisade_testkit::spawn_app().await;
    let lead = create_lead(&app, Who::RepA1, "Ada Lovelace", Some("+1 415 555 0100")).await;
    let token = app.token(Who::RepA1).unwrap();
    let post = |path: String, body: Value| {
        let req = app.client.post(app.url(&path)).bearer_auth(&token).json(&body);
        async move {
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 201, "{path}");
        }
    };
    let consent = json!({"channel": "sms", "purpose": "service", "source": "form", "form_version": "web-3",
                         "consent_text": "Yes, text me about my quote."});
    post(format!("/api/v1/leads/{lead}/consents"), consent).await;
    post(
        "/api/v1/me/drafts".into(),
        json!({"lead_id": lead, "channel": "sms", "body": "Your quote is ready"}),
    )
    .await;
    let chrome = Chrome::start().await;
    sign_in(&app, &chrome, "rep-a1@a.test").await;
    chrome.heading("My leads").await;

    // From here on, only the keyboard: Tab to Drafts, Enter; Tab to the draft, Enter.
    chrome.tab_to("nav a[href$='/drafts']").await;
    chrome.press(Key::Enter).await;
    chrome.heading("Drafts").await;
    chrome.screenshot("rep-drafts").await;
    chrome.tab_to("td a[href*='/drafts/']").await;
    chrome.press(Key::Enter).await;
    chrome.heading("Draft").await;

    // Marketing has no opt-in: the send is refused and the page says why, keeping the edit.
    chrome.tab_to("#purpose").await;
    chrome.keys("m").await;
    chrome.tab_to("#body").await;
    chrome.press(Key::End).await;
    chrome.keys(" Reply YES to book.").await;
    chrome.tab_to("button[value=send]").await;
    chrome.press(Key::Enter).await;
    let problem = chrome.wait_for("#send-problem").await.text().await.unwrap();
    assert!(problem.contains("has not opted in"), "{problem}");
    assert!(chrome
        .source()
        .await
        .contains("Your quote is ready Reply YES to book."));
    chrome.screenshot("rep-draft-refused").await;

    // Service has one: sent, and the browser lands on the lead.
    chrome.tab_to("#purpose").await;
    chrome.keys("s").await;
    chrome.tab_to("button[value=send]").await;
    chrome.press(Key::Enter).await;
    chrome.heading("Ada Lovelace").await;
    assert!(chrome.source().await.contains("Message queued for delivery."));
    assert_clean(chrome.console_errors().await);
    chrome.close().await;
}

#[tokio::test]
async fn a_manager_sets_up_an_authenticator_and_the_next_sign_in_asks_for_it() {
    let app = palisade_testkit::spawn_app().await;
    let chrome = Chrome::start().await;
    sign_in(&app, &chrome, "manager-a@a.test").await;
    chrome.heading("Team leads").await;
    chrome.click("a[href='/me/security']").await;
    chrome.heading("Security").await;
    chrome.click("form[action='/me/security/totp'] button").await;
    chrome.heading("Set up an authenticator app").await;
    assert!(chrome.source().await.contains("<svg"), "the QR code");
    chrome.screenshot("enrol-authenticator").await;
    let key = chrome.wait_for(".secret").await.text().await.unwrap();
    let secret = palisade_auth::totp::TotpSecret::from_base32(key.trim()).unwrap();
    chrome
        .type_into("#code", &secret.code_at(app.clock.now()).unwrap())
        .await;
    chrome
        .click("form[action='/me/security/totp/confirm'] button")
        .await;
    chrome.heading("Your recovery codes").await;
    assert_eq!(
        chrome
            .client
            .find_all(Locator::Css("ul.codes li"))
            .await
            .unwrap()
            .len(),
        10
    );
    assert_clean(chrome.console_errors().await);

    // Signed in again: the code page first, then the app.
    chrome.click("form[action='/sign-out'] button").await;
    chrome.heading("Sign in").await;
    app.clock.advance(chrono::Duration::seconds(30));
    sign_in(&app, &chrome, "manager-a@a.test").await;
    chrome.heading("Your second factor").await;
    chrome
        .type_into("#code", &secret.code_at(app.clock.now()).unwrap())
        .await;
    chrome
        .click("form[action='/sign-in/mfa'] button[type=submit]")
        .await;
    chrome.heading("Team leads").await;
    assert_clean(chrome.console_errors().await);
    chrome.close().await;
}
