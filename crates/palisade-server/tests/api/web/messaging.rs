//! The messaging page: the phone region (admins), and message templates written, edited and deleted
//! with their placeholders checked (managers too, as through the API); reps reach none of it.
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

    // A manager: the templates (under the top bar's "Templates"), never the region setting.
    let (manager, manager_csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    let html = page(&app, &manager, &base).await.text().await.unwrap();
    assert!(
        html.contains("New template") && !html.contains("id=\"region\"") && !html.contains("value=\"GB\""),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"{base}\" aria-current=\"page\">Templates")),
        "{html}"
    );
    let r = post_form(
        &app,
        &manager,
        &format!("{base}/region"),
        &[("csrf", &manager_csrf), ("region", "US")],
    )
    .await;
    assert_eq!(r.status(), 403);
    let written = [
        ("csrf", manager_csrf.as_str()),
        ("name", "Check-in"),
        ("channel", "sms"),
        ("purpose", "service"),
        ("subject", ""),
        ("body", "Hi {{lead.first_name}}, checking in."),
    ];
    let r = post_form(&app, &manager, &new, &written).await;
    assert_eq!(location(&r), format!("{base}?done=saved"));
    let id = template_id(&app, "Check-in").await.expect("saved");
    let r = post_form(
        &app,
        &manager,
        &format!("{base}/templates/{id}/delete"),
        &[("csrf", &manager_csrf)],
    )
    .await;
    assert_eq!(location(&r), format!("{base}?done=deleted"));

    let (rep, rep_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    assert_eq!(page(&app, &rep, &base).await.status(), 403);
    let mut by_rep = written;
    by_rep[0].1 = &rep_csrf;
    assert_eq!(post_form(&app, &rep, &new, &by_rep).await.status(), 403);
    assert_eq!(template_id(&app, "Check-in").await, None);
}
