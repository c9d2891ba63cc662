//! Integrations from the admin's page: settings checked field by field, secrets sealed and never
//! shown again (only their last four characters), settings changed without retyping secrets,
//! disconnecting; nobody but the workspace's admins reaches any of it.
use palisade_testkit::{TestApp, Who};
use reqwest::Method;

use super::{location, page, post_form};
use crate::send;
use crate::sign_in::browser_sign_in;

/// Tenant A has Twilio connected (fixtures); these tests connect the language model.
const ORG: &str = "org-palisade";
const KEY: &str = "sk-test0123456789abcdefWXYZ";

async fn last_four(app: &TestApp) -> Option<String> {
    let r = send(
        app,
        Some(Who::AdminA),
        Method::GET,
        "/api/v1/integrations/openai",
        None,
    )
    .await;
    let v: serde_json::Value = r.json().await.unwrap();
    v["last_four"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn an_admin_connects_a_provider_and_its_secret_is_never_shown_again() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let list = page(&app, &admin, &format!("/t/{tenant}/integrations"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(list.matches("not connected").count(), 6, "{list}");
    assert!(list.contains("•••• beef"), "{list}");
    let form = format!("/t/{tenant}/integrations/openai");
    assert_eq!(page(&app, &admin, &form).await.status(), 200);

    // A wrong setting: said next to that field; the setting kept, the secret not echoed.
    let bad = [
        ("csrf", csrf.as_str()),
        ("config.organization", "acme"),
        ("secrets.api_key", KEY),
        ("status", "active"),
    ];
    let r = post_form(&app, &admin, &form, &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"config-organization-error\"") && html.contains("value=\"acme\""),
        "{html}"
    );
    assert!(
        !html.contains(KEY) && html.contains("Type the secrets again"),
        "{html}"
    );
    assert_eq!(last_four(&app).await, None, "nothing was saved");

    let good = [
        ("csrf", csrf.as_str()),
        ("config.organization", ""),
        ("secrets.api_key", KEY),
        ("status", "active"),
    ];
    let r = post_form(&app, &admin, &form, &good).await;
    assert_eq!(location(&r), format!("/t/{tenant}/integrations?saved=openai"));
    assert_eq!(last_four(&app).await.as_deref(), Some("WXYZ"));
    for path in [format!("/t/{tenant}/integrations?saved=openai"), form.clone()] {
        let html = page(&app, &admin, &path).await.text().await.unwrap();
        assert!(html.contains("•••• WXYZ") && !html.contains(KEY), "{html}");
    }

    // Settings only: the stored secret stays.
    let settings = [
        ("csrf", csrf.as_str()),
        ("config.organization", ORG),
        ("status", "disabled"),
    ];
    let r = post_form(&app, &admin, &form, &settings).await;
    assert_eq!(r.status(), 303);
    assert_eq!(last_four(&app).await.as_deref(), Some("WXYZ"));
    let html = page(&app, &admin, &form).await.text().await.unwrap();
    assert!(
        html.contains("value=\"org-palisade\"") && html.contains("value=\"disabled\" selected"),
        "{html}"
    );

    let disconnect = format!("{form}/disconnect");
    let r = post_form(&app, &admin, &disconnect, &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), format!("/t/{tenant}/integrations?removed=openai"));
    assert_eq!(last_four(&app).await, None);
    assert_eq!(
        post_form(&app, &admin, &disconnect, &[("csrf", &csrf)])
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn only_the_workspaces_admins_reach_its_integrations() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let form = format!("/t/{tenant}/integrations/openai");
    let fields = |csrf: &str| {
        [
            ("csrf", csrf.to_owned()),
            ("config.organization", ORG.to_owned()),
            ("secrets.api_key", KEY.to_owned()),
        ]
    };
    let (manager, csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    assert_eq!(
        page(&app, &manager, &format!("/t/{tenant}/integrations"))
            .await
            .status(),
        403
    );
    let f = fields(&csrf);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post_form(&app, &manager, &form, &f).await.status(), 403);
    let (other, csrf) = browser_sign_in(&app, "admin-b@b.test").await;
    assert_eq!(page(&app, &other, &form).await.status(), 404);
    let f = fields(&csrf);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post_form(&app, &other, &form, &f).await.status(), 404);
    assert_eq!(last_four(&app).await, None);
    let (admin, _) = browser_sign_in(&app, "admin-a@a.test").await;
    assert_eq!(
        page(&app, &admin, &format!("/t/{tenant}/integrations/fax"))
            .await
            .status(),
        404
    );
}
