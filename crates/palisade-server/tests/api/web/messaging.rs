//! The admin's messaging page: the phone region, and message templates written, edited and deleted
//! with their placeholders checked; nobody but an admin reaches it.
use palisade_testkit::TestApp;

use super::{location, page, post_form};
use crate::sign_in::browser_sign_in;

async fn template_id(app: &TestApp, name: &str) -> Option<uuid::Uuid> {
    let su = app.db.superuser().await;
    su.query_opt("select id from app.message_templates where name = $1", &[&name])
        .await
        .unwrap()
        .map(|r| r.get(0))
}

#[tokio::test]
async fn an_admin_sets_the_region_and_writes_edits_and_deletes_templates() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let base = format!("/t/{tenant}/messaging");
    assert_eq!(page(&app, &admin, &base).await.status(), 200);

    let r = post_form(
        &app,
        &admin,
        &format!("{base}/region"),
        &[("csrf", &csrf), ("region", "XX")],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"region-error\""));
    let r = post_form(
        &app,
        &admin,
        &format!("{base}/region"),
        &[("csrf", &csrf), ("region", "GB")],
    )
    .await;
    assert_eq!(location(&r), format!("{base}?done=region"));
    assert!(page(&app, &admin, &base)
        .await
        .text()
        .await
        .unwrap()
        .contains("value=\"GB\""));

    let new = format!("{base}/templates");
    let form = |name: &'static str, body: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("name", name.into()),
            ("channel", "sms".into()),
            ("purpose", "service".into()),
            ("subject", String::new()),
            ("body", body.into()),
        ]
    };
    let post = async |path: &str, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post_form(&app, &admin, path, &fields).await
    };
    let r = post(&new, form("Renewal", "Hi {{lead.first_name, your renewal is due")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("role=\"alert\"") && html.contains("value=\"Renewal\""),
        "{html}"
    );
    let r = post(
        &new,
        form("Renewal", "Hi {{lead.first_name}}, your renewal is due"),
    )
    .await;
    assert_eq!(location(&r), format!("{base}?done=saved"));
    let id = template_id(&app, "Renewal").await.expect("saved");
    assert_eq!(
        post(&new, form("renewal", "Another")).await.status(),
        409,
        "names are unique in any case"
    );

    let edit = format!("{new}/{id}");
    assert!(page(&app, &admin, &edit)
        .await
        .text()
        .await
        .unwrap()
        .contains("your renewal is due"));
    let r = post(&edit, form("Renewal", "Hello {{lead.first_name}}, time to renew")).await;
    assert_eq!(location(&r), format!("{base}?done=saved"));
    assert!(page(&app, &admin, &edit)
        .await
        .text()
        .await
        .unwrap()
        .contains("time to renew"));
    let r = post_form(&app, &admin, &format!("{edit}/delete"), &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), format!("{base}?done=deleted"));
    assert_eq!(template_id(&app, "Renewal").await, None);

    let (manager, manager_csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    assert_eq!(page(&app, &manager, &base).await.status(), 403);
    let r = post_form(
        &app,
        &manager,
        &format!("{base}/region"),
        &[("csrf", &manager_csrf), ("region", "US")],
    )
    .await;
    assert_eq!(r.status(), 403);
}
